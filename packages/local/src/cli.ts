#!/usr/bin/env node
// sightline-local: all four backends on loopback for a service under development.
import { type CliOptions, parseCliArgs, USAGE } from './cliArgs';
import { type Local, startLocal } from './startLocal';
import {
  exportLines,
  finalSummary,
  liveLine,
  ratesOf,
  rejectionLine,
  type Totals,
  totalsOf,
} from './summary';

const emit = (json: boolean, value: Record<string, unknown>, text: string[]) => {
  process.stdout.write(json ? `${JSON.stringify(value)}\n` : `${text.join('\n')}\n`);
};

async function main(): Promise<number> {
  let options: CliOptions | undefined;
  try {
    options = parseCliArgs(process.argv.slice(2));
  } catch (error) {
    process.stderr.write(`sightline-local: ${(error as Error).message}\n\n${USAGE}`);
    return 2;
  }
  if (!options) {
    process.stdout.write(USAGE);
    return 0;
  }
  const { json, intervalMs } = options;
  // Listening for the signals first: a Ctrl-C during start-up still ends with a summary.
  const stopped = new Promise<void>((resolve) => {
    process.once('SIGINT', () => resolve());
    process.once('SIGTERM', () => resolve());
  });
  let local: Local;
  try {
    local = await startLocal({ ports: options.ports });
  } catch (error) {
    const err = error as NodeJS.ErrnoException;
    const hint =
      err.code === 'EADDRINUSE' ? ' (a port is in use: pass --<backend>-port 0 or another port)' : '';
    process.stderr.write(`sightline-local: cannot start: ${err.message}${hint}\n`);
    return 1;
  }
  const started = Date.now();
  emit(json, { event: 'listening', ports: local.ports, env: local.env }, [
    `sightline-local listening on 127.0.0.1: OTLP/HTTP :${local.ports.otlp}, X-Ray :${local.ports.xray}/udp, CloudWatch Logs :${local.ports.cwlogs}, Rollbar :${local.ports.rollbar}`,
    '# point a service at it:',
    ...exportLines(local.env),
    '# Rollbar accepts any non-empty access token; Ctrl-C prints a summary and stops.',
  ]);

  const live = !json && process.stdout.isTTY === true;
  let previous: Totals = totalsOf(local.stats());
  let previousAt = started;
  let rejectionsSeen = 0;
  const tick = (): void => {
    const stats = local.stats();
    const totals = totalsOf(stats);
    const now = Date.now();
    const rates = ratesOf(previous, totals, now - previousAt);
    const fresh = totals.rejections - rejectionsSeen;
    const newRejections = fresh > 0 ? local.rejections().slice(-fresh) : [];
    rejectionsSeen = totals.rejections;
    if (json) {
      emit(true, { event: 'status', at: new Date(now).toISOString(), totals, perSecond: rates }, []);
      for (const r of newRejections) emit(true, { event: 'rejection', ...r }, []);
    } else {
      if (live) process.stdout.write('\r\x1b[2K');
      for (const r of newRejections) process.stdout.write(`${rejectionLine(r)}\n`);
      const changed = JSON.stringify(totals) !== JSON.stringify(previous);
      if (live) process.stdout.write(liveLine(totals, rates));
      else if (changed) process.stdout.write(`${liveLine(totals, rates)}\n`);
    }
    previous = totals;
    previousAt = now;
  };
  const timer = setInterval(tick, intervalMs);

  await stopped;
  clearInterval(timer);
  tick();
  await local.close();
  const stats = local.stats();
  const uptimeMs = Date.now() - started;
  if (live) process.stdout.write('\n');
  emit(
    json,
    {
      event: 'summary',
      uptimeMs,
      totals: totalsOf(stats),
      evicted: stats.evicted,
      rejections: local.rejections().length,
    },
    finalSummary(stats, local.rejections(), uptimeMs),
  );
  return 0;
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`sightline-local: ${String(error)}\n`);
    process.exitCode = 1;
  },
);
