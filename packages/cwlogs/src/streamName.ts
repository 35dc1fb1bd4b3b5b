import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { basename } from 'node:path';

/** Placeholders of a stream-name template. */
export const STREAM_PLACEHOLDERS = [
  'hostname',
  'pid',
  'date',
  'uuid',
  'service',
  'environment',
  'program',
] as const;
export const DEFAULT_STREAM_TEMPLATE = '{service}/{hostname}/{pid}/{uuid}';

export interface StreamNameContext {
  hostname: string;
  pid: number;
  now: Date;
  uuid: string;
  service: string;
  environment: string;
  program: string;
}

/** Placeholders in `template` that are not known; empty when the template is valid. */
export function unknownPlaceholders(template: string): string[] {
  const known = new Set<string>(STREAM_PLACEHOLDERS);
  return [...template.matchAll(/\{([^{}]*)\}/g)].map((m) => m[1]!).filter((p) => !known.has(p));
}

export function defaultStreamContext(
  service: string | undefined,
  environment: string | undefined,
): StreamNameContext {
  return {
    hostname: hostname(),
    pid: process.pid,
    now: new Date(),
    uuid: randomUUID(),
    service: service ?? 'unknown_service',
    environment: environment ?? 'default',
    program: basename(process.argv[1] ?? 'node').replace(/\.[cm]?[jt]s$/, ''),
  };
}

/**
 * Renders a stream name. CloudWatch forbids `:` and `*` and allows 1–512 characters: forbidden
 * characters become `_`, control characters are removed, and the name is cut to 512.
 */
export function renderStreamName(template: string, ctx: StreamNameContext): string {
  const values: Record<string, string> = {
    hostname: ctx.hostname,
    pid: String(ctx.pid),
    date: ctx.now.toISOString().slice(0, 10),
    uuid: ctx.uuid,
    service: ctx.service,
    environment: ctx.environment,
    program: ctx.program,
  };
  const raw = template.replace(/\{([^{}]*)\}/g, (whole, name: string) => values[name] ?? whole);
  return sanitizeStreamName(raw);
}

export function sanitizeStreamName(name: string): string {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what is removed
  const cleaned = name.replace(/[:*]/g, '_').replace(/[\u0000-\u001f\u007f]/g, '');
  const cut = [...cleaned].slice(0, 512).join('');
  return cut === '' ? 'default' : cut;
}
