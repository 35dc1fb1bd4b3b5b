import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export interface ChildResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

export const fixture = (name: string) => fileURLToPath(new URL(`./fixtures/${name}`, import.meta.url));

/** Runs a fixture with its own env (never this process's mutated), collecting its output. */
export function runFixture(
  file: string,
  args: string[],
  env: Record<string, string>,
  options: { execArgv?: string[]; onStdout?: (text: string, kill: (s: NodeJS.Signals) => void) => void } = {},
): Promise<ChildResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [...(options.execArgv ?? []), fixture(file), ...args], {
      env: { PATH: process.env.PATH ?? '', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      stdout += chunk;
      options.onStdout?.(stdout, (s) => child.kill(s));
    });
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      stderr += chunk;
    });
    child.on('error', reject);
    child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr }));
  });
}

/** Node's fatal print minus its source excerpt (the lines before the first blank line) and pids. */
export function withoutSourceExcerpt(stderr: string): string {
  const blank = stderr.indexOf('\n\n');
  return (blank === -1 ? stderr : stderr.slice(blank + 2)).replace(/\(node:\d+\)/g, '(node:PID)');
}
