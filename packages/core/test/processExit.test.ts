import { describe, expect, it } from 'vitest';
import { onProcessExit } from '../src/index';

/** The listener `onProcessExit` added (the last one on 'exit'), called as Node would at exit. */
function ourListener(): () => void {
  return process.listeners('exit').at(-1) as () => void;
}

describe('onProcessExit', () => {
  it('adds one exit listener for every registration, and removes it with the last', () => {
    const before = process.listenerCount('exit');
    const stopFirst = onProcessExit(() => undefined);
    const stopSecond = onProcessExit(() => undefined);
    expect(process.listenerCount('exit')).toBe(before + 1);
    stopFirst();
    stopFirst(); // twice is harmless
    expect(process.listenerCount('exit')).toBe(before + 1);
    stopSecond();
    expect(process.listenerCount('exit')).toBe(before);
  });

  it('runs every registration at exit, one that throws included, and none once stopped', () => {
    const ran: string[] = [];
    const stopThrowing = onProcessExit(() => {
      ran.push('throwing');
      throw new Error('boom');
    });
    const stopQuiet = onProcessExit(() => ran.push('quiet'));
    const stopGone = onProcessExit(() => ran.push('gone'));
    stopGone();
    expect(() => ourListener()()).not.toThrow();
    expect(ran).toEqual(['throwing', 'quiet']);
    stopThrowing();
    stopQuiet();
  });
});
