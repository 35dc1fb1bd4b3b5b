// @sightline/local in its own process for the request-overhead benchmark, so that receiving the
// telemetry does not stall the load generator's event loop (both still share core 1). Sends its env
// over IPC, then answers 'clear' (between variants) and 'close'.
import { startLocal } from '@sightline/local';

const local = await startLocal();
process.send({ env: local.env });
process.on('message', async (message) => {
  if (message === 'clear') {
    local.clear();
    process.send('cleared');
  } else if (message === 'close') {
    await local.close();
    process.exit(0);
  }
});
