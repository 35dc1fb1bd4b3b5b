import { createSocket } from 'node:dgram';
import {
  CreateLogGroupCommand,
  DescribeLogGroupsCommand,
  ServiceUnavailableException,
  ThrottlingException,
} from '@aws-sdk/client-cloudwatch-logs';
import AWSXRay from 'aws-xray-sdk-core';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type Local, startLocal } from '../src/index';
import { RpcStatus } from '../src/otlp/schema';
import { cloudWatchClient, otlpProvider, rollbarClient, waitRollbar } from './clients';

describe('fault injection', () => {
  let local: Local;
  beforeEach(async () => {
    local = await startLocal();
  });
  afterEach(async () => {
    await local.close();
  });

  describe('CloudWatch Logs', () => {
    it('throttleNext(n) answers ThrottlingException n times; the SDK retries through it', async () => {
      local.faults.cwlogs.throttleNext(2);
      const patient = cloudWatchClient(local, 3);
      await patient.send(new CreateLogGroupCommand({ logGroupName: 'g' }));
      expect(local.requests({ backend: 'cwlogs' }).map((r) => r.outcome)).toEqual([
        'throttled',
        'throttled',
        'ok',
      ]);
      local.faults.cwlogs.throttleNext(1);
      const impatient = cloudWatchClient(local, 1);
      const error = await impatient.send(new DescribeLogGroupsCommand({})).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ThrottlingException);
      expect((error as ThrottlingException).$metadata.httpStatusCode).toBe(400);
      patient.destroy();
      impatient.destroy();
    });

    it('failNext(n, status) answers ServiceUnavailableException with that status', async () => {
      local.faults.cwlogs.failNext(1, 503);
      const client = cloudWatchClient(local, 1);
      const error = await client.send(new DescribeLogGroupsCommand({})).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ServiceUnavailableException);
      expect((error as ServiceUnavailableException).$metadata.httpStatusCode).toBe(503);
      await client.send(new DescribeLogGroupsCommand({}));
      expect(local.faults.cwlogs.pending).toBe(0);
      client.destroy();
    });

    it('refuseConnections() closes the port until acceptConnections()', async () => {
      const client = cloudWatchClient(local, 1);
      await client.send(new DescribeLogGroupsCommand({}));
      await local.faults.cwlogs.refuseConnections();
      // Open keep-alive connections are reset; a new connection is refused.
      const fresh = cloudWatchClient(local, 1);
      const error = await fresh.send(new DescribeLogGroupsCommand({})).catch((e: unknown) => e);
      expect((error as { code?: string }).code).toBe('ECONNREFUSED');
      fresh.destroy();
      await local.faults.cwlogs.acceptConnections();
      // The old client's pooled socket was reset; one retry lets it reconnect, as a real sender would.
      const retrying = cloudWatchClient(local, 2);
      await retrying.send(new CreateLogGroupCommand({ logGroupName: 'back' }));
      expect(local.logGroups().map((g) => g.name)).toEqual(['back']);
      client.destroy();
      retrying.destroy();
    });
  });

  describe('OTLP', () => {
    it('throttleNext answers 429 with a RESOURCE_EXHAUSTED status body', async () => {
      local.faults.otlp.throttleNext();
      const res = await fetch(`${local.env.OTEL_EXPORTER_OTLP_ENDPOINT}/v1/traces`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-protobuf' },
        body: new Uint8Array(),
      });
      expect(res.status).toBe(429);
      expect(RpcStatus.decode(new Uint8Array(await res.arrayBuffer())).toJSON()).toMatchObject({ code: 8 });
    });

    it('throttleNext with retryAfterSeconds: 0 lets the real exporter retry at once and deliver', async () => {
      local.faults.otlp.throttleNext(2, { retryAfterSeconds: 0 });
      const provider = otlpProvider(local);
      provider.getTracer('t').startSpan('retried').end();
      await local.waitFor(() => local.spans({ name: 'retried' }).length === 1);
      expect(local.requests().map((r) => r.status)).toEqual([429, 429, 200]);
      await provider.shutdown();
    });

    it('failNext(1, 500) fails one export of the real exporter; the next one is stored', async () => {
      local.faults.otlp.failNext(1, 500);
      const provider = otlpProvider(local);
      const tracer = provider.getTracer('t');
      tracer.startSpan('lost').end();
      await local.waitFor(() => local.requests().length === 1);
      tracer.startSpan('kept').end();
      await local.waitFor(() => local.spans().length === 1);
      expect(local.spans().map((s) => s.name)).toEqual(['kept']);
      expect(local.requests().map((r) => [r.status, r.outcome])).toEqual([
        [500, 'fault'],
        [200, 'ok'],
      ]);
      await provider.shutdown();
    });
  });

  describe('Rollbar', () => {
    it('throttleNext answers 429 and the rollbar package reports the error', async () => {
      local.faults.rollbar.throttleNext();
      const rollbar = rollbarClient(local);
      const error = await new Promise<unknown>((resolve) => rollbar.info('first', (e) => resolve(e)));
      await waitRollbar(rollbar);
      expect(error).toBeTruthy();
      rollbar.info('second');
      await waitRollbar(rollbar);
      await local.waitFor(() => local.items().length === 1);
      expect(local.requests({ backend: 'rollbar' }).map((r) => r.status)).toEqual([429, 200]);
    });
  });

  describe('delays', () => {
    it('delayResponses(ms) holds the answer back after the request was handled', async () => {
      local.faults.rollbar.delayResponses(60_000);
      const abort = new AbortController();
      const pending = fetch(local.env.ROLLBAR_ENDPOINT, {
        method: 'POST',
        headers: { 'x-rollbar-access-token': 'fake-token-1234' },
        body: JSON.stringify({ data: { environment: 'e', body: { message: { body: 'm' } } } }),
        signal: abort.signal,
      });
      await local.waitFor(() => local.items().length === 1);
      abort.abort();
      await expect(pending).rejects.toThrow();
      local.faults.rollbar.delayResponses(0);
      const res = await fetch(local.env.ROLLBAR_ENDPOINT, {
        method: 'POST',
        headers: { 'x-rollbar-access-token': 'fake-token-1234' },
        body: JSON.stringify({ data: { environment: 'e', body: { message: { body: 'm' } } } }),
      });
      expect(res.status).toBe(200);
    });

    it('a short delay still answers', async () => {
      local.faults.cwlogs.delayResponses(20);
      const client = cloudWatchClient(local, 1);
      await client.send(new CreateLogGroupCommand({ logGroupName: 'slow' }));
      expect(local.logGroups()).toHaveLength(1);
      client.destroy();
    });
  });

  describe('X-Ray', () => {
    const silent = { debug() {}, info() {}, warn() {}, error() {} };
    beforeEach(() => {
      AWSXRay.setLogger(silent);
      AWSXRay.enableManualMode();
      AWSXRay.setDaemonAddress(local.env.AWS_XRAY_DAEMON_ADDRESS);
    });

    it('dropNext(n) drops datagrams and counts them', async () => {
      local.faults.xray.dropNext(1);
      new AWSXRay.Segment('dropped').close();
      new AWSXRay.Segment('kept').close();
      await local.waitFor(() => local.requests({ backend: 'xray' }).length === 2);
      expect(local.segments().map((s) => s.name)).toEqual(['kept']);
      expect(local.requests().map((r) => r.outcome)).toEqual(['dropped', 'ok']);
    });

    it('dropAll() drops until turned off', async () => {
      local.faults.xray.dropAll();
      new AWSXRay.Segment('a').close();
      await local.waitFor(() => local.requests().length === 1);
      local.faults.xray.dropAll(false);
      new AWSXRay.Segment('b').close();
      await local.waitFor(() => local.segments().length === 1);
      expect(local.segments()[0]?.name).toBe('b');
    });

    it('refuseConnections() closes the UDP port; acceptConnections() binds it again', async () => {
      await local.faults.xray.refuseConnections();
      const socket = createSocket('udp4');
      // Nothing listens: the datagram is lost (the send itself succeeds, as UDP does).
      await new Promise<void>((resolve) =>
        socket.send('{"format":"json","version":1}\n{}', local.ports.xray, '127.0.0.1', () => resolve()),
      );
      socket.close();
      await local.faults.xray.acceptConnections();
      new AWSXRay.Segment('after').close();
      await local.waitFor(() => local.segments().length === 1);
      expect(local.requests()).toHaveLength(1);
    });
  });

  it('faults.reset() clears every queued fault and reopens ports', async () => {
    local.faults.cwlogs.throttleNext(5);
    local.faults.otlp.failNext(5);
    local.faults.xray.dropAll();
    await local.faults.rollbar.refuseConnections();
    await local.faults.reset();
    expect(local.faults.cwlogs.pending + local.faults.otlp.pending).toBe(0);
    const res = await fetch(local.env.ROLLBAR_ENDPOINT, { method: 'POST', body: '{}' });
    expect(res.status).toBe(401);
  });

  it('a fault reset after close() does not open the ports again', async () => {
    await local.faults.cwlogs.refuseConnections();
    await local.faults.xray.refuseConnections();
    await local.close();
    await local.faults.reset();
    const error = await fetch(local.env.ROLLBAR_ENDPOINT, { method: 'POST', body: '{}' }).catch(
      (e: Error) => e,
    );
    expect(error).toBeInstanceOf(Error);
    const cw = await fetch(local.env.AWS_ENDPOINT_URL_CLOUDWATCH_LOGS, { method: 'POST' }).catch(
      (e: Error) => e,
    );
    expect(cw).toBeInstanceOf(Error);
  });

  it('failNext refuses a status that is not 5xx', () => {
    expect(() => local.faults.otlp.failNext(1, 404)).toThrow(RangeError);
  });
});
