import { EventEmitter } from 'node:events';
import { afterEach, describe, expect, it } from 'vitest';
import { type Emit, type EmitterBinding, patchEmit, patchEmitInContext } from '../src/index';

/** A class of our own, so the patch never touches EventEmitter.prototype (vitest uses it). */
class Source extends EventEmitter {}

/** The context a listener sees: a stack the fake "apply in context" pushes around the call. */
const active: string[] = [];
function applyInContext(ctx: string, fn: Emit, thisArg: unknown, args: ArrayLike<unknown>): boolean {
  active.push(ctx);
  try {
    return Reflect.apply(fn, thisArg, args) as boolean;
  } finally {
    active.pop();
  }
}
const current = () => active.at(-1);

let restore: (() => void) | undefined;
afterEach(() => {
  restore?.();
  restore = undefined;
});

describe('patchEmitInContext', () => {
  it("runs a bound emitter's listeners in its context, with every argument, and an unbound one's outside", () => {
    const bindings = new WeakMap<object, EmitterBinding<string>>();
    restore = patchEmitInContext([Source.prototype], bindings, applyInContext);
    const bound = new Source();
    const unbound = new Source();
    bindings.set(bound, { ctx: 'request-1' });
    const seen: unknown[] = [];
    bound.on('data', (a, b) => seen.push([current(), a, b]));
    unbound.on('data', (a) => seen.push([current(), a]));
    expect(bound.emit('data', 1, 2)).toBe(true);
    expect(unbound.emit('data', 3)).toBe(true);
    expect(bound.emit('nobody-listens')).toBe(false);
    expect(seen).toEqual([
      ['request-1', 1, 2],
      [undefined, 3],
    ]);
  });

  it('enters no context for an event without listeners', () => {
    const bindings = new WeakMap<object, EmitterBinding<string>>();
    const entered: string[] = [];
    restore = patchEmitInContext([Source.prototype], bindings, (ctx, fn, thisArg, args) => {
      entered.push(ctx);
      return applyInContext(ctx, fn, thisArg, args);
    });
    const source = new Source();
    bindings.set(source, { ctx: 'a' });
    source.emit('prefinish');
    source.on('finish', () => {});
    source.emit('finish');
    expect(entered).toEqual(['a']);
  });

  it("reads the binding's context at each emit (a caller may extend it) and drops the entry after 'close'", () => {
    const bindings = new WeakMap<object, EmitterBinding<string>>();
    restore = patchEmitInContext([Source.prototype], bindings, applyInContext);
    const source = new Source();
    const binding = { ctx: 'span' };
    bindings.set(source, binding);
    const seen: unknown[] = [];
    source.on('end', () => seen.push(current()));
    source.on('close', () => seen.push(current()));
    source.emit('end');
    binding.ctx = 'span+segment';
    source.emit('close');
    expect(seen).toEqual(['span', 'span+segment']);
    expect(bindings.has(source)).toBe(false);
    source.emit('end');
    expect(seen.at(-1)).toBeUndefined();
  });

  it("calls onClose once per bound emitter, after its 'close' listeners, with its binding", () => {
    const bindings = new WeakMap<object, EmitterBinding<string>>();
    const closed: unknown[] = [];
    restore = patchEmitInContext([Source.prototype], bindings, applyInContext, (emitter, binding) =>
      closed.push([emitter, binding.ctx]),
    );
    const bound = new Source();
    const quiet = new Source();
    const unbound = new Source();
    bindings.set(bound, { ctx: 'response' });
    bindings.set(quiet, { ctx: 'no-listeners' });
    bound.on('close', () => closed.push('listener'));
    bound.emit('finish');
    expect(closed).toEqual([]);
    bound.emit('close');
    quiet.emit('close');
    unbound.emit('close');
    bound.emit('close');
    expect(closed).toEqual(['listener', [bound, 'response'], [quiet, 'no-listeners'], 'listener']);
  });

  it('restores the prototype, and leaves a later patch in place with ours passing through', () => {
    const original = Source.prototype.emit;
    expect(Object.hasOwn(Source.prototype, 'emit')).toBe(false);
    const bindings = new WeakMap<object, EmitterBinding<string>>();
    const undo = patchEmitInContext([Source.prototype], bindings, applyInContext);
    expect(Source.prototype.emit).not.toBe(original);
    undo();
    expect(Object.hasOwn(Source.prototype, 'emit')).toBe(false);
    expect(Source.prototype.emit).toBe(original);

    const undoAgain = patchEmit(Source.prototype, (inner) => inner);
    const theirs = function theirs(this: unknown, ...args: [string | symbol, ...unknown[]]) {
      return original.apply(this as Source, args);
    };
    Source.prototype.emit = theirs;
    undoAgain();
    expect(Source.prototype.emit).toBe(theirs);
    delete (Source.prototype as { emit?: unknown }).emit;
  });
});
