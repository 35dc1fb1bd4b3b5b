import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { gunzipSync, inflateSync } from 'node:zlib';
import type { HttpFaults, InjectedFault } from './faults';
import { maskHeaders } from './mask';
import type { Store } from './store';
import type { Backend, RequestRecord } from './types';

/** What a receiver answers to one request. */
export interface HttpReply {
  status: number;
  contentType?: string;
  body: string | Uint8Array;
  headers?: Record<string, string>;
  outcome: RequestRecord['outcome'];
  /** Overrides the operation recorded in the request log (CloudWatch puts the API name here). */
  operation?: string;
}

/** Thrown by `decodeBody` for a content-encoding it does not know. */
export class UnsupportedEncodingError extends Error {
  override name = 'UnsupportedEncodingError';
}

/** Undoes `content-encoding: gzip | deflate` (what OTLP exporters and curl send). */
export function decodeBody(req: IncomingMessage, raw: Buffer): Buffer {
  const encoding = (req.headers['content-encoding'] ?? 'identity').toLowerCase().trim();
  if (encoding === 'gzip' || encoding === 'x-gzip') return gunzipSync(raw);
  if (encoding === 'deflate') return inflateSync(raw);
  if (encoding === 'identity' || encoding === '') return raw;
  throw new UnsupportedEncodingError(`unsupported content-encoding ${encoding}`);
}

export interface HttpReceiverOptions {
  backend: Backend;
  port: number;
  store: Store;
  faults: HttpFaults;
  /** Bodies larger than this are answered 413 without being read further. */
  maxBodyBytes: number;
  handle(req: IncomingMessage, body: Buffer): HttpReply | Promise<HttpReply>;
  /** How this backend's protocol spells an injected fault. */
  faultReply(fault: InjectedFault, req: IncomingMessage): HttpReply;
}

/** A loopback HTTP server that applies faults, delays and the request log around a receiver. */
export class HttpReceiver {
  private server: Server | undefined;
  private boundPort: number;
  private readonly timers = new Set<NodeJS.Timeout>();
  /** Set by `close()`: a fault reset after it must not open the port again. */
  private shutDown = false;

  constructor(private readonly options: HttpReceiverOptions) {
    this.boundPort = options.port;
    options.faults.attach({ close: () => this.closeServer(), open: () => this.listen() });
  }

  get port(): number {
    return this.boundPort;
  }

  async listen(): Promise<void> {
    if (this.shutDown) return;
    // A new server each time: a closed http.Server cannot always be re-listened cleanly.
    const server = this.createServer();
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen({ port: this.boundPort, host: '127.0.0.1' }, () => {
        server.off('error', reject);
        this.server = server;
        const address = server.address();
        if (address && typeof address === 'object') this.boundPort = address.port;
        resolve();
      });
    });
  }

  async close(): Promise<void> {
    this.shutDown = true;
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
    await this.closeServer();
  }

  private closeServer(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    if (!server?.listening) return Promise.resolve();
    return new Promise((resolve) => {
      server.close(() => resolve());
      // Keep-alive sockets would otherwise keep serving after the port is closed.
      server.closeAllConnections();
    });
  }

  private createServer(): Server {
    const server = createServer((req, res) => {
      this.onRequest(req, res).catch((error: unknown) => {
        if (!res.headersSent) {
          res.writeHead(500, { 'content-type': 'text/plain' });
          res.end(`@sightline/local internal error: ${String(error)}`);
        }
      });
    });
    // Idle keep-alive sockets stay open longer than clients keep them pooled (AWS and load balancers
    // use ~60 s); Node's 5 s default makes pooled sockets die under a client and fail with ECONNRESET.
    server.keepAliveTimeout = 65_000;
    server.headersTimeout = 66_000;
    return server;
  }

  private async onRequest(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const { store, faults, backend } = this.options;
    const raw = await readBody(req, this.options.maxBodyBytes);
    let reply: HttpReply;
    const fault = raw === undefined ? undefined : faults.take();
    if (raw === undefined) {
      reply = { status: 413, contentType: 'text/plain', body: 'request body too large', outcome: 'rejected' };
      store.reject({ backend, at: Date.now(), reason: 'body_too_large', message: reply.body as string });
    } else if (fault) {
      reply = this.options.faultReply(fault, req);
      if (fault.retryAfterSeconds !== undefined) {
        reply.headers = { ...reply.headers, 'retry-after': String(fault.retryAfterSeconds) };
      }
    } else {
      reply = await this.options.handle(req, raw);
    }
    store.requests.push({
      backend,
      at: Date.now(),
      bytes: raw?.length ?? Number(req.headers['content-length'] ?? 0),
      status: reply.status,
      operation: reply.operation ?? `${req.method} ${req.url}`,
      headers: maskHeaders(req.headers),
      outcome: reply.outcome,
    });
    const send = (): void => {
      res.writeHead(reply.status, {
        ...(reply.contentType ? { 'content-type': reply.contentType } : {}),
        ...reply.headers,
      });
      res.end(reply.body);
      store.changed();
    };
    const delay = faults.delayMs;
    if (delay > 0) {
      const timer = setTimeout(() => {
        this.timers.delete(timer);
        send();
      }, delay);
      timer.unref();
      this.timers.add(timer);
    } else {
      send();
    }
  }
}

/** Reads the whole body; `undefined` when it exceeds `limit` bytes (the rest is discarded). */
function readBody(req: IncomingMessage, limit: number): Promise<Buffer | undefined> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let tooLarge = false;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) tooLarge = true;
      else chunks.push(chunk);
    });
    req.on('end', () => resolve(tooLarge ? undefined : Buffer.concat(chunks)));
    req.on('error', reject);
  });
}
