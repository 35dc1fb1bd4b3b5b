import { createSocket, type Socket } from 'node:dgram';
import type { UdpFaults } from '../faults';
import type { Store } from '../store';
import { validateDatagram } from './validate';

const RECEIVE_BUFFER_BYTES = 4 * 1024 * 1024;

/** The X-Ray daemon's UDP listener: one segment document per datagram. */
export class XrayReceiver {
  private socket: Socket | undefined;
  private boundPort: number;
  /** Set by `close()`: a fault reset after it must not bind the port again. */
  private shutDown = false;

  constructor(
    private readonly store: Store,
    private readonly faults: UdpFaults,
    port: number,
    private readonly maxDatagramBytes?: number,
  ) {
    this.boundPort = port;
    faults.attach({ close: () => this.closeSocket(), open: () => this.listen() });
  }

  get port(): number {
    return this.boundPort;
  }

  listen(): Promise<void> {
    if (this.shutDown) return Promise.resolve();
    const socket = createSocket('udp4');
    socket.on('message', (message) => this.onDatagram(message));
    return new Promise((resolve, reject) => {
      socket.once('error', reject);
      socket.bind(this.boundPort, '127.0.0.1', () => {
        socket.off('error', reject);
        // The default receive buffer (about 208 KB on Linux) holds some 90 segment datagrams: while this
        // process decodes a large OTLP or PutLogEvents body, a sender under load overflowed it and the
        // kernel dropped the rest without telling anyone (a quarter of the benchmark's segments). The
        // kernel caps the size at net.core.rmem_max; failing to set it leaves the default.
        try {
          socket.setRecvBufferSize(RECEIVE_BUFFER_BYTES);
        } catch {
          // the default buffer still works
        }
        // A datagram that fails to be handled must not crash the host process.
        socket.on('error', () => {});
        this.boundPort = socket.address().port;
        this.socket = socket;
        resolve();
      });
    });
  }

  close(): Promise<void> {
    this.shutDown = true;
    return this.closeSocket();
  }

  private closeSocket(): Promise<void> {
    const socket = this.socket;
    this.socket = undefined;
    if (!socket) return Promise.resolve();
    return new Promise((resolve) => socket.close(() => resolve()));
  }

  private onDatagram(message: Buffer): void {
    const { store } = this;
    const at = Date.now();
    const record = {
      backend: 'xray' as const,
      at,
      bytes: message.length,
      status: 0,
      operation: 'datagram',
      headers: {},
    };
    if (this.faults.shouldDrop()) {
      store.requests.push({ ...record, outcome: 'dropped' });
      store.changed();
      return;
    }
    const result = validateDatagram(message, this.maxDatagramBytes);
    if (result.ok) {
      const doc = result.document;
      store.segments.push({
        kind: result.kind,
        traceId: String(doc.trace_id),
        id: String(doc.id),
        name: String(doc.name),
        parentId: typeof doc.parent_id === 'string' ? doc.parent_id : undefined,
        document: doc,
        bytes: message.length,
        receivedAt: at,
      });
      store.requests.push({ ...record, outcome: 'ok' });
    } else {
      store.reject({ backend: 'xray', at, reason: result.reason, message: result.message });
      store.requests.push({ ...record, outcome: 'rejected' });
    }
    store.changed();
  }
}
