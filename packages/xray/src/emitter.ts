import { createSocket, type Socket } from 'node:dgram';
import { type BackendReport, DropCounter, diagnostics, settleWithin } from '@sightline/core';

const PROTOCOL_HEADER = '{"format":"json","version":1}\n';
export const PROTOCOL_HEADER_BYTES = Buffer.byteLength(PROTOCOL_HEADER);

/**
 * Our transport seam: it takes finished, serialized documents. The UDP daemon emitter is the only one
 * today; an OTLP transport (X-Ray's OTLP endpoint) can take its place without touching the API.
 */
export interface DocumentSink {
  /** Queues one serialized (sub)segment document; never throws. */
  send(json: string): void;
  /** Resolves when everything handed over has left (or `timeoutMs` passed). */
  flush(timeoutMs: number): Promise<void>;
  close(timeoutMs: number): Promise<void>;
  stats(): BackendReport;
  /** Counts a drop that happened before the sink (too large, after shutdown). */
  drop(reason: string, count?: number): void;
}

const log = diagnostics('xray');

/**
 * One UDP socket of our own per backend (the SDK's emitter is a process-wide singleton that reports
 * nothing back), so each datagram's outcome is counted: `sent` when the kernel took it, `send_failed`
 * for DNS or socket errors, `too_large` for EMSGSIZE, `queue_full` past `maxPending` in flight.
 */
/** Handed to the socket per event-loop turn, so a daemon reading in the same loop (tests, local) keeps up. */
const BYTES_PER_TURN = 32 * 1024;
const DATAGRAMS_PER_TURN = 16;
/** Past this many waiting, pacing stops: sustained load must not fill the queue and drop. */
const BACKLOG_FULL_SPEED = 512;

/**
 * One UDP socket of our own per backend (the SDK's emitter is a process-wide singleton that reports
 * nothing back), so each datagram's outcome is counted: `sent` when the kernel took it, `send_failed`
 * for DNS or socket errors, `too_large` for EMSGSIZE, `queue_full` past `maxPending` waiting or in flight.
 * Sends happen off the request path, in `setImmediate` turns of at most 16 datagrams or 32 KB (unpaced past a backlog of 512), so a burst does not overrun
 * the receiver's socket buffer (about 208 KB on Linux) before it gets a chance to read.
 */
export class UdpEmitter implements DocumentSink {
  private socket: Socket | undefined;
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
      socket.on('error', (err) => log.warnOnce('socket', `X-Ray daemon socket error: ${err.message}`));
      socket.unref();
      this.socket = socket;
    }
    return this.socket;
  }

  private get pending(): number {
    return this.queue.length + this.inFlight;
  }

  send(json: string): void {
    if (this.closed || this.pending >= this.maxPending) {
      this.drop(this.closed ? 'after_shutdown' : 'queue_full');
      return;
    }
    this.queue.push(Buffer.from(PROTOCOL_HEADER + json));
    if (!this.scheduled) {
      this.scheduled = true;
      setImmediate(() => this.drain());
    }
  }

  private drain(): void {
    this.scheduled = false;
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
      this.inFlight++;
      try {
        this.getSocket().send(message, this.port, this.host, (err) => this.done(err));
      } catch (err) {
        this.done(err as Error);
      }
    }
    if (this.queue.length > 0 && !this.closed) {
      this.scheduled = true;
      setImmediate(() => this.drain());
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
