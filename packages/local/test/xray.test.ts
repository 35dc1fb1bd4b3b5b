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
});
