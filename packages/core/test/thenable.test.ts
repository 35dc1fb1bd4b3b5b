import { describe, expect, it } from 'vitest';
import { isThenable } from '../src/index';

describe('isThenable', () => {
  it('is true for promises and for objects or functions with a then method, false for anything else', () => {
    const thenableFunction = Object.assign(() => 1, { then: () => undefined });
    expect([Promise.resolve(1), { then: () => undefined }, thenableFunction].map(isThenable)).toEqual([
      true,
      true,
      true,
    ]);
    expect([undefined, null, 0, 'then', { then: 1 }, () => 1, []].map(isThenable)).toEqual(
      Array(7).fill(false),
    );
  });
});
