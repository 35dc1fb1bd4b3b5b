import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import { type Context, context, createContextKey, ROOT_CONTEXT } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { type Emit, type EmitterBinding, patchEmitInContext } from '@sightline/core';

/**
 * The current X-Ray segment or subsegment lives in the OpenTelemetry context, under this key, so one
 * AsyncLocalStorage carries both tracing systems and nested async work always finds its parent.
 */
export const XRAY_ENTITY_KEY = createContextKey('sightline.xray.entity');

/** Reads what the xray backend stored in the active context (an opaque value for this module). */
export function activeEntity<T>(): T | undefined {
  return context.active().getValue(XRAY_ENTITY_KEY) as T | undefined;
}

/** `ctx` with `entity` as the current X-Ray entity. */
export function contextWithEntity<T>(ctx: Context, entity: T): Context {
  return ctx.setValue(XRAY_ENTITY_KEY, entity);
}

/** Each bound request and response → the context its events run in. */
const bound = new WeakMap<object, EmitterBinding<Context>>();
let restoreEmitters: (() => void) | undefined;

/**
 * Makes the request's and the response's events run with `entity` current: a request's body arrives
 * in events emitted from its socket, outside the handler's context. Through a patch of their classes'
 * `emit` (installed on the first call, removed with the last backend) rather than OpenTelemetry's
 * `context.bind`, which gives each object eight own methods and wraps every listener: that cost X-Ray
 * alone about 90 µs per request in the request-overhead benchmark.
 */
export function bindRequestToEntity<T>(request: IncomingMessage, response: ServerResponse, entity: T): void {
  // Every backend has shut down (a request that began just before): nothing would remove the patch.
  if (users === 0) return;
  restoreEmitters ??= patchEmitInContext(
    [http.IncomingMessage.prototype, http.ServerResponse.prototype],
    bound,
    applyInContext,
  );
  const binding = { ctx: contextWithEntity(context.active(), entity) };
  bound.set(request, binding);
  bound.set(response, binding);
}

function applyInContext(ctx: Context, fn: Emit, thisArg: unknown, args: ArrayLike<unknown>): boolean {
  return context.with(ctx, Reflect.apply, undefined, fn, thisArg, args) as boolean;
}

/** Runs `fn` with `entity` as the current X-Ray entity, on top of whatever else the context holds. */
export function withEntity<T, R>(entity: T, fn: () => R): R {
  return context.with(contextWithEntity(context.active(), entity), fn);
}

// When tracing is off nobody registered a context manager and the API's no-op one forgets everything;
// then we register AsyncLocalStorage ourselves, shared by every backend instance of this module.
let owned: AsyncLocalStorageContextManager | undefined;
let users = 0;

/** Whether a working context manager is registered (the no-op manager always answers ROOT_CONTEXT). */
export function contextPropagates(): boolean {
  const probe: Context = ROOT_CONTEXT.setValue(XRAY_ENTITY_KEY, true);
  return context.with(probe, () => context.active() === probe);
}

/** Makes sure a context manager runs; returns a release function that unregisters only what we registered. */
export function acquireContextManager(): () => void {
  users++;
  if (!owned && !contextPropagates()) {
    const manager = new AsyncLocalStorageContextManager().enable();
    if (context.setGlobalContextManager(manager)) owned = manager;
    else manager.disable();
  }
  let released = false;
  return () => {
    if (released) return;
    released = true;
    users--;
    if (users === 0 && owned) {
      owned = undefined;
      // disable() unregisters the global manager and disables ours.
      context.disable();
    }
    if (users === 0) {
      restoreEmitters?.();
      restoreEmitters = undefined;
    }
  };
}

/** Whether this module registered the process's context manager (for the start-up summary). */
export function ownsContextManager(): boolean {
  return owned !== undefined;
}
