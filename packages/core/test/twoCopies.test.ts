import { createRequire } from 'node:module';
import { afterEach, describe, expect, it } from 'vitest';
import * as source from '../src/index';

// The CommonJS build, a second copy of core's module state: an ESM application importing the facade's
// ESM build gets this copy in the backends it loads with `require`. Built by `npm test` before the tests.
const commonjs = createRequire(import.meta.url)('../dist/index.cjs') as typeof source;

afterEach(() => source.resetDiagnostics());

describe('two copies of core in one process', () => {
  it('share the diagnostics level and sink the facade configures, and the warn-once memory', () => {
    const lines: string[] = [];
    source.configureDiagnostics({ level: 'error', sink: (_level, message) => lines.push(message) });
    const other = commonjs.diagnostics('xray');
    other.warn('not shown at level error');
    other.error('shown');
    expect(lines).toEqual(['[sightline:xray] error: shown']);

    source.configureDiagnostics({ level: 'warn' });
    expect(other.warnOnce('k', 'first')).toBe(true);
    expect(source.diagnostics('xray').warnOnce('k', 'again')).toBe(false);
    expect(lines).toEqual(['[sightline:xray] error: shown', '[sightline:xray] warn: first']);
  });

  it('share one exit listener', () => {
    const before = process.listenerCount('exit');
    const stopHere = source.onProcessExit(() => undefined);
    const stopThere = commonjs.onProcessExit(() => undefined);
    expect(process.listenerCount('exit')).toBe(before + 1);
    stopHere();
    expect(process.listenerCount('exit')).toBe(before + 1);
    stopThere();
    expect(process.listenerCount('exit')).toBe(before);
  });
});
