/**
 * `node --import @sightline/observability/register app.mjs` (ESM) or
 * `node --require @sightline/observability/register app.js` (CJS): starts everything from the
 * environment alone before the application loads its modules. The application gets the same handle
 * with `getObservability()` (or `initObservability()`, which returns it).
 */
import { diagnostics } from '@sightline/core';
import { getRegistered, setRegistered } from './global';
import { initObservability } from './initObservability';

if (!getRegistered()) {
  try {
    setRegistered(initObservability({}, process.env));
  } catch (error) {
    // Environment-only configuration cannot produce option errors; anything else must not stop the app.
    diagnostics('observability').error(`register: could not start: ${String(error)}`);
  }
}
