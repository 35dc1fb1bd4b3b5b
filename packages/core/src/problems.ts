/**
 * Validation of explicit options. Invalid options are programmer errors: every problem is collected
 * and `initObservability` throws one `SightlineConfigError` listing them all.
 */
export interface ConfigProblem {
  /** Option path, e.g. `cwlogs.sendIntervalMs`. */
  path: string;
  /** What is expected, e.g. `an integer between 1000 and 3600000`. */
  expected: string;
  /** What was given, rendered for the message. */
  received: string;
}

export class SightlineConfigError extends Error {
  readonly problems: readonly ConfigProblem[];
  constructor(problems: readonly ConfigProblem[]) {
    const lines = problems.map((p) => `  - ${p.path}: expected ${p.expected}, received ${p.received}`);
    super(
      `Invalid Sightline configuration (${problems.length} problem${problems.length === 1 ? '' : 's'}):\n${lines.join('\n')}`,
    );
    this.name = 'SightlineConfigError';
    this.problems = problems;
  }
}

export function describeValue(value: unknown): string {
  if (value === null) return 'null';
  if (typeof value === 'string')
    return value.length > 60 ? `${JSON.stringify(value.slice(0, 57))}…` : JSON.stringify(value);
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint')
    return String(value);
  if (typeof value === 'function') return 'a function';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'object') return 'an object';
  return String(value);
}

/**
 * Collects problems about explicit options under a path prefix. Each check returns the value when it
 * is valid and `undefined` otherwise, so `option ?? env ?? default` keeps working after a bad option.
 */
export class OptionChecker {
  constructor(
    readonly problems: ConfigProblem[] = [],
    private readonly prefix = '',
  ) {}

  at(prefix: string): OptionChecker {
    return new OptionChecker(this.problems, this.path(prefix));
  }

  private path(name: string): string {
    return this.prefix ? `${this.prefix}.${name}` : name;
  }

  problem(name: string, expected: string, value: unknown): undefined {
    this.problems.push({ path: this.path(name), expected, received: describeValue(value) });
    return undefined;
  }

  string(
    name: string,
    value: unknown,
    opts: { nonEmpty?: boolean; pattern?: RegExp; patternText?: string } = {},
  ) {
    if (value === undefined) return undefined;
    if (typeof value !== 'string') return this.problem(name, 'a string', value);
    if (opts.nonEmpty !== false && value.trim() === '')
      return this.problem(name, 'a non-empty string', value);
    if (opts.pattern && !opts.pattern.test(value))
      return this.problem(name, opts.patternText ?? `a string matching ${opts.pattern}`, value);
    return value;
  }

  boolean(name: string, value: unknown): boolean | undefined {
    if (value === undefined) return undefined;
    if (typeof value !== 'boolean') return this.problem(name, 'a boolean', value);
    return value;
  }

  number(
    name: string,
    value: unknown,
    rule: { min?: number; max?: number; integer?: boolean } = {},
  ): number | undefined {
    if (value === undefined) return undefined;
    const expected = describeNumberRule(rule);
    if (typeof value !== 'number' || !Number.isFinite(value)) return this.problem(name, expected, value);
    if (rule.integer && !Number.isInteger(value)) return this.problem(name, expected, value);
    if (rule.min !== undefined && value < rule.min) return this.problem(name, expected, value);
    if (rule.max !== undefined && value > rule.max) return this.problem(name, expected, value);
    return value;
  }

  oneOf<T extends string>(name: string, value: unknown, allowed: readonly T[]): T | undefined {
    if (value === undefined) return undefined;
    if (typeof value !== 'string' || !allowed.includes(value as T)) {
      return this.problem(name, `one of ${allowed.map((a) => JSON.stringify(a)).join(', ')}`, value);
    }
    return value as T;
  }

  url(name: string, value: unknown): string | undefined {
    const s = this.string(name, value);
    if (s === undefined) return undefined;
    try {
      const u = new URL(s);
      if (u.protocol !== 'http:' && u.protocol !== 'https:')
        return this.problem(name, 'an http(s) URL', value);
    } catch {
      return this.problem(name, 'an http(s) URL', value);
    }
    return s;
  }

  stringRecord(name: string, value: unknown): Record<string, string> | undefined {
    if (value === undefined) return undefined;
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      return this.problem(name, 'an object of string values', value);
    }
    for (const [k, v] of Object.entries(value)) {
      if (typeof v !== 'string') return this.problem(`${name}.${k}`, 'a string', v);
    }
    return value as Record<string, string>;
  }

  function<T extends (...args: never[]) => unknown>(name: string, value: unknown): T | undefined {
    if (value === undefined) return undefined;
    if (typeof value !== 'function') return this.problem(name, 'a function', value);
    return value as T;
  }
}

function describeNumberRule(rule: { min?: number; max?: number; integer?: boolean }): string {
  const kind = rule.integer ? 'an integer' : 'a number';
  if (rule.min !== undefined && rule.max !== undefined) return `${kind} between ${rule.min} and ${rule.max}`;
  if (rule.min !== undefined) return `${kind} >= ${rule.min}`;
  if (rule.max !== undefined) return `${kind} <= ${rule.max}`;
  return kind;
}
