import { validateHeaderName, validateHeaderValue } from 'node:http';
import net from 'node:net';
import tls from 'node:tls';
import { unrefTimer } from '@sightline/core';
import type { TlsMaterial } from './tlsFiles';

/** An HTTP answer as the OTLP transport reads it. */
export interface HttpAnswer {
  status: number;
  reason: string;
  /** Lower-case names; a repeated header keeps its last value. */
  headers: Map<string, string>;
  body: Buffer;
}

/** Told once per `post`: the answer, or why there is none (`code` kept from the socket's error). */
export type AnswerCallback = (error: NodeJS.ErrnoException | undefined, answer?: HttpAnswer) => void;

interface Pending {
  body: Uint8Array;
  /** `Date.now()` by which the answer must be here, waiting behind another request included. */
  deadlineAt: number;
  done: AnswerCallback;
}

const HEAD_END = Buffer.from('\r\n\r\n');
const LINE_END = Buffer.from('\r\n');
/** A head larger than this is not an HTTP answer we can use. */
const MAX_HEAD_BYTES = 64 * 1024;
/** An OTLP answer is a few bytes (a partial success a few hundred): past this, something else answers. */
const MAX_ANSWER_BYTES = 4 * 1024 * 1024;

/**
 * HTTP/1.1 POSTs to one origin over one kept-alive socket of its own, one request at a time (a second
 * waits for the first's answer). Why not node:http's client: it shares its objects and functions with
 * the server it runs beside (`IncomingMessage`, the parser pool, the outgoing-message code), and a
 * service's request path ran measurably slower once exports went through them (`docs/performance.md`,
 * session 9). The answer is read as far as an exporter needs: status, headers, a body framed by
 * `Content-Length`, chunked encoding or the end of the connection.
 */
export class HttpConnection {
  private socket: net.Socket | undefined;
  private readonly queue: Pending[] = [];
  private current: Pending | undefined;
  private timer: NodeJS.Timeout | undefined;
  private received: Buffer[] = [];
  private receivedBytes = 0;
  private closed = false;
  private readonly head: Buffer | undefined;
  private readonly invalid: Error | undefined;

  constructor(
    private readonly url: URL,
    headers: Record<string, string>,
    /** For `https`: trusted CAs (in place of Node's), a client certificate and key. */
    private readonly tlsMaterial: TlsMaterial = {},
  ) {
    let head: Buffer | undefined;
    let invalid: Error | undefined;
    try {
      let text = `POST ${url.pathname}${url.search} HTTP/1.1\r\nHost: ${url.host}\r\nConnection: keep-alive\r\n`;
      for (const [name, value] of Object.entries(headers)) {
        // The same checks node:http makes: a header can never smuggle a line break into the request.
        validateHeaderName(name);
        validateHeaderValue(name, value);
        text += `${name}: ${value}\r\n`;
      }
      head = Buffer.from(text, 'latin1');
    } catch (error) {
      invalid = error as Error;
    }
    this.head = head;
    this.invalid = invalid;
  }

  /**
   * Sends `body`; `done` is called once, with the answer or the error: 'Request timed out' when no
   * answer came by `deadlineAt` (a `Date.now()` time).
   */
  post(body: Uint8Array, deadlineAt: number, done: AnswerCallback): void {
    if (this.invalid !== undefined || this.closed) {
      const error = this.invalid ?? new Error('the OTLP connection is closed');
      queueMicrotask(() => deliver({ body, deadlineAt, done }, error));
      return;
    }
    this.queue.push({ body, deadlineAt, done });
    if (this.current === undefined) this.next();
  }

  /** Ends the connection; a request in flight or waiting fails. */
  close(): void {
    this.closed = true;
    this.fail(new Error('the OTLP connection is closed'));
    for (const waiting of this.queue.splice(0)) deliver(waiting, new Error('the OTLP connection is closed'));
    this.dropSocket();
  }

