import { initObservability, type ShutdownReport } from '@sightline/observability';

const obs = initObservability({
  serviceName: 'worker',
  shutdownTimeoutMs: 5000, // the one deadline for all four backends
  handleSignals: true, // SIGTERM / SIGINT: flush, then exit as Node would (the default)
});

// Your own graceful shutdown keeps control of exit: Sightline flushes and waits for you.
process.on('SIGTERM', async () => {
  const report: ShutdownReport = await obs.shutdown({ timeoutMs: 3000 });
  for (const [backend, outcome] of Object.entries(report.backends)) {
    console.error(
      `${backend}: ${outcome.status}, sent ${outcome.sent}, pending ${outcome.pending}`,
      outcome.dropped,
    );
  }
  process.exit(0);
});

// Live counters, e.g. for a health endpoint.
export const health = () => obs.stats();
