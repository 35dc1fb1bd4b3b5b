import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export interface ChildResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** Starts a fixture (built code) in a child process and collects its output. */
export function startFixture(name: string, env: Record<string, string> = {}) {
  const file = fileURLToPath(new URL(`./fixtures/${name}`, import.meta.url));
  const child: ChildProcess = spawn(process.execPath, [file], {
    env: { PATH: process.env.PATH ?? '', AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (d) => {
    stdout += d;
  });
  child.stderr?.on('data', (d) => {
    stderr += d;
  });
  const exited = new Promise<ChildResult>((resolve) => {
    child.on('exit', (code, signal) => {
      // 'close' waits for the pipes; give them a turn to drain.
      child.on('close', () => resolve({ code, signal, stdout, stderr }));
    });
  });
  const waitForOutput = async (text: string, timeoutMs = 10_000) => {
    const started = Date.now();
    while (!stdout.includes(text)) {
      if (Date.now() - started > timeoutMs || child.exitCode !== null) {
        throw new Error(
          `fixture ${name} did not print ${JSON.stringify(text)}; stdout=${stdout} stderr=${stderr}`,
        );
      }
      await new Promise((r) => setTimeout(r, 10));
    }
  };
  return { child, exited, waitForOutput, output: () => ({ stdout, stderr }) };
}
