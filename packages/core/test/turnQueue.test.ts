import { describe, expect, it } from 'vitest';
import { TurnQueue } from '../src/turnQueue';

const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

describe('TurnQueue', () => {
  it('handles what was pushed once, in order, at the end of the turn', async () => {
    const handled: number[] = [];
    const queue = new TurnQueue<number>((n) => handled.push(n), 100);
    queue.push(1);
    queue.push(2);
    queue.push(3);
    expect(handled).toEqual([]);
    expect(queue.size).toBe(3);
    await nextTurn();
    expect(handled).toEqual([1, 2, 3]);
    expect(queue.size).toBe(0);
    await nextTurn();
    expect(handled).toEqual([1, 2, 3]);
  });

  it('drain() handles everything now, and the turn then finds nothing left', async () => {
    const handled: string[] = [];
    const queue = new TurnQueue<string>((s) => handled.push(s), 100);
    queue.push('a');
    queue.push('b');
    queue.drain();
    expect(handled).toEqual(['a', 'b']);
    await nextTurn();
    expect(handled).toEqual(['a', 'b']);
  });

  it('past maxItems waiting, handles those first: never more than maxItems wait', () => {
    const handled: number[] = [];
    const queue = new TurnQueue<number>((n) => handled.push(n), 3);
    for (let i = 1; i <= 7; i++) queue.push(i);
    expect(handled).toEqual([1, 2, 3, 4, 5, 6]);
    expect(queue.size).toBe(1);
  });

  it('a handler that throws loses its item only, and nothing reaches the host', async () => {
    const handled: number[] = [];
    const queue = new TurnQueue<number>((n) => {
      if (n === 2) throw new Error('bad item');
      handled.push(n);
    }, 100);
    queue.push(1);
    queue.push(2);
    queue.push(3);
    // An exception thrown from the immediate would fail this test as an uncaught error.
    await nextTurn();
    expect(handled).toEqual([1, 3]);
  });

  it('what a handler queues waits for the next turn', async () => {
    const handled: number[] = [];
    const queue: TurnQueue<number> = new TurnQueue<number>((n) => {
      handled.push(n);
      if (n < 3) queue.push(n + 1);
    }, 100);
    queue.push(1);
    await nextTurn();
    expect(handled).toEqual([1]);
    await nextTurn();
    expect(handled).toEqual([1, 2]);
    await nextTurn();
    expect(handled).toEqual([1, 2, 3]);
  });
});
