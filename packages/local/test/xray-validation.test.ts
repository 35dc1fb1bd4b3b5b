import { createSocket } from 'node:dgram';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type Local, startLocal } from '../src/index';

const HEADER = '{"format":"json","version":1}';
const now = Date.now() / 1000;
const valid = {
  name: 'backend-flask',
  id: '70de5b6f19ff9a0a',
  trace_id: '1-5759e988-bd862e3fe1be46a994272793',
  start_time: now - 1,
  end_time: now,
};

/**
 * The X-Ray document rules. aws-xray-sdk-core only ever emits valid documents, so broken ones are
 * sent as raw datagrams in the daemon's wire format.
 */
describe('X-Ray document validation', () => {
  let local: Local;
  const socket = createSocket('udp4');
  const send = (text: string) =>
    new Promise<void>((resolve, reject) =>
      socket.send(Buffer.from(text), local.ports.xray, '127.0.0.1', (error) =>
        error ? reject(error) : resolve(),
      ),
    );
  const sendDoc = (doc: Record<string, unknown>) => send(`${HEADER}\n${JSON.stringify(doc)}`);
  const rejectedFor = async (text: string) => {
    await send(text);
    const [rejection] = await local.waitFor(() => local.rejections().length === 1 && local.rejections());
    expect(local.segments()).toEqual([]);
    return rejection!.reason;
  };
  const accepted = async (doc: Record<string, unknown>) => {
    await sendDoc(doc);
    await local.waitFor(() => local.segments().length === 1);
    expect(local.rejections()).toEqual([]);
    return local.segments()[0]!;
  };

  beforeAll(async () => {
    local = await startLocal({ maxDatagramBytes: 2_000 });
  });
  beforeEach(() => local.clear());
  afterAll(async () => {
    socket.close();
    await local.close();
  });

  it('accepts a complete segment document', async () => {
    expect((await accepted(valid)).kind).toBe('segment');
  });

  it.each([
    ['missing_header', JSON.stringify(valid)],
    ['invalid_header', `{"format":"json","version":2}\n${JSON.stringify(valid)}`],
    ['invalid_json', `${HEADER}\n{"name":`],
    [
      'too_large',
      `${HEADER}\n${JSON.stringify({ ...valid, metadata: { default: { blob: 'x'.repeat(2_000) } } })}`,
    ],
  ])('rejects a datagram: %s', async (reason, text) => {
    expect(await rejectedFor(text)).toBe(reason);
  });

  it.each([
    ['invalid_name', { name: '' }],
    ['invalid_name', { name: 'n'.repeat(201) }],
    ['invalid_name', { name: 'bad!name' }],
    ['invalid_id', { id: '70de5b6f19ff9a0' }],
    ['invalid_trace_id', { trace_id: '5759e988bd862e3fe1be46a994272793' }],
    ['invalid_trace_id', { trace_id: '1-5759e98-bd862e3fe1be46a994272793' }],
    ['invalid_start_time', { start_time: '1700000000' }],
    ['missing_end_time', { end_time: undefined }],
    ['invalid_end_time', { end_time: 'later' }],
    ['end_before_start', { end_time: now - 2 }],
    ['in_progress_with_end_time', { in_progress: true }],
    ['invalid_type', { type: 'segment' }],
    ['missing_parent_id', { type: 'subsegment' }],
    ['invalid_parent_id', { parent_id: 'xyz' }],
    ['invalid_flag', { fault: 'yes' }],
    ['invalid_annotation', { annotations: { 'bad-key': 1 } }],
    ['invalid_annotation', { annotations: { key: { nested: true } } }],
    ['missing_end_time', { subsegments: [{ name: 'db', id: '1111111111111111', start_time: now - 1 }] }],
    ['invalid_id', { subsegments: [{ name: 'db', id: 'nope', start_time: now - 1, end_time: now }] }],
  ])('rejects a document: %s %j', async (reason, change) => {
    expect(await rejectedFor(`${HEADER}\n${JSON.stringify({ ...valid, ...change })}`)).toBe(reason);
  });

  it.each([
    ['in_progress instead of end_time', { end_time: undefined, in_progress: true }],
    ['a name with the allowed symbols', { name: 'api.example.com:443/_x %&#=+\\-@ ünï' }],
    ['a segment continuing a caller (parent_id)', { parent_id: '53995c3f42cd8ad8' }],
    [
      'flags and indexed annotations',
      { fault: true, error: false, annotations: { user_id: 'u1', n: 1, ok: true } },
    ],
    [
      'embedded subsegments',
      { subsegments: [{ name: 'db', id: '1111111111111111', start_time: now - 1, in_progress: true }] },
    ],
  ])('accepts %s', async (_label, change) => {
    await accepted({ ...valid, ...change });
  });

  it('accepts a subsegment document sent on its own, with parent_id and trace_id', async () => {
    const stored = await accepted({
      ...valid,
      type: 'subsegment',
      parent_id: '53995c3f42cd8ad8',
      name: 'db',
    });
    expect(stored).toMatchObject({ kind: 'subsegment', parentId: '53995c3f42cd8ad8' });
  });
});
