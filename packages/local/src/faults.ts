/** What an HTTP receiver must do instead of its normal answer. */
export type InjectedFault = ({ kind: 'throttle' } | { kind: 'fault'; status: number }) & {
  retryAfterSeconds?: number;
};

/** Options of `throttleNext` and `failNext`. */
export interface FaultOptions {
  /**
   * Adds a `Retry-After: <seconds>` header to the answer. Default: none. OTLP exporters honour it:
   * `0` makes them retry at once instead of after their ~1 s backoff, which keeps tests fast.
   */
  retryAfterSeconds?: number;
}

/** Opens and closes a receiver's socket; supplied by the receiver. */
export interface ListenerControl {
  close(): Promise<void>;
  open(): Promise<void>;
}

/** Closing and reopening a receiver's socket, shared by the HTTP and UDP receivers' faults. */
abstract class ListenerFaults {
  private control: ListenerControl | undefined;
  private refusing = false;

  /**
   * Closes the receiver's socket: HTTP senders get `ECONNREFUSED` (open connections are closed too);
   * UDP datagrams are lost (the sender may see ICMP port unreachable).
   */
  async refuseConnections(): Promise<void> {
    if (this.refusing || !this.control) return;
    this.refusing = true;
    await this.control.close();
  }

  /** Listens (or binds) again on the same port after `refuseConnections()`. */
  async acceptConnections(): Promise<void> {
    if (!this.refusing || !this.control) return;
    await this.control.open();
    this.refusing = false;
  }

  /** @internal */
  attach(control: ListenerControl): void {
    this.control = control;
  }
}

/**
 * Faults of an HTTP receiver (OTLP, CloudWatch Logs, Rollbar), scriptable from tests.
 * Each backend answers an injected fault in its own protocol: OTLP 429 / 5xx, CloudWatch Logs
 * 400 `ThrottlingException` / 500 `ServiceUnavailableException`, Rollbar 429 / 5xx with `{"err":1}`.
 */
export class HttpFaults extends ListenerFaults {
  private queue: InjectedFault[] = [];
  private delay = 0;

  /** The next `n` requests are answered as throttled (default 1). */
  throttleNext(n = 1, options: FaultOptions = {}): this {
    for (let i = 0; i < n; i++) this.queue.push({ kind: 'throttle', ...options });
    return this;
  }

  /** The next `n` requests fail with a server error (default 1 request, status 503). */
  failNext(n = 1, status = 503, options: FaultOptions = {}): this {
    if (status < 500 || status > 599) throw new RangeError(`failNext: status must be 5xx, got ${status}`);
    for (let i = 0; i < n; i++) this.queue.push({ kind: 'fault', status, ...options });
    return this;
  }

  /** Every response is held back `ms` milliseconds before it is sent (0 turns it off). */
  delayResponses(ms: number): this {
    this.delay = Math.max(0, ms);
    return this;
  }

  /** Clears queued faults and the delay, and accepts connections again. */
  async reset(): Promise<void> {
    this.queue = [];
    this.delay = 0;
    await this.acceptConnections();
  }

  /** Faults still queued. */
  get pending(): number {
    return this.queue.length;
  }

  /** @internal The fault to apply to the request being handled, if any. */
  take(): InjectedFault | undefined {
    return this.queue.shift();
  }

  /** @internal */
  get delayMs(): number {
    return this.delay;
  }
}

/** Faults of the X-Ray daemon receiver (UDP: a sender never learns about them, as with a real daemon). */
export class UdpFaults extends ListenerFaults {
  private dropCount = 0;
  private dropEverything = false;

  /** The next `n` datagrams are dropped, counted in `requests()` as `'dropped'` (default 1). */
  dropNext(n = 1): this {
    this.dropCount += n;
    return this;
  }

  /** Drops every datagram until called with `false`. */
  dropAll(on = true): this {
    this.dropEverything = on;
    return this;
  }

  /** Stops dropping and binds the port again if it was closed. */
  async reset(): Promise<void> {
    this.dropCount = 0;
    this.dropEverything = false;
    await this.acceptConnections();
  }

  /** @internal Whether to drop the datagram being handled. */
  shouldDrop(): boolean {
    if (this.dropEverything) return true;
    if (this.dropCount > 0) {
      this.dropCount--;
      return true;
    }
    return false;
  }
}

/** The faults of all four receivers: `local.faults.cwlogs.throttleNext(2)`. */
export interface Faults {
  otlp: HttpFaults;
  xray: UdpFaults;
  cwlogs: HttpFaults;
  rollbar: HttpFaults;
  /** Resets every backend's faults. */
  reset(): Promise<void>;
}
