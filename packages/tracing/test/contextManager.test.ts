import { context, createContextKey, ROOT_CONTEXT } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  activeContext,
  applyInContext,
  registerContextManager,
  SightlineContextManager,
} from '../src/contextManager';

const KEY = createContextKey('test key');

function collect(this: unknown, ...args: unknown[]) {
  return { self: this, args, value: context.active().getValue(KEY) };
}

describe('SightlineContextManager and its shortcuts', () => {
  afterEach(() => context.disable());

  it('runs a call with the context active, forwarding this and an arguments object unchanged', () => {
    expect(registerContextManager(new SightlineContextManager().enable())).toBe(true);
    const ctx = ROOT_CONTEXT.setValue(KEY, 'inside');
    const self = { name: 'emitter' };
    function forward(this: unknown, _a: unknown, _b: unknown) {
      // biome-ignore lint/complexity/noArguments: what the emit wrapper passes on
      return applyInContext(ctx, collect, this, arguments);
    }
    // Straight to the storage: the API's context.with is not on the way.
    const viaApi = vi.spyOn(context, 'with');
    const result = forward.call(self, 'event', 42);
    expect(viaApi).not.toHaveBeenCalled();
    viaApi.mockRestore();
    expect(result).toEqual({ self, args: ['event', 42], value: 'inside' });
    expect(activeContext().getValue(KEY)).toBeUndefined();
    expect(context.with(ctx, () => activeContext())).toBe(ctx);
  });

  it('keeps the context across awaits started inside the call', async () => {
    expect(registerContextManager(new SightlineContextManager().enable())).toBe(true);
    const ctx = ROOT_CONTEXT.setValue(KEY, 'async');
    const later = await applyInContext(
      ctx,
      async () => {
        await new Promise((r) => setTimeout(r, 1));
        return context.active().getValue(KEY);
      },
      undefined,
      [],
    );
    expect(later).toBe('async');
  });

  it('goes through the API when another manager is registered (ours unregistered by context.disable())', () => {
    const ours = new SightlineContextManager().enable();
    expect(registerContextManager(ours)).toBe(true);
    context.disable();
    expect(context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable())).toBe(true);
    const ctx = ROOT_CONTEXT.setValue(KEY, 'theirs');
    // Were ours still used, the call would run in a storage the API no longer reads.
    expect(applyInContext(ctx, collect, undefined, ['x']).value).toBe('theirs');
    expect(context.with(ctx, () => activeContext())).toBe(ctx);
  });

  it('does not register over a manager already registered, and then leaves every call to the API', () => {
    expect(context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable())).toBe(true);
    expect(registerContextManager(new SightlineContextManager().enable())).toBe(false);
    const ctx = ROOT_CONTEXT.setValue(KEY, 'first');
    expect(applyInContext(ctx, collect, undefined, []).value).toBe('first');
  });

  it('falls back to the base class when the storage field it reads is not there', () => {
    const manager = new SightlineContextManager().enable();
    (manager as unknown as { storage: undefined }).storage = undefined;
    expect(registerContextManager(manager)).toBe(true);
    const ctx = ROOT_CONTEXT.setValue(KEY, 'fallback');
    expect(applyInContext(ctx, collect, undefined, [1]).value).toBe('fallback');
    expect(context.with(ctx, () => manager.current())).toBe(ctx);
  });
});
