import { readFileSync } from 'node:fs';

/** One sampling rule, normalized from either file shape. Patterns are globs (`*`, `?`). */
export interface SamplingRule {
  name: string;
  /** Lower wins (console rules: 1-9999; SDK v2 rules: their order in the file). */
  priority: number;
  /** Requests traced per second before the rate applies (console `ReservoirSize`, SDK `fixed_target`). */
  reservoirPerSecond: number;
  /** Share of the requests past the reservoir that are traced, 0-1 (console `FixedRate`, SDK `rate`). */
  rate: number;
  serviceName: string;
  serviceType: string;
  host: string;
  httpMethod: string;
  urlPath: string;
}

export interface SamplingRuleSet {
  rules: SamplingRule[];
  /** Applies when no rule matches. */
  fallback: { reservoirPerSecond: number; rate: number };
}

/** The SDK's built-in default: 1 request per second, then 5 %. */
export const DEFAULT_SAMPLING: SamplingRuleSet = {
  rules: [],
  fallback: { reservoirPerSecond: 1, rate: 0.05 },
};

export type SamplingRulesInput = string | Record<string, unknown> | readonly Record<string, unknown>[];

type Parsed = { ok: true; value: SamplingRuleSet } | { ok: false; error: string };

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * Reads sampling rules given as an object (either shape) or a path to a JSON file holding one.
 * Accepted shapes: the console/CLI `SamplingRule` JSON (`{"SamplingRule": {...}}`, a list of those or
 * of bare rules, `{"SamplingRules": [...]}`, or `get-sampling-rules` output `{"SamplingRuleRecords": [...]}`),
 * and the SDK's local file (`{"version": 2, "rules": [...], "default": {...}}`; version 1 uses `service_name`).
 */
export function loadSamplingRules(input: SamplingRulesInput, readFile = defaultReadFile): Parsed {
  if (typeof input === 'string') {
    let text: string;
    try {
      text = readFile(input);
    } catch (error) {
      return { ok: false, error: `cannot read ${input}: ${(error as Error).message}` };
    }
    try {
      return parseSamplingRules(JSON.parse(text));
    } catch (error) {
      return { ok: false, error: `${input} is not JSON: ${(error as Error).message}` };
    }
  }
  return parseSamplingRules(input);
}

function defaultReadFile(path: string): string {
  return readFileSync(path, 'utf8');
}

export function parseSamplingRules(value: unknown): Parsed {
  try {
    if (isObject(value) && (value.version !== undefined || value.rules !== undefined)) {
      return { ok: true, value: fromSdkShape(value) };
    }
    return { ok: true, value: fromConsoleShape(value) };
  } catch (error) {
    return { ok: false, error: (error as Error).message };
  }
}

function fail(message: string): never {
  throw new Error(message);
}

function num(
  obj: Record<string, unknown>,
  key: string,
  where: string,
  rule: { max?: number; int?: boolean },
) {
  const v = obj[key];
  if (typeof v !== 'number' || !Number.isFinite(v) || v < 0 || (rule.max !== undefined && v > rule.max)) {
    fail(`${where}.${key} must be a number between 0 and ${rule.max ?? 'infinity'}`);
  }
  if (rule.int && !Number.isInteger(v)) fail(`${where}.${key} must be an integer`);
  return v;
}

function pattern(obj: Record<string, unknown>, key: string, where: string, fallback = '*'): string {
  const v = obj[key];
  if (v === undefined) return fallback;
  if (typeof v !== 'string' || v === '') fail(`${where}.${key} must be a non-empty string`);
  return v;
}

