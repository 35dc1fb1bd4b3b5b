// packages/errors/README.md
import type { Request } from 'express';

// What the quoted code refers to (type-checked stand-ins): the failing request and the error.
declare const req: Request;
declare const err: unknown;

import { createErrorReporter, resolveErrorsConfig } from '@sightline/errors';

const { config } = resolveErrorsConfig({}, process.env); // ROLLBAR_ACCESS_TOKEN, ROLLBAR_ENVIRONMENT…
const errors = createErrorReporter(config);

errors.report(err, { request: req, user: { id: 42 }, extra: { feature: 'home-feed' } }); // → uuid
errors.message('Hello World!', 'warning');
errors.captureProcessErrors(); // opt-in: report, flush, then Node's own fatal handling
await errors.shutdown(5000);
