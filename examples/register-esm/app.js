// Configured from the environment alone: the register entry started everything before this module.
import { createServer } from 'node:http';
import { getObservability } from '@sightline/observability';

const obs = getObservability();
const server = createServer(
  obs.http((_req, res) => {
    obs.logger.info('hello from esm');
    res.end(JSON.stringify(obs.traceIds() ?? null));
  }),
);
server.listen(0, '127.0.0.1', async () => {
  const res = await fetch(`http://127.0.0.1:${server.address().port}/esm`);
  process.stdout.write(`ids ${await res.text()}\n`);
  server.close();
  const report = await obs.shutdown({ timeoutMs: 5000 });
  process.stdout.write(`report ${JSON.stringify(report)}\n`);
});