  /** Forgets the socket and destroys it: its 'close' then finds another (or none) and does nothing. */
  private dropSocket(): void {
    const socket = this.socket;
    this.socket = undefined;
    socket?.destroy();
  }

  private next(): void {
    const pending = this.queue.shift();
    if (pending === undefined) {
      this.socket?.unref();
      return;
    }
    this.current = pending;
    this.received = [];
    this.timer = unrefTimer(
      () => this.fail(new Error('Request timed out')),
      Math.max(0, pending.deadlineAt - Date.now()),
    );
    try {
      const socket = this.connected();
      socket.ref();
      socket.cork();
      socket.write(this.head as Buffer);
      socket.write(`Content-Length: ${pending.body.byteLength}\r\n\r\n`, 'latin1');
      socket.write(pending.body);
      socket.uncork();
    } catch (error) {
      this.fail(error as Error);
    }
  }

  private connected(): net.Socket {
    if (this.socket !== undefined && !this.socket.destroyed) return this.socket;
    const port = Number(this.url.port) || (this.url.protocol === 'https:' ? 443 : 80);
    const host = this.url.hostname.replace(/^\[|\]$/g, '');
    const socket =
      this.url.protocol === 'https:'
        ? tls.connect({
            host,
            port,
            servername: net.isIP(host) === 0 ? host : undefined,
            ALPNProtocols: ['http/1.1'],
            ...this.tlsMaterial,
          })
        : net.connect({ host, port });
    socket.setNoDelay(true);
    socket.on('data', (chunk: Buffer) => this.onData(socket, chunk));
    socket.on('error', (error) => this.onGone(socket, error));
    socket.on('end', () => this.onEnd(socket));
    socket.on('close', () => this.onGone(socket, undefined));
    this.socket = socket;
    return socket;
  }

  private onData(socket: net.Socket, chunk: Buffer): void {
    if (socket !== this.socket || this.current === undefined) {
      // Bytes nobody asked for: this connection's framing can no longer be trusted.
      socket.destroy();
      return;
    }
    this.received.push(chunk);
    this.receivedBytes += chunk.length;
    if (this.receivedBytes > MAX_ANSWER_BYTES) {
      this.fail(new Error(`the OTLP answer exceeded ${MAX_ANSWER_BYTES} bytes`));
      return;
    }
    this.read(false);
  }

  /** Parses what arrived; an answer that cannot be read fails the request, never the host. */
  private read(ended: boolean): void {
    let answer: HttpAnswer | undefined;
    try {
      answer = this.parse(ended);
    } catch (error) {
      this.fail(error as Error);
      return;
    }
    if (answer !== undefined) this.answered(answer);
  }

  /** The collector closed its side: an answer framed by the end of the connection is complete now. */
  private onEnd(socket: net.Socket): void {
    if (socket !== this.socket || this.current === undefined) return;
    this.read(true);
  }

  private onGone(socket: net.Socket, error: Error | undefined): void {
    if (socket !== this.socket) return;
    this.dropSocket();
    if (this.current === undefined) return;
    this.fail(error ?? hangUpError());
  }

  private answered(answer: HttpAnswer): void {
    const pending = this.current as Pending;
    this.settle();
    if (answer.headers.get('connection')?.toLowerCase() === 'close') this.dropSocket();
    deliver(pending, undefined, answer);
    this.next();
  }

  private fail(error: NodeJS.ErrnoException): void {
    const pending = this.current;
    if (pending === undefined) return;
    this.settle();
    this.dropSocket();
    deliver(pending, error);
    if (!this.closed) this.next();
  }

  private settle(): void {
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
    this.current = undefined;
    this.received = [];
    this.receivedBytes = 0;
  }

