import http from 'node:http';
import https from 'node:https';

/** One answer of the item API, or the network error that prevented it. */
export type PostOutcome =
  | { kind: 'response'; status: number; headers: http.IncomingHttpHeaders; body: string }
  | { kind: 'network'; error: Error };

export interface PostHandle {
  done: Promise<PostOutcome>;
  /** Destroys the request (shutdown deadline): `done` settles with a network outcome. */
  abort(): void;
}

/** The delivery seam: tests of the sender fake it; the reporter uses `createHttpTransport`. */
export interface ItemTransport {
  post(json: string): PostHandle;
  close(): void;
}

const MAX_RESPONSE_BYTES = 64 * 1024;

/**
 * POSTs item bodies to the endpoint (used verbatim) with the token in `X-Rollbar-Access-Token`.
 * Keep-alive sockets are reused; Node unrefs idle ones, so they never hold the process open.
 * A request in flight does hold it open, which is what delivers an item reported just before exit.
 */
export function createHttpTransport(endpoint: string, accessToken: string, timeoutMs: number): ItemTransport {
  const url = new URL(endpoint);
  const lib = url.protocol === 'https:' ? https : http;
  const agent = new lib.Agent({ keepAlive: true, maxSockets: 4 });
  return {
    post(json) {
      let req: http.ClientRequest | undefined;
      const done = new Promise<PostOutcome>((resolve) => {
        const fail = (error: Error) => resolve({ kind: 'network', error });
        try {
          req = lib.request(
            url,
            {
              method: 'POST',
              agent,
              headers: {
                'content-type': 'application/json',
                'content-length': Buffer.byteLength(json),
                'x-rollbar-access-token': accessToken,
              },
            },
            (res) => {
              const chunks: Buffer[] = [];
              let size = 0;
              res.on('data', (chunk: Buffer) => {
                size += chunk.length;
                if (size <= MAX_RESPONSE_BYTES) chunks.push(chunk);
              });
              res.on('end', () =>
                resolve({
                  kind: 'response',
                  status: res.statusCode ?? 0,
                  headers: res.headers,
                  body: Buffer.concat(chunks).toString('utf8'),
                }),
              );
              res.on('error', fail);
              res.on('aborted', () => fail(new Error('response aborted')));
            },
          );
          req.setTimeout(timeoutMs, () => {
            const error = Object.assign(new Error(`no answer within ${timeoutMs} ms`), { code: 'ETIMEDOUT' });
            req?.destroy(error);
          });
          req.on('error', fail);
          req.end(json);
        } catch (error) {
          fail(error instanceof Error ? error : new Error(String(error)));
        }
      });
      return {
        done,
        abort: () => req?.destroy(Object.assign(new Error('aborted at shutdown'), { code: 'ABORTED' })),
      };
    },
    close() {
      agent.destroy();
    },
  };
}
