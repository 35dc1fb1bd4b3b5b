// docs/errors.md, "Set-up": the reporter on its own.
import type { Request } from 'express';

// What the quoted code refers to (type-checked stand-ins): the failing request, its user, the error.
declare const req: Request;
declare const user: { uuid: string };
declare const err: unknown;

import { createErrorReporter, resolveErrorsConfig } from '@sightline/errors';

const { config, problems, warnings } = resolveErrorsConfig({ root: import.meta.dirname }, process.env);
const errors = createErrorReporter(config);

errors.report(err, { request: req, user: { id: user.uuid }, extra: { feature: 'home-feed' } });
errors.message('cache rebuilt', 'info');
await errors.shutdown(5000); // before exit: waits for items in flight

// What the resolver found: invalid options (the facade throws them) and invalid variables (warned).
for (const problem of problems) console.error(`${problem.path}: expected ${problem.expected}`);
for (const warning of warnings) console.warn(warning.message);