function fromSdkShape(file: Record<string, unknown>): SamplingRuleSet {
  if (file.version !== 1 && file.version !== 2) fail('version must be 1 or 2');
  const def = file.default;
  if (!isObject(def)) fail('default must be an object with fixed_target and rate');
  const rulesIn = file.rules ?? [];
  if (!Array.isArray(rulesIn)) fail('rules must be an array');
  const rules = rulesIn.map((r: unknown, i): SamplingRule => {
    const where = `rules[${i}]`;
    if (!isObject(r)) fail(`${where} must be an object`);
    return {
      name: typeof r.description === 'string' && r.description !== '' ? r.description : `rule ${i + 1}`,
      priority: i + 1,
      reservoirPerSecond: num(r, 'fixed_target', where, { int: true }),
      rate: num(r, 'rate', where, { max: 1 }),
      // Version 1 matched the service name; version 2 replaced it with the Host header.
      serviceName: file.version === 1 ? pattern(r, 'service_name', where) : '*',
      serviceType: '*',
      host: file.version === 2 ? pattern(r, 'host', where) : '*',
      httpMethod: pattern(r, 'http_method', where),
      urlPath: pattern(r, 'url_path', where),
    };
  });
  return {
    rules,
    fallback: {
      reservoirPerSecond: num(def, 'fixed_target', 'default', { int: true }),
      rate: num(def, 'rate', 'default', { max: 1 }),
    },
  };
}

function consoleRules(value: unknown): unknown[] {
  if (Array.isArray(value)) return value;
  if (isObject(value)) {
    if (Array.isArray(value.SamplingRuleRecords)) return value.SamplingRuleRecords;
    if (Array.isArray(value.SamplingRules)) return value.SamplingRules;
    return [value];
  }
  return fail('expected a sampling rule object, a list of rules, or an SDK rules file');
}

function fromConsoleShape(value: unknown): SamplingRuleSet {
  const out: SamplingRuleSet = { rules: [], fallback: { ...DEFAULT_SAMPLING.fallback } };
  consoleRules(value).forEach((entry, i) => {
    const where = Array.isArray(value) ? `[${i}]` : 'SamplingRule';
    const rule = isObject(entry) && isObject(entry.SamplingRule) ? entry.SamplingRule : entry;
    if (!isObject(rule)) fail(`${where} must be an object`);
    if (typeof rule.RuleName !== 'string' || rule.RuleName === '') fail(`${where}.RuleName is required`);
    const reservoirPerSecond = num(rule, 'ReservoirSize', where, { int: true });
    const rate = num(rule, 'FixedRate', where, { max: 1 });
    // The console's catch-all rule is named Default and always evaluated last.
    if (rule.RuleName === 'Default') {
      out.fallback = { reservoirPerSecond, rate };
      return;
    }
    out.rules.push({
      name: rule.RuleName,
      priority: num(rule, 'Priority', where, { int: true, max: 9999 }),
      reservoirPerSecond,
      rate,
      serviceName: pattern(rule, 'ServiceName', where),
      serviceType: pattern(rule, 'ServiceType', where),
      host: pattern(rule, 'Host', where),
      httpMethod: pattern(rule, 'HTTPMethod', where),
      urlPath: pattern(rule, 'URLPath', where),
    });
  });
  if (out.rules.length === 0 && consoleRules(value).length === 0) fail('no sampling rules given');
  return out;
}

/** The rule set in the SDK's `version: 2` shape (what `AWSXRay.middleware.setSamplingRules` takes). */
export function toSdkRulesFile(set: SamplingRuleSet): Record<string, unknown> {
  return {
    version: 2,
    rules: [...set.rules].sort(byPriority).map((r) => ({
      description: r.name,
      host: r.host,
      http_method: r.httpMethod,
      url_path: r.urlPath,
      fixed_target: r.reservoirPerSecond,
      rate: r.rate,
    })),
    default: { fixed_target: set.fallback.reservoirPerSecond, rate: set.fallback.rate },
  };
}

export function byPriority(a: SamplingRule, b: SamplingRule): number {
  return a.priority - b.priority || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);
}

export function describeSampling(set: SamplingRuleSet): string {
  const fmt = (r: { reservoirPerSecond: number; rate: number }) =>
    `${r.reservoirPerSecond}/s + ${Math.round(r.rate * 10000) / 100}%`;
  const rules = [...set.rules].sort(byPriority).map((r) => `${r.name} ${fmt(r)}`);
  return [...rules, `default ${fmt(set.fallback)}`].join(', ');
}
