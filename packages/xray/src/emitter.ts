import { createSocket, type Socket } from 'node:dgram';
import { isIPv4 } from 'node:net';
import { type BackendReport, DropCounter, diagnostics, settleWithin } from '@sightline/core';

const PROTOCOL_HEADER = '{"format":"json","version":1}\n';
const PROTOCOL_HEADER_BUFFER = Buffer.from(PROTOCOL_HEADER);
export const PROTOCOL_HEADER_BYTES = PROTOCOL_HEADER_BUFFER.length;

/**
 * Our transport seam: it takes finished, serialized documents. The UDP daemon emitter is the only one
 * today; an OTLP transport (X-Ray's OTLP endpoint) can take its place without touching the API.
 */
export interface DocumentSink {
  /**
   * Queues one serialized (sub)segment document; never throws. `bytes` is its UTF-8 length when the
   * caller already measured it (the datagram is then written in one piece, without measuring again).
   */
  send(json: string, bytes?: number): void;
  /**
   * For process `exit`, when the event loop will not turn again: hands everything queued to the
   * transport now, synchronously where it can. Returns how many documents could not be handed over
   * (they are lost with the process). Optional for sinks of other kinds; without it, what is pending
   * at exit counts as not sent.
   */
  sendAllNow?(): number;
  /** Resolves when everything handed over has left (or `timeoutMs` passed). */
  flush(timeoutMs: number): Promise<void>;
  close(timeoutMs: number): Promise<void>;
  stats(): BackendReport;
  /** Counts a drop that happened before the sink (too large, after shutdown). */
  drop(reason: string, count?: number): void;
}

const log = diagnostics('xray');

/**
 * The header line and the document in one buffer, written in place: concatenating the two strings
 * first copied every document once more (about 1.4 KB per request at the benchmark's segment size).
 */
function datagram(json: string, bytes: number): Buffer {
  const buffer = Buffer.allocUnsafe(PROTOCOL_HEADER_BYTES + bytes);
  PROTOCOL_HEADER_BUFFER.copy(buffer, 0);
  buffer.write(json, PROTOCOL_HEADER_BYTES, 'utf8');
  return buffer;
}

/**
 * What is handed to the socket per event-loop turn. A daemon reading in the same event loop (tests,
 * `@sightline/local` in-process) gets 32 datagrams per turn from libuv, and Linux's default receive
 * buffer (about 208 KB) holds what arrives meanwhile: past these, a burst would overflow it. A server
 * finishes one segment per response, and a turn of a loaded one answers about one request per open
 * connection: the benchmark's 32 connections made about 30 per turn. At the former 16 per turn the
 * queue never caught up: some 200 segments waited (about 50 ms) and every 40 turns or so, past the
 * backlog below, 500 went out at once.
 */
const DATAGRAMS_PER_TURN = 32;
const BYTES_PER_TURN = 64 * 1024;
/** Past this many waiting, pacing stops: sustained load must not fill the queue and drop. */
const BACKLOG_FULL_SPEED = 512;

/**
 * One UDP socket of our own per backend (the SDK's emitter is a process-wide singleton that reports
 * nothing back), so each datagram's outcome is counted: `sent` when the kernel took it, `send_failed`
 * for DNS or socket errors, `too_large` for EMSGSIZE, `queue_full` past `maxPending` waiting or in flight.
 * Sends happen off the request path, in `setImmediate` turns of at most 32 datagrams or 64 KB (unpaced
 * past a backlog of 512), so a burst does not overrun the receiver's socket buffer before it gets a
 * chance to read.
 */
export class UdpEmitter implements DocumentSink {
  private socket: Socket | undefined;
  /** Connected to an IP-literal daemon: no address resolution per datagram, and a closed port is reported. */
  private connected = false;
  /** Until the connect completes nothing is sent: a datagram addressed meanwhile fails with EISCONN. */
  private connecting = false;
  /** One callback for every datagram (no closure per send). */
  private readonly onSent = (err: Error | null) => this.done(err);
  private readonly queue: Buffer[] = [];
  private scheduled = false;
  private inFlight = 0;
  private sent = 0;
  private closed = false;
  private idle: (() => void)[] = [];
  readonly drops = new DropCounter((reason) => {
    if (reason !== 'not_sampled') {
      log.warnOnce(
        `drop:${reason}`,
        `X-Ray documents dropped (${reason}); later drops are only counted in stats()`,
      );
    }
  });

  constructor(
    private readonly host: string,
    private readonly port: number,
    private readonly maxPending: number,
  ) {}

