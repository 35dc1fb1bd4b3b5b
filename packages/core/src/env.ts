/**
 * Reading environment variables without ever throwing. Values are trimmed, an empty value is unset,
 * and an invalid value produces one warning that names the variable and the default used.
 * The reader is pure: warnings are collected, and the caller decides where they go.
 */
export type Env = Readonly<Record<string, string | undefined>>;

export interface EnvWarning {
  variable: string;
  message: string;
}

export interface NumberRule {
  min?: number;
  max?: number;
  integer?: boolean;
}

const TRUE_WORDS = new Set(['true', '1', 'yes', 'on']);
const FALSE_WORDS = new Set(['false', '0', 'no', 'off']);

function describeDefault(fallback: unknown): string {
  return fallback === undefined
    ? 'ignoring it (the default applies)'
    : `using the default ${JSON.stringify(fallback)}`;
}

/** Parses `true/false/1/0/yes/no/on/off` (any case); anything else is `undefined`. */
export function parseBoolean(raw: string): boolean | undefined {
  const v = raw.trim().toLowerCase();
  if (TRUE_WORDS.has(v)) return true;
  if (FALSE_WORDS.has(v)) return false;
  return undefined;
}

export class EnvReader {
  readonly warnings: EnvWarning[] = [];
  constructor(private readonly env: Env) {}

  private warn(variable: string, raw: string, expected: string, fallback: unknown): void {
    this.warnings.push({
      variable,
      message: `${variable}=${JSON.stringify(raw)} is not ${expected}; ${describeDefault(fallback)}`,
    });
  }

  /** The trimmed value, or `undefined` when unset or blank. */
  string(name: string): string | undefined {
    const raw = this.env[name];
    if (raw === undefined) return undefined;
    const v = raw.trim();
    return v === '' ? undefined : v;
  }

  /** The first of several variable names that is set (e.g. `AWS_REGION`, then `AWS_DEFAULT_REGION`). */
  firstString(...names: string[]): string | undefined {
    for (const n of names) {
      const v = this.string(n);
      if (v !== undefined) return v;
    }
    return undefined;
  }

  boolean(name: string, fallback?: boolean): boolean | undefined {
    const raw = this.string(name);
    if (raw === undefined) return fallback;
    const v = parseBoolean(raw);
    if (v === undefined) {
      this.warn(name, raw, 'a boolean (true/false/1/0/yes/no/on/off)', fallback);
      return fallback;
    }
    return v;
  }

  number(name: string, rule: NumberRule = {}, fallback?: number): number | undefined {
    const raw = this.string(name);
    if (raw === undefined) return fallback;
    const v = Number(raw);
    const problems: string[] = [];
    if (!Number.isFinite(v)) problems.push('a number');
    else {
      if (rule.integer && !Number.isInteger(v)) problems.push('an integer');
      if (rule.min !== undefined && v < rule.min) problems.push(`>= ${rule.min}`);
      if (rule.max !== undefined && v > rule.max) problems.push(`<= ${rule.max}`);
    }
    if (problems.length > 0) {
      this.warn(name, raw, problems.join(' and '), fallback);
      return fallback;
    }
    return v;
  }

  oneOf<T extends string>(name: string, allowed: readonly T[], fallback?: T): T | undefined {
    const raw = this.string(name);
    if (raw === undefined) return fallback;
    const v = raw.toLowerCase() as T;
    if (!allowed.includes(v)) {
      this.warn(name, raw, `one of ${allowed.join(', ')}`, fallback);
      return fallback;
    }
    return v;
  }

  /** Comma-separated `key=value` pairs (OTEL_RESOURCE_ATTRIBUTES, OTEL_EXPORTER_OTLP_HEADERS); values are URL-decoded. */
  keyValueList(name: string): Record<string, string> | undefined {
    const raw = this.string(name);
    if (raw === undefined) return undefined;
    const out: Record<string, string> = {};
    const bad: string[] = [];
    for (const part of raw.split(',')) {
      if (part.trim() === '') continue;
      const eq = part.indexOf('=');
      const key = eq > 0 ? part.slice(0, eq).trim() : '';
      if (key === '') {
        bad.push(part.trim());
        continue;
      }
      const value = part.slice(eq + 1).trim();
      try {
        out[key] = decodeURIComponent(value);
      } catch {
        out[key] = value;
      }
    }
    if (bad.length > 0) {
      this.warnings.push({
        variable: name,
        message: `${name} has entries that are not key=value (${bad.map((b) => JSON.stringify(b)).join(', ')}); they are ignored`,
      });
    }
    return out;
  }

  /** Comma-separated list, blanks dropped. */
  list(name: string): string[] | undefined {
    const raw = this.string(name);
    if (raw === undefined) return undefined;
    return raw
      .split(',')
      .map((s) => s.trim())
      .filter((s) => s !== '');
  }

  /** An absolute http(s) URL. */
  url(name: string, fallback?: string): string | undefined {
    const raw = this.string(name);
    if (raw === undefined) return fallback;
    if (!isHttpUrl(raw)) {
      this.warn(name, raw, 'an http(s) URL', fallback);
      return fallback;
    }
    return raw;
  }
}

export function isHttpUrl(value: string): boolean {
  try {
    const u = new URL(value);
    return u.protocol === 'http:' || u.protocol === 'https:';
  } catch {
    return false;
  }
}

/** Whether the URL's host is this machine (no compression, no TLS expectations, local defaults). */
export function isLoopbackUrl(value: string): boolean {
  try {
    const host = new URL(value).hostname;
    return host === 'localhost' || host === '::1' || host === '[::1]' || host.startsWith('127.');
  } catch {
    return false;
  }
}
