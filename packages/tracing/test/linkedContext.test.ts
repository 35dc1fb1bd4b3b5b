import { createContextKey, ROOT_CONTEXT } from '@opentelemetry/api';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { LinkedContext } from '../src/linkedContext';

describe('LinkedContext', () => {
  it('answers like the API context for any sequence of sets and deletes', () => {
    const keys = [createContextKey('a'), createContextKey('b'), createContextKey('c')];
    const op = fc.record({
      key: fc.integer({ min: 0, max: keys.length - 1 }),
      del: fc.boolean(),
      value: fc.oneof(fc.integer(), fc.string(), fc.constant(undefined)),
    });
    fc.assert(
      fc.property(fc.array(op, { maxLength: 20 }), (ops) => {
        let ours = LinkedContext.ROOT;
        let theirs = ROOT_CONTEXT;
        for (const { key, del, value } of ops) {
          const k = keys[key] as symbol;
          ours = del ? ours.deleteValue(k) : ours.setValue(k, value);
          theirs = del ? theirs.deleteValue(k) : theirs.setValue(k, value);
          for (const probe of keys) expect(ours.getValue(probe)).toBe(theirs.getValue(probe));
        }
      }),
    );
  });

  it('never changes the context a value was set on', () => {
    const key = createContextKey('k');
    const parent = LinkedContext.ROOT.setValue(key, 1);
    const child = parent.setValue(key, 2);
    expect(parent.getValue(key)).toBe(1);
    expect(child.getValue(key)).toBe(2);
    expect(child.deleteValue(key).getValue(key)).toBeUndefined();
    expect(child.getValue(key)).toBe(2);
  });
});
