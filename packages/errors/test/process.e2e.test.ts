import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { runFixture, withoutSourceExcerpt } from './childProcess';
import { at, FAKE_TOKEN, type Harness, startHarness } from './helpers';

// These run the built package (dist) in child processes: `pnpm -r run build` first.
describe('child processes: delivery at exit and the opt-in process capture', () => {
  let h: Harness;
  let env: Record<string, string>;

  beforeAll(async () => {
    h = await startHarness();
    env = { ...h.local.env, ROLLBAR_ACCESS_TOKEN: FAKE_TOKEN, ROLLBAR_ENVIRONMENT: 'child' };
  });
  afterAll(async () => {
    await h.close();
  });
  beforeEach(async () => {
    h.local.clear();
    await h.local.faults.reset();
  });

  const messages = () => h.local.items().map((i) => at(i.data, 'body.trace_chain.0.exception.message'));

  it('delivers an error reported right before a natural exit', async () => {
    // A slow answer: the process must stay up for the request in flight.
    h.local.faults.rollbar.delayResponses(300);
    const result = await runFixture('exit.mjs', ['natural'], env);
    expect(result.code).toBe(0);
    expect(result.stderr).toBe('');
    const uuid = /reported (\S+)/.exec(result.stdout)?.[1];
    expect(h.local.items().map((i) => i.uuid)).toEqual([uuid]);
    expect(messages()).toEqual(['reported right before natural']);
  });

  it('delivers an error reported right before SIGTERM when the handler calls shutdown()', async () => {
    h.local.faults.rollbar.delayResponses(300);
    const result = await runFixture('exit.mjs', ['sigterm'], env, {
      onStdout: (out, kill) => {
        if (out.includes('reported ')) kill('SIGTERM');
      },
    });
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('shutdown {"sent":1,"dropped":{},"pending":0}');
    expect(messages()).toEqual(['reported right before sigterm']);
  });

  it('counts an error reported in the turn of process.exit() as not delivered, on stderr', async () => {
    const result = await runFixture('exit.mjs', ['process-exit'], env);
    expect(result.code).toBe(0);
    expect(result.stderr).toBe(
      '[sightline:errors] warn: 1 Rollbar item(s) were not delivered before the process exited\n',
    );
    expect(result.stdout).toMatch(/^reported \S+\n$/);
  });

  describe('uncaught exception', () => {
    it('is reported, then the process prints it as Node does and exits 1, as without the capture', async () => {
      const [without, withCapture] = await Promise.all([
        runFixture('crash.mjs', ['uncaught'], { ...env, CAPTURE: '0' }),
        runFixture('crash.mjs', ['uncaught'], env),
      ]);
      expect(without.code).toBe(1);
      expect(withCapture.code).toBe(without.code);
      expect(withoutSourceExcerpt(withCapture.stderr)).toBe(withoutSourceExcerpt(without.stderr));
      expect(withCapture.stderr).toContain('Error: uncaught boom\n    at Timeout._onTimeout');
      expect(messages()).toEqual(['uncaught boom']);
      expect(h.local.items()[0]?.data.level).toBe('critical');
    });

    it('leaves the decision to the application when it has its own listener', async () => {
      const result = await runFixture('crash.mjs', ['handled-uncaught'], env);
      expect(result.code).toBe(0);
      expect(result.stdout).toBe('app handled: uncaught boom\nstill running\n');
      expect(messages()).toEqual(['uncaught boom']);
    });
  });

  describe('unhandled rejection', () => {
    it('default mode: reported, then printed and exit 1, as without the capture', async () => {
      const [without, withCapture] = await Promise.all([
        runFixture('crash.mjs', ['rejection'], { ...env, CAPTURE: '0' }),
        runFixture('crash.mjs', ['rejection'], env),
      ]);
      expect(without.code).toBe(1);
      expect(withCapture.code).toBe(1);
      expect(withoutSourceExcerpt(withCapture.stderr)).toBe(withoutSourceExcerpt(without.stderr));
      expect(messages()).toEqual(['unhandled boom']);
    });

    it('a non-Error reason: the very same output as without the capture', async () => {
      const [without, withCapture] = await Promise.all([
        runFixture('crash.mjs', ['rejection-string'], { ...env, CAPTURE: '0' }),
        runFixture('crash.mjs', ['rejection-string'], env),
      ]);
      expect(withCapture.code).toBe(1);
      expect(withCapture.stderr).toBe(without.stderr);
      expect(h.local.items().map((i) => at(i.data, 'body.trace_chain.0.exception'))).toEqual([
        { class: 'NonErrorThrown', message: 'plain string reason' },
      ]);
    });

    it('--unhandled-rejections=strict: reported once, exit 1, as without the capture', async () => {
      const execArgv = ['--unhandled-rejections=strict'];
      const [without, withCapture] = await Promise.all([
        runFixture('crash.mjs', ['rejection'], { ...env, CAPTURE: '0' }, { execArgv }),
        runFixture('crash.mjs', ['rejection'], env, { execArgv }),
      ]);
      expect(without.code).toBe(1);
      expect(withCapture.code).toBe(1);
      expect(withoutSourceExcerpt(withCapture.stderr)).toBe(withoutSourceExcerpt(without.stderr));
      expect(messages()).toEqual(['unhandled boom']);
    });

    it('--unhandled-rejections=warn: reported, a warning, and the process carries on, as without the capture', async () => {
      const execArgv = ['--unhandled-rejections=warn'];
      const [without, withCapture] = await Promise.all([
        runFixture('crash.mjs', ['rejection'], { ...env, CAPTURE: '0' }, { execArgv }),
        runFixture('crash.mjs', ['rejection'], env, { execArgv }),
      ]);
      expect(without.code).toBe(0);
      expect(withCapture.code).toBe(0);
      expect(withoutSourceExcerpt(withCapture.stderr)).toBe(withoutSourceExcerpt(without.stderr));
      expect(messages()).toEqual(['unhandled boom']);
    });
  });
});
