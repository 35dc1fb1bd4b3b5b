import { type RedactionPolicy, redactString, redactValue } from '@sightline/core';
import type { PersonInfo } from './types';

/** What we add to Rollbar's item data once Rollbar has built it. */
export interface ItemAdditions {
  /** The occurrence uuid `report()` returned. */
  uuid: string;
  /** Extra data, correlation ids and links: the item's `custom`. */
  custom: Record<string, unknown>;
  person?: PersonInfo;
}

/** Rollbar's item size limit is 512 KiB; rollbar.js truncates to the same figure. */
export const MAX_PAYLOAD_BYTES = 512 * 1024;

/**
 * The last step before an item leaves the process: our additions merged in, and the whole of
 * Rollbar's `data` (request, custom, messages, stack traces, diagnostics, argv) passed through the
 * shared redaction policy. Rollbar's own scrubber has already run on it; this catches what its field
 * list does not know (patterns such as Bearer tokens or AWS keys inside messages, our field names).
 */
export function finalizeItemData(
  data: Record<string, unknown>,
  additions: ItemAdditions,
  policy: RedactionPolicy,
): Record<string, unknown> {
  const merged: Record<string, unknown> = { ...data, uuid: additions.uuid };
  const custom = { ...asRecord(data.custom), ...additions.custom };
  if (Object.keys(custom).length > 0) merged.custom = custom;
  else delete merged.custom;
  if (additions.person) merged.person = personData(additions.person, policy);
  const notifier = asRecord(data.notifier);
  const configured = asRecord(notifier.configured_options);
  if (Object.keys(configured).length > 0) {
    // Rollbar sends configured options for its own support; our hook functions would travel as source text.
    const { onSendCallback: _a, transform: _b, checkIgnore: _c, ...rest } = configured;
    merged.notifier = { ...notifier, configured_options: rest };
  }
  const redacted = redactValue(merged, policy) as Record<string, unknown>;
  // Correlation ids are ours and well-formed; keep them exact even if a user pattern would match hex.
  const redactedCustom = asRecord(redacted.custom);
  for (const key of ['trace_id', 'span_id', 'xray_trace_id'] as const) {
    if (typeof additions.custom[key] === 'string') redactedCustom[key] = additions.custom[key];
  }
  dropInvalidPositions(redacted.body);
  return redacted;
}

/** Native frames (`new Promise (<anonymous>)`) have no line: Rollbar's parser gives NaN; leave it out. */
function dropInvalidPositions(body: unknown): void {
  const chain = asRecord(body).trace_chain;
  if (!Array.isArray(chain)) return;
  for (const trace of chain) {
    const frames = asRecord(trace).frames;
    if (!Array.isArray(frames)) continue;
    for (const frame of frames) {
      const f = asRecord(frame);
      if (typeof f.lineno !== 'number') delete f.lineno;
      if (typeof f.colno !== 'number') delete f.colno;
    }
  }
}

function personData(person: PersonInfo, policy: RedactionPolicy): Record<string, string> {
  const out: Record<string, string> = { id: redactString(String(person.id), policy) };
  if (typeof person.username === 'string') out.username = redactString(person.username, policy);
  if (typeof person.email === 'string') out.email = redactString(person.email, policy);
  return out;
}

function asRecord(value: unknown): Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : {};
}

/** Serializes the request body `{"data": …}`; `undefined` when it is over the size limit. */
export function serializeItem(data: Record<string, unknown>): { json: string; bytes: number } | undefined {
  let json: string;
  try {
    json = JSON.stringify({ data });
  } catch {
    return undefined;
  }
  const bytes = Buffer.byteLength(json);
  return bytes <= MAX_PAYLOAD_BYTES ? { json, bytes } : undefined;
}
