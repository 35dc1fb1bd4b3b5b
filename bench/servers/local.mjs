// @sightline/local in its own process for the request-overhead benchmark, so that receiving the
// telemetry does not stall the load generator's event loop (both still share core 1). Sends its env
// over IPC, then answers 'clear' (between variants) and 'close'.
import { startLocal } from '@sightline/local';

const local = await startLocal();
process.send({ env: local.env });
process.on('message', async (message) => {
  if (message === 'clear') {
    if (process.env.BENCH_LOCAL_VERBOSE === '1') {
      // What the variant just sent, by operation: a check that the telemetry arrived, and how chatty it was.
      const byOperation = {};
      for (const r of local.requests())
        byOperation[`${r.backend} ${r.operation}`] = (byOperation[`${r.backend} ${r.operation}`] ?? 0) + 1;
      process.stderr.write(
        `    received: ${JSON.stringify({ ...local.stats(), evicted: undefined, byOperation })}\n`,
      );
    }
    local.clear();
    process.send('cleared');
  } else if (message === 'close') {
    await local.close();
    process.exit(0);
  }
});
