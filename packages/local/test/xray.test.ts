import AWSXRay from 'aws-xray-sdk-core';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type Local, startLocal } from '../src/index';

const silent = { debug() {}, info() {}, warn() {}, error() {} };

describe('X-Ray daemon receiver', () => {
  let local: Local;
  beforeAll(async () => {
    local = await startLocal();
    AWSXRay.setLogger(silent);
    AWSXRay.enableManualMode();
    AWSXRay.setDaemonAddress(local.env.AWS_XRAY_DAEMON_ADDRESS);
  });
  beforeEach(() => local.clear());
  afterAll(async () => {
    await local.close();
  });

  it('stores a segment with its subsegments sent by aws-xray-sdk-core', async () => {
    const segment = new AWSXRay.Segment('backend-flask');
    const sub = segment.addNewSubsegment('db-query');
    sub.addAnnotation('rows', 3);
    sub.close();
    segment.close();
    const [stored] = await local.waitFor(() =>
      local.segments().length === 1 ? local.segments() : undefined,
    );
    expect(stored).toMatchObject({
      kind: 'segment',
      name: 'backend-flask',
      id: segment.id,
      traceId: segment.trace_id,
    });
    expect(stored!.traceId).toMatch(/^1-[0-9a-f]{8}-[0-9a-f]{24}$/);
    const subs = stored!.document.subsegments as { name: string; annotations: Record<string, unknown> }[];
    expect(subs[0]).toMatchObject({ name: 'db-query', annotations: { rows: 3 } });
    expect(local.requests({ backend: 'xray' })[0]).toMatchObject({ outcome: 'ok', operation: 'datagram' });
  });

  it('accepts what the SDK streams: subsegment documents, errors with causes, metadata', async () => {
    AWSXRay.setStreamingThreshold(0);
    try {
      const segment = new AWSXRay.Segment('streaming');
      // The SDK streams a closed subsegment while others are still open (open count > threshold).
      const sub = segment.addNewSubsegment('remote-call');
      const other = segment.addNewSubsegment('still-open');
      sub.addMetadata('payload', { nested: [1, 2] });
      sub.addError(new Error('downstream failed'));
      sub.close();
      other.close();
      segment.addAnnotation('user_id', 'u-1');
      segment.close();
      await local.waitFor(() => local.segments().length === 2);
      const [subDoc, segDoc] = local.segments();
      expect(subDoc).toMatchObject({ kind: 'subsegment', name: 'remote-call', parentId: segment.id });
      expect(subDoc!.document).toMatchObject({ trace_id: segment.trace_id, fault: true });
      expect(segDoc).toMatchObject({ kind: 'segment', name: 'streaming' });
      expect(local.rejections()).toEqual([]);
    } finally {
      AWSXRay.setStreamingThreshold(100);
    }
  });
});
