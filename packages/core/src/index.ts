export type { BackendLifecycle, Resolution, SharedSettings } from './backend';
export type { Diagnostics, DiagnosticsLevel, DiagnosticsSink } from './diagnostics';
export {
  configureDiagnostics,
  createDiagnostics,
  DIAGNOSTICS_LEVELS,
  diagnostics,
  resetDiagnostics,
} from './diagnostics';
export type { BackendReport, DropCounts, DropReason } from './drops';
export { DropCounter } from './drops';
export type { ApplyInContext, Emit, EmitterBinding } from './emitContext';
export { patchEmit, patchEmitInContext } from './emitContext';
export type { Env, EnvWarning, NumberRule } from './env';
export { EnvReader, isHttpUrl, isLoopbackUrl, parseBoolean } from './env';
export { firstForwardedFor } from './headers';
export type { ConfigProblem } from './problems';
export { describeValue, OptionChecker, SightlineConfigError } from './problems';
export { onProcessExit } from './processExit';
export type { HeaderValue, RedactionOptions, RedactionPolicy } from './redact';
export {
  createRedactionPolicy,
  DEFAULT_REDACTED_FIELDS,
  DEFAULT_REDACTED_HEADERS,
  DEFAULT_REDACTED_PATTERNS,
  defaultRedactionPolicy,
  isSensitiveField,
  isSensitiveHeader,
  maskSecret,
  normalizeFieldName,
  redactHeaders,
  redactString,
  redactUrl,
  redactValue,
} from './redact';
export type { Settled } from './shutdown';
export { Deadline, delay, runOnce, settleWithin, unrefTimer } from './shutdown';
export { isThenable } from './thenable';
export type { XRayTraceHeader } from './traceIds';
export {
  formatXRayTraceHeader,
  isValidOtelTraceId,
  isValidSpanId,
  isValidXRayTraceId,
  newSpanId,
  newXRayTraceId,
  otelToXRayTraceId,
  parseXRayTraceHeader,
  xrayToOtelTraceId,
} from './traceIds';
export { TurnQueue } from './turnQueue';
