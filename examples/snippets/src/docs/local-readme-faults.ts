// packages/local/README.md, "Fault injection".
import { startLocal } from '@sightline/local';

const local = await startLocal();

local.faults.cwlogs.throttleNext(2); // two ThrottlingExceptions, then normal answers
local.faults.otlp.throttleNext(1, { retryAfterSeconds: 0 }); // one 429; the exporter retries at once
local.faults.otlp.failNext(1, 500); // 500 is not retried by the OTLP exporter
await local.faults.rollbar.refuseConnections();

await local.close();
