// Entry point (Python: `flask run --host=0.0.0.0 --port=4567`).
// The set-up module is evaluated first, so telemetry is configured before Express loads.
import './observability.js';
import { createApp } from './app.js';
import { obs } from './observability.js';

const port = Number(process.env.PORT ?? 4567);
const host = process.env.HOST ?? '0.0.0.0';

const server = createApp(obs).listen(port, host, () => {
  obs.logger.info(`backend-flask listening on http://${host}:${port}`);
});

// Graceful stop (docker stop, ECS, Ctrl-C): refuse new connections, let in-flight requests finish,
// then flush every backend under one deadline (SIGHTLINE_SHUTDOWN_TIMEOUT_MS) before exiting.
let stopping = false;
function stop(signal: NodeJS.Signals): void {
  if (stopping) return;
  stopping = true;
  obs.logger.info(`${signal}: shutting down`);
  const flushAndExit = (): void => {
    void obs
      .shutdown() // deadline: SIGHTLINE_SHUTDOWN_TIMEOUT_MS, default 5 s
      .catch(() => undefined)
      .finally(() => process.exit(0));
  };
  server.close(flushAndExit);
  server.closeIdleConnections();
  // A client holding a connection open must not hold the shutdown: cut it after 3 s.
  setTimeout(() => server.closeAllConnections(), 3000).unref();
}
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
