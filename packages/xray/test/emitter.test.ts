import { createSocket } from 'node:dgram';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import { UdpEmitter } from '../src/emitter';

async function udpPort(): Promise<{ port: number; received: string[]; close(): Promise<void> }> {
  const socket = createSocket('udp4');
  const received: string[] = [];
  socket.on('message', (m) => received.push(m.toString()));
  await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve));
  return {
    port: (socket.address() as AddressInfo).port,
    received,
    close: () => new Promise<void>((resolve) => socket.close(() => resolve())),
  };
}

/** Polls until `done()` or `ms` passed (UDP delivery has no acknowledgement to await). */
async function until(done: () => boolean, ms: number): Promise<void> {
  const deadline = Date.now() + ms;
  while (!done() && Date.now() < deadline) await new Promise((r) => setTimeout(r, 5));
}

/** A document of about 1.4 KB: a request's segment with a few subsegments and some metadata. */
const SEGMENT_SIZED = JSON.stringify({ pad: 'x'.repeat(1400) });

describe('UdpEmitter', () => {
  it('sends every document, in order, over a socket connected to an IP-literal daemon', async () => {
    const daemon = await udpPort();
    const emitter = new UdpEmitter('127.0.0.1', daemon.port, 100);
    // Sent before the connect completed and after it: none is lost, the order is kept.
    for (let i = 0; i < 5; i++) emitter.send(`{"n":${i}}`);
    await emitter.flush(1000);
    await new Promise((r) => setTimeout(r, 50));
    emitter.send('{"n":5}');
    await emitter.close(1000);
    await new Promise((r) => setTimeout(r, 50));
    expect(daemon.received.map((m) => JSON.parse(m.split('\n')[1] ?? '').n)).toEqual([0, 1, 2, 3, 4, 5]);
    expect(daemon.received[0]?.split('\n')[0]).toBe('{"format":"json","version":1}');
    expect(emitter.stats()).toEqual({ sent: 6, dropped: {}, pending: 0 });
    await daemon.close();
  });

  it('keeps sending to a closed port without throwing (the refusal comes back as a socket error, warned)', async () => {
    const closed = await udpPort();
    await closed.close();
    const emitter = new UdpEmitter('127.0.0.1', closed.port, 100);
    for (let i = 0; i < 5; i++) {
      emitter.send('{}');
      await emitter.flush(1000);
      await new Promise((r) => setTimeout(r, 20));
    }
    await emitter.close(1000);
    // UDP has no delivery report: as with the SDK's unconnected socket, what the kernel took is sent.
    expect(emitter.stats()).toEqual({ sent: 5, dropped: {}, pending: 0 });
  });

  it("sends up to 32 of a turn's documents in that turn: a loaded server's turn does not fall behind", async () => {
    const daemon = await udpPort();
    const emitter = new UdpEmitter('127.0.0.1', daemon.port, 1000);
    emitter.send('{}');
    await emitter.flush(1000); // connected
    for (let i = 0; i < 40; i++) emitter.send(SEGMENT_SIZED);
    // This immediate runs after the emitter's (queued first), and the send callbacks before it.
    await new Promise((r) => setImmediate(r));
    expect(emitter.stats().sent).toBe(1 + 32);
    await emitter.flush(1000);
    expect(emitter.stats()).toEqual({ sent: 41, dropped: {}, pending: 0 });
    await emitter.close(1000);
    await daemon.close();
  });

  it('paces a burst so that a daemon in the same event loop, with the default receive buffer, gets all of it', async () => {
    // 500 documents of 1.4 KB (700 KB) sent in one turn would overflow the receive buffer (about 208 KB
    // by default on Linux) before this loop reads; paced, the reader keeps up.
    const daemon = await udpPort();
    const emitter = new UdpEmitter('127.0.0.1', daemon.port, 1000);
    for (let i = 0; i < 500; i++) emitter.send(SEGMENT_SIZED);
    await emitter.flush(5000);
    await until(() => daemon.received.length === 500, 2000);
    expect(emitter.stats()).toEqual({ sent: 500, dropped: {}, pending: 0 });
    expect(daemon.received).toHaveLength(500);
    await emitter.close(1000);
    await daemon.close();
  });
});
