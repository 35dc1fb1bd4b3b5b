import type { IncomingMessage, ServerResponse } from 'node:http';
import { isThenable } from '@sightline/core';
import { beginRequest, type RequestHooks, reportRequestError } from '../request';
import type { Runtime } from '../runtime';

export type HttpHandler<
  Req extends IncomingMessage = IncomingMessage,
  Res extends ServerResponse = ServerResponse,
> = (req: Req, res: Res) => unknown;

/**
 * `http.createServer(obs.http(handler))`. A handler error is reported and marked, then re-thrown (or
 * the promise re-rejected), so the process behaves exactly as it would have without us.
 */
export function wrapHttpHandler<Req extends IncomingMessage, Res extends ServerResponse>(
  rt: Runtime,
  hooks: RequestHooks,
  handler: HttpHandler<Req, Res>,
): HttpHandler<Req, Res> {
  return function sightlineHttp(req, res) {
    const state = beginRequest(rt, hooks, req, res);
    return state.run(() => {
      let result: unknown;
      try {
        result = handler(req, res);
      } catch (error) {
        reportRequestError(rt, state, error, req);
        throw error;
      }
      if (isThenable(result)) {
        return Promise.resolve(result).catch((error: unknown) => {
          reportRequestError(rt, state, error, req);
          throw error;
        });
      }
      return result;
    });
  };
}
