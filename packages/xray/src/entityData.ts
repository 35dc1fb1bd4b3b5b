import {
  diagnostics,
  isSensitiveField,
  type RedactionPolicy,
  redactString,
  redactValue,
} from '@sightline/core';

const log = diagnostics('xray');

/** X-Ray annotation keys: letters, digits and underscore, at most 500 (other characters are not indexed). */
const ANNOTATION_KEY = /^[A-Za-z0-9_]{1,500}$/;
/** X-Ray keeps annotation strings up to 1,000 characters. */
const MAX_ANNOTATION_STRING = 1000;

export type AnnotationValue = string | number | boolean;

/** What these functions need of a segment or subsegment (ours; in the parity test also the SDK's). */
export interface EntityRecorder {
  addAnnotation(key: string, value: AnnotationValue): void;
  addMetadata(key: string, value: unknown, namespace: string): void;
  addError(error: Error | string): void;
}

/** Adds an indexed annotation after validation and redaction; an invalid one is skipped with one warning. */
export function addAnnotationTo(
  entity: EntityRecorder,
  key: string,
  value: unknown,
  policy: RedactionPolicy,
): void {
  if (typeof key !== 'string' || !ANNOTATION_KEY.test(key)) {
    log.warnOnce(
      `annotation-key:${String(key)}`,
      `annotation ${JSON.stringify(key)} skipped: keys are 1-500 letters, digits or _`,
    );
    return;
  }
  let v: AnnotationValue;
  if (typeof value === 'string') {
    v = isSensitiveField(key, policy) ? policy.replacement : redactString(value, policy);
    if (v.length > MAX_ANNOTATION_STRING) v = v.slice(0, MAX_ANNOTATION_STRING);
  } else if (typeof value === 'boolean' || (typeof value === 'number' && Number.isFinite(value))) {
    v = isSensitiveField(key, policy) ? policy.replacement : value;
  } else {
    log.warnOnce(
      `annotation-value:${key}`,
      `annotation ${key} skipped: values are strings, finite numbers or booleans (got ${typeof value})`,
    );
    return;
  }
  entity.addAnnotation(key, v);
}

/** Adds metadata under `namespace` (default `default`), redacted and made JSON-safe. */
export function addMetadataTo(
  entity: EntityRecorder,
  key: string,
  value: unknown,
  namespace: string | undefined,
  policy: RedactionPolicy,
): void {
  if (typeof key !== 'string' || key === '') {
    log.warnOnce('metadata-key', 'metadata skipped: the key must be a non-empty string');
    return;
  }
  let ns = namespace ?? 'default';
  // Namespaces starting with AWS. are reserved for AWS.
  if (typeof ns !== 'string' || ns === '' || ns.startsWith('AWS.') || ns === '__proto__') {
    log.warnOnce(
      `metadata-ns:${String(ns)}`,
      `metadata namespace ${JSON.stringify(ns)} is reserved; using default`,
    );
    ns = 'default';
  }
  const safe =
    isSensitiveField(key, policy) && value != null ? policy.replacement : redactValue(value, policy);
  entity.addMetadata(key, safe, ns);
}

/** Records an error as the entity's cause (the SDK's format: message, type, stack frames), redacted. */
export function addErrorTo(entity: EntityRecorder, error: unknown, policy: RedactionPolicy): void {
  const err =
    error instanceof Error || typeof error === 'string'
      ? error
      : new Error(typeof error === 'object' ? JSON.stringify(redactValue(error, policy)) : String(error));
  try {
    entity.addError(err);
  } catch {
    return;
  }
  const cause = (entity as { cause?: { exceptions?: { message?: unknown }[] } }).cause;
  for (const ex of cause?.exceptions ?? []) {
    if (typeof ex.message === 'string') ex.message = redactString(ex.message, policy);
  }
}
