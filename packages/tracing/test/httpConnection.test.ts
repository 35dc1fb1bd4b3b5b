import { createServer, type Server, type Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { type HttpAnswer, HttpConnection } from '../src/httpConnection';

/** A raw TCP server on 127.0.0.1: `reply` gets each request (head and body) and writes what it likes. */
async function rawServer(
  reply: (request: { head: string; body: Buffer }, socket: Socket) => void,
): Promise<{ url: URL; server: Server; connections: () => number }> {
  let connections = 0;
  const server = createServer((socket) => {
    connections++;
    let buffered = Buffer.alloc(0);
    socket.on('data', (chunk) => {
      buffered = Buffer.concat([buffered, chunk]);
      for (;;) {
        const end = buffered.indexOf('\r\n\r\n');
        if (end === -1) return;
        const head = buffered.subarray(0, end).toString('latin1');
        const length = Number(/content-length: (\d+)/i.exec(head)?.[1] ?? 0);
        if (buffered.length < end + 4 + length) return;
        const body = buffered.subarray(end + 4, end + 4 + length);
        buffered = buffered.subarray(end + 4 + length);
        reply({ head, body }, socket);
      }
    });
    socket.on('error', () => {});
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  return { url: new URL(`http://127.0.0.1:${port}/v1/traces`), server, connections: () => connections };
}

function post(connection: HttpConnection, body: string, timeoutMs = 2000) {
  return new Promise<{ error?: NodeJS.ErrnoException; answer?: HttpAnswer }>((resolve) =>
    connection.post(Buffer.from(body), Date.now() + timeoutMs, (error, answer) => resolve({ error, answer })),
  );
}

const servers: Server[] = [];
const connections: HttpConnection[] = [];
afterEach(async () => {
  for (const c of connections.splice(0)) c.close();
  await Promise.all(servers.splice(0).map((s) => new Promise((r) => s.close(r))));
});

async function setUp(reply: Parameters<typeof rawServer>[0], headers: Record<string, string> = {}) {
  const raw = await rawServer(reply);
  servers.push(raw.server);
  const connection = new HttpConnection(raw.url, headers);
  connections.push(connection);
  return { ...raw, connection };
}

describe('HttpConnection (the OTLP transport’s HTTP/1.1 client)', () => {
  it('posts the head and body, and reuses one kept-alive connection for requests in turn', async () => {
    const heads: string[] = [];
    const { connection, connections: count } = await setUp(
      ({ head, body }, socket) => {
        heads.push(head);
        socket.write(`HTTP/1.1 200 OK\r\nContent-Length: ${body.length}\r\nX-Seen: yes\r\n\r\n${body}`);
      },
      { 'x-honeycomb-team': 'k' },
    );
    const [first, second] = await Promise.all([post(connection, 'one'), post(connection, 'two!')]);
    expect(first.answer?.body.toString()).toBe('one');
    expect(second.answer?.body.toString()).toBe('two!');
    expect(first.answer?.headers.get('x-seen')).toBe('yes');
    expect(count()).toBe(1);
    expect(heads[0]).toMatch(/^POST \/v1\/traces HTTP\/1\.1\r\nHost: 127\.0\.0\.1:\d+\r\n/);
    expect(heads[0]).toContain('\r\nx-honeycomb-team: k\r\n');
    expect(heads[1]).toContain('\r\nContent-Length: 4');
  });

  it('reads a chunked answer with trailers, an interim 100 Continue, and a body ended by the connection', async () => {
    let n = 0;
    const { connection } = await setUp((_request, socket) => {
      n++;
      if (n === 1) {
        socket.write('HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n');
        socket.write('3\r\nabc\r\n');
        setTimeout(() => socket.write('2;ext=1\r\nde\r\n0\r\nX-Trailer: t\r\n\r\n'), 20);
      } else {
        socket.end('HTTP/1.0 202 Accepted\r\n\r\nuntil the end');
      }
    });
    const chunked = await post(connection, 'a');
    expect(chunked.answer?.status).toBe(200);
    expect(chunked.answer?.body.toString()).toBe('abcde');
    const ended = await post(connection, 'b');
    expect(ended.answer).toMatchObject({ status: 202, reason: 'Accepted' });
    expect(ended.answer?.body.toString()).toBe('until the end');
  });

  it('opens a new connection after Connection: close, and after the collector closed an idle one', async () => {
    let n = 0;
    const { connection, connections: count } = await setUp((_request, socket) => {
      n++;
      if (n === 1) socket.write('HTTP/1.1 200 OK\r\nContent-Length: 0\r\nConnection: close\r\n\r\n');
      else {
        socket.write('HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n');
        // Its idle timeout, as a collector's keep-alive ends.
        setTimeout(() => socket.end(), 10);
      }
    });
    expect((await post(connection, 'a')).answer?.status).toBe(200);
    expect((await post(connection, 'b')).answer?.status).toBe(200);
    await new Promise((r) => setTimeout(r, 50));
    expect((await post(connection, 'c')).answer?.status).toBe(200);
    expect(count()).toBe(3);
  });

  it('fails a request, never the host, on a hang-up, an unreadable answer or no answer in time', async () => {
    let n = 0;
    const { connection } = await setUp((_request, socket) => {
      n++;
      if (n === 1) socket.destroy();
      else if (n === 2) socket.write('SMTP ready\r\n\r\n');
      else if (n === 3) socket.write('HTTP/1.1 200 OK\r\nContent-Length: nope\r\n\r\n');
      else if (n === 4) {
        socket.write('HTTP/1.1 200 OK\r\nContent-Length: 5000000\r\n\r\n');
        socket.write(Buffer.alloc(5_000_000));
      }
      // the fifth gets no answer
    });
    const hungUp = await post(connection, 'a');
    expect(hungUp.error?.code).toBe('ECONNRESET');
    expect((await post(connection, 'b')).error?.message).toMatch(/not an HTTP answer/);
    expect((await post(connection, 'c')).error?.message).toMatch(/invalid Content-Length/);
    expect((await post(connection, 'huge')).error?.message).toMatch(/exceeded 4194304 bytes/);
    const late = await post(connection, 'd', 100);
    expect(late.error?.message).toBe('Request timed out');
  });

  it('goes on with the next request when a callback throws', async () => {
    const { connection } = await setUp((_request, socket) => {
      socket.write('HTTP/1.1 204 No Content\r\nContent-Length: 0\r\n\r\n');
    });
    let called = 0;
    connection.post(Buffer.from('a'), Date.now() + 2000, () => {
      called++;
      throw new Error('a careless callback');
    });
    expect((await post(connection, 'b')).answer?.status).toBe(204);
    expect(called).toBe(1);
  });

  it('answers with an error, without sending, for a refused port or a header that would break the request', async () => {
    const { url, server } = await rawServer(() => {});
    await new Promise((r) => server.close(r));
    const refused = new HttpConnection(url, {});
    connections.push(refused);
    expect((await post(refused, 'a')).error?.code).toBe('ECONNREFUSED');
    const injected = new HttpConnection(url, { 'x-api-key': 'k\r\nX-Evil: 1' });
    connections.push(injected);
    expect((await post(injected, 'a')).error?.message).toMatch(/Invalid character/);
  });
});
