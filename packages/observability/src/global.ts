import type { Observability } from './initObservability';

// One slot per process, shared by the ESM and CJS builds (a registry symbol, not a module variable),
// so the handle the register entry created is the one the application gets.
const SLOT = Symbol.for('@sightline/observability');

type Slot = { [SLOT]?: Observability };

export function getRegistered(): Observability | undefined {
  return (globalThis as Slot)[SLOT];
}

export function setRegistered(obs: Observability | undefined): void {
  (globalThis as Slot)[SLOT] = obs;
}