  /** The answer, once all of it is here (`ended`: the collector closed its side); else undefined. */
  private parse(ended: boolean): HttpAnswer | undefined {
    let bytes = this.received.length === 1 ? (this.received[0] as Buffer) : Buffer.concat(this.received);
    this.received = [bytes];
    for (;;) {
      const headEnd = bytes.indexOf(HEAD_END);
      if (headEnd === -1) {
        if (bytes.length > MAX_HEAD_BYTES) throw new Error('the OTLP answer has no end of its headers');
        return ended ? this.hangUp() : undefined;
      }
      const lines = bytes.subarray(0, headEnd).toString('latin1').split('\r\n');
      const status = /^HTTP\/1\.[01] (\d{3})(?: (.*))?$/.exec(lines[0] ?? '');
      if (status === null) throw new Error(`not an HTTP answer: ${(lines[0] ?? '').slice(0, 40)}`);
      const code = Number(status[1]);
      const headers = new Map<string, string>();
      for (let i = 1; i < lines.length; i++) {
        const line = lines[i] as string;
        const colon = line.indexOf(':');
        if (colon > 0) headers.set(line.slice(0, colon).trim().toLowerCase(), line.slice(colon + 1).trim());
      }
      const rest = bytes.subarray(headEnd + HEAD_END.length);
      // An interim answer (100 Continue) comes before the real one.
      if (code >= 100 && code < 200) {
        bytes = rest;
        this.received = [bytes];
        continue;
      }
      const body = bodyOf(rest, headers, ended);
      if (body === undefined) return ended ? this.hangUp() : undefined;
      return { status: code, reason: status[2] ?? '', headers, body };
    }
  }

  private hangUp(): undefined {
    this.fail(hangUpError());
    return undefined;
  }
}

/** The connection ended before the answer did: retryable, as node:http reports it. */
function hangUpError(): NodeJS.ErrnoException {
  const error: NodeJS.ErrnoException = new Error('socket hang up');
  error.code = 'ECONNRESET';
  return error;
}

/** Calls a request's callback; what it throws is the caller's bug, never the host's uncaught exception. */
function deliver(pending: Pending, error: NodeJS.ErrnoException | undefined, answer?: HttpAnswer): void {
  try {
    pending.done(error, answer);
  } catch {
    // the transport's callbacks do not throw; should one, the connection goes on with the next request
  }
}

/** The body once complete, by the answer's framing; undefined while more is to come. */
function bodyOf(rest: Buffer, headers: Map<string, string>, ended: boolean): Buffer | undefined {
  if (headers.get('transfer-encoding')?.toLowerCase().includes('chunked')) return dechunk(rest);
  const length = headers.get('content-length');
  if (length !== undefined) {
    const n = Number(length);
    if (!Number.isInteger(n) || n < 0) throw new Error(`invalid Content-Length: ${length}`);
    return rest.length >= n ? rest.subarray(0, n) : undefined;
  }
  // No framing: the body runs to the end of the connection.
  return ended ? rest : undefined;
}

/** A chunked body, decoded, once its last chunk (and trailers) arrived; undefined until then. */
function dechunk(bytes: Buffer): Buffer | undefined {
  const chunks: Buffer[] = [];
  let pos = 0;
  for (;;) {
    const lineEnd = bytes.indexOf(LINE_END, pos);
    if (lineEnd === -1) return undefined;
    const size = Number.parseInt(bytes.subarray(pos, lineEnd).toString('latin1').split(';')[0] as string, 16);
    if (!Number.isInteger(size) || size < 0) throw new Error('invalid chunk size in the OTLP answer');
    pos = lineEnd + LINE_END.length;
    if (size === 0) {
      // Trailers, if any, then the empty line that ends the body.
      for (;;) {
        const end = bytes.indexOf(LINE_END, pos);
        if (end === -1) return undefined;
        if (end === pos) return Buffer.concat(chunks);
        pos = end + LINE_END.length;
      }
    }
    if (bytes.length < pos + size + LINE_END.length) return undefined;
    chunks.push(bytes.subarray(pos, pos + size));
    pos += size + LINE_END.length;
  }
}