  private getSocket(): Socket {
    if (!this.socket) {
      const socket = createSocket('udp4');
      // A socket error (unreachable host, closed port) must never reach the application.
      socket.on('error', (err) => {
        if ((err as NodeJS.ErrnoException).code === 'ECONNREFUSED') {
          log.warnOnce(
            'refused',
            `nothing is listening at the X-Ray daemon address ${this.host}:${this.port}: segments are sent but not received (is the daemon running?)`,
          );
        } else log.warnOnce('socket', `X-Ray daemon socket error: ${err.message}`);
      });
      socket.unref();
      this.socket = socket;
      // A daemon named by its IP (the default 127.0.0.1:2000) gets a connected socket: each send then
      // skips the lookup the unconnected form makes for every datagram. A host name is resolved per
      // send, as the SDK does, so a daemon that moves to another address keeps receiving.
      if (isIPv4(this.host)) {
        this.connecting = true;
        const settled = (connected: boolean) => {
          if (this.socket !== socket || !this.connecting) return;
          this.connecting = false;
          this.connected = connected;
          this.schedule();
        };
        socket.once('connect', () => settled(true));
        // A failed connect leaves the socket unconnected: sends then name the address each time.
        socket.once('error', () => settled(false));
        try {
          socket.connect(this.port, this.host);
        } catch {
          settled(false);
        }
      }
    }
    return this.socket;
  }

  private get pending(): number {
    return this.queue.length + this.inFlight;
  }

  send(json: string, bytes = Buffer.byteLength(json)): void {
    if (this.closed || this.pending >= this.maxPending) {
      this.drop(this.closed ? 'after_shutdown' : 'queue_full');
      return;
    }
    this.queue.push(datagram(json, bytes));
    this.schedule();
  }

  private schedule(): void {
    if (!this.scheduled && this.queue.length > 0) {
      this.scheduled = true;
      setImmediate(() => this.drain());
    }
  }

  private drain(): void {
    this.scheduled = false;
    if (this.closed) return;
    const socket = this.getSocket();
    if (this.connecting) return; // the connect's outcome schedules the next drain
    const paced = this.queue.length <= BACKLOG_FULL_SPEED;
    let bytes = 0;
    let count = 0;
    while (
      this.queue.length > 0 &&
      !this.closed &&
      (!paced || (bytes < BYTES_PER_TURN && count++ < DATAGRAMS_PER_TURN))
    ) {
      const message = this.queue.shift()!;
      bytes += message.length;
      this.handOver(socket, message);
    }
    if (this.queue.length > 0 && !this.closed) {
      this.scheduled = true;
      setImmediate(() => this.drain());
    }
  }

  /**
   * Sends every queued datagram now, unpaced: at `exit` nothing runs after the listeners, so no later
   * turn would. A connected socket (a daemon named by its IP, once the connect completed) sends each
   * one synchronously, within `send`. Before the connect completed, or to a host name (resolved in a
   * later turn), nothing can leave any more: those are returned as not handed over.
   */
  sendAllNow(): number {
    const queue = this.queue;
    const socket = this.socket;
    if (this.closed || queue.length === 0) return 0;
    if (socket === undefined || !this.connected) return queue.length;
    let unsent = 0;
    for (let i = 0; i < queue.length; i++) {
      if (!this.handOver(socket, queue[i] as Buffer)) unsent++;
    }
    queue.length = 0;
    return unsent;
  }

  /**
   * Hands one datagram to the socket, counted in flight until `onSent` reports it; a send that throws is
   * counted at once. Returns whether the socket took it.
   */
  private handOver(socket: Socket, message: Buffer): boolean {
    this.inFlight++;
    try {
      if (this.connected) socket.send(message, this.onSent);
      else socket.send(message, this.port, this.host, this.onSent);
      return true;
    } catch (err) {
      this.done(err as Error);
      return false;
    }
  }

  private done(err: Error | null | undefined): void {
    this.inFlight--;
    // After close, what was cut off is already counted as shutdown_timeout.
    if (this.closed) return;
    if (!err) this.sent++;
    else if ((err as NodeJS.ErrnoException).code === 'EMSGSIZE') this.drop('too_large');
    else {
      this.drop('send_failed');
      log.warnOnce(
        `send:${(err as NodeJS.ErrnoException).code ?? err.message}`,
        `X-Ray send failed: ${err.message}`,
      );
    }
    if (this.pending === 0) {
      const waiting = this.idle;
      this.idle = [];
      for (const resolve of waiting) resolve();
    }
  }

  drop(reason: string, count = 1): void {
    this.drops.add(reason, count);
  }

  async flush(timeoutMs: number): Promise<void> {
    if (this.pending === 0) return;
    await settleWithin(new Promise<void>((resolve) => this.idle.push(resolve)), timeoutMs);
  }

  async close(timeoutMs: number): Promise<void> {
    await this.flush(timeoutMs);
    const cutOff = this.pending;
    this.closed = true;
    this.queue.length = 0;
    const socket = this.socket;
    this.socket = undefined;
    this.connected = false;
    this.connecting = false;
    if (cutOff > 0) this.drop('shutdown_timeout', cutOff);
    try {
      socket?.close();
    } catch {
      // already closed
    }
  }

  stats(): BackendReport {
    return { sent: this.sent, dropped: this.drops.snapshot(), pending: this.pending };
  }
}
