/** An EventEmitter's `emit`, as it is patched here. */
export type Emit = (this: unknown, event: string | symbol, ...args: unknown[]) => boolean;

/** `Reflect.apply(fn, thisArg, args)` with `ctx` as the active context (`args` may be `arguments`). */
export type ApplyInContext<C> = (ctx: C, fn: Emit, thisArg: unknown, args: ArrayLike<unknown>) => boolean;

/** What an emitter is bound to: its listeners run with `ctx` active. Callers may keep more beside it. */
export interface EmitterBinding<C> {
  ctx: C;
}

/**
 * Makes the listeners of bound emitters run in their binding's context, for emitters whose events come
 * from outside the code that bound them (a request's body arrives in events emitted from its socket):
 * `emit` is patched once on each prototype in `prototypes`, and each bound emitter is found in
 * `bindings`. Nothing is added to the emitters themselves: Node's stream and http code reads them at
 * call sites shared by every request, and one more own property on each (what OpenTelemetry's
 * `context.bind` adds, eight of them) puts those sites on V8's slow lookup paths.
 *
 * An emitter's entry is removed after its 'close' event (its last), and then `onClose`, when given, is
 * called with the emitter and its binding: what a 'close' listener per emitter would do, without adding
 * one (an own listener on every request's response costs its listener table). It must not throw. An
 * event nobody listens to runs no code, so no context is entered for it. Returns the function that
 * restores the prototypes.
 */
export function patchEmitInContext<B extends EmitterBinding<unknown>>(
  prototypes: readonly object[],
  bindings: WeakMap<object, B>,
  applyInContext: ApplyInContext<B['ctx']>,
  onClose?: (emitter: object, binding: B) => void,
): () => void {
  const restores = prototypes.map((prototype) =>
    patchEmit(prototype, (original) => emitInContext(original, bindings, applyInContext, onClose)),
  );
  return () => {
    for (const restore of restores) restore();
  };
}

/**
 * Replaces `prototype.emit` with `wrap(original)`. Returns the function that puts the original back,
 * unless someone patched over the wrapper since (an APM agent): the wrapper then stays in their chain.
 */
export function patchEmit(prototype: object, wrap: (original: Emit) => Emit): () => void {
  const proto = prototype as { emit: Emit };
  const original = proto.emit;
  const own = Object.hasOwn(proto, 'emit');
  const wrapper = wrap(original);
  proto.emit = wrapper;
  return () => {
    if (proto.emit !== wrapper) return;
    if (own) proto.emit = original;
    else delete (proto as { emit?: Emit }).emit;
  };
}

/**
 * Through `Reflect.apply` with `arguments`: binding `this` for a context call would cost a function
 * per event. An unbound emitter (a client's response, a request served before the patch, the method
 * borrowed onto another object) emits as before.
 */
function emitInContext<B extends EmitterBinding<unknown>>(
  original: Emit,
  bindings: WeakMap<object, B>,
  applyInContext: ApplyInContext<B['ctx']>,
  onClose: ((emitter: object, binding: B) => void) | undefined,
): Emit {
  return function emitInContext(this: unknown, event: string | symbol): boolean {
    const binding = typeof this === 'object' && this !== null ? bindings.get(this) : undefined;
    // biome-ignore lint/complexity/noArguments: forwards every argument of emit without copying them
    if (binding === undefined) return Reflect.apply(original, this, arguments);
    // `_events` is the listener table every EventEmitter has kept under that name since Node's first
    // releases: four of the seven events a plain GET emits have no listener.
    const listeners = (this as { _events?: Record<string | symbol, unknown> })._events;
    const emitted =
      listeners !== undefined && listeners[event] === undefined
        ? // biome-ignore lint/complexity/noArguments: forwards every argument of emit without copying them
          (Reflect.apply(original, this, arguments) as boolean)
        : // biome-ignore lint/complexity/noArguments: forwards every argument of emit without copying them
          applyInContext(binding.ctx, original, this, arguments);
    if (event === 'close' && bindings.get(this as object) === binding) {
      bindings.delete(this as object);
      if (onClose !== undefined) onClose(this as object, binding);
    }
    return emitted;
  };
}
