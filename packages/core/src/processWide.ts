/**
 * The one value of `name` in this process, made by `create` the first time. Kept on `globalThis` under a
 * registry symbol rather than in a module variable: a process can hold more than one copy of core (an ESM
 * application imports the facade's ESM build, which loads the backends with `require`, and they get
 * core's CommonJS build), and state such as the diagnostics level or the exit listener must be one for
 * all of them. `name` carries a version: a later core that changes the value's shape takes a new name
 * instead of misreading this one.
 */
export function processWide<T>(name: string, create: () => T): T {
  const key = Symbol.for(name);
  const slots = globalThis as Record<symbol, unknown>;
  const existing = slots[key] as T | undefined;
  if (existing !== undefined) return existing;
  const value = create();
  slots[key] = value;
  return value;
}
