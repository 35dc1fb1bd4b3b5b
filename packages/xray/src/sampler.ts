import { byPriority, type SamplingRule, type SamplingRuleSet } from './samplingRules';

/** What the sampler is asked about one request. */
export interface SamplingRequest {
  serviceName: string;
  host?: string;
  httpMethod?: string;
  urlPath?: string;
}

/** `{ sampled, rule }`: `rule` is the matched rule's name (undefined for the default). */
export interface SamplingDecision {
  sampled: boolean;
  rule: string | undefined;
}

/** The seam a centralized sampler (through the daemon) can replace. */
export interface Sampler {
  shouldSample(request: SamplingRequest): SamplingDecision;
  describe(): string;
  close?(): void;
}

/** Time and chance, injectable so tests can drive the reservoir second by second. */
export interface SamplerClock {
  /** Milliseconds since the epoch. Default `Date.now`. */
  now(): number;
  /** A number in [0, 1). Default `Math.random`. */
  random(): number;
}

const globCache = new Map<string, RegExp>();

/** X-Ray glob: `*` any run of characters, `?` exactly one; case-insensitive, whole string. */
export function globMatch(pattern: string, text: string): boolean {
  if (pattern === '*') return true;
  let re = globCache.get(pattern);
  if (!re) {
    const source = pattern
      .split('')
      .map((c) => (c === '*' ? '.*' : c === '?' ? '.' : c.replace(/[\\^$.|+()[\]{}]/g, '\\$&')))
      .join('');
    re = new RegExp(`^${source}$`, 'is');
    if (globCache.size < 256) globCache.set(pattern, re);
  }
  return re.test(text);
}

/** A reservoir of N per wall-clock second, then a fixed rate. */
class RuleState {
  private second = -1;
  private used = 0;
  constructor(
    readonly reservoirPerSecond: number,
    readonly rate: number,
  ) {}

  take(clock: SamplerClock): boolean {
    const second = Math.floor(clock.now() / 1000);
    if (second !== this.second) {
      this.second = second;
      this.used = 0;
    }
    if (this.used < this.reservoirPerSecond) {
      this.used++;
      return true;
    }
    return this.rate > 0 && clock.random() < this.rate;
  }
}

/**
 * Local rules, matched on service name, host, method and URL path in priority order; each rule has its own
 * reservoir per second, then its fixed rate.
 */
export class LocalSampler implements Sampler {
  private readonly rules: { rule: SamplingRule; state: RuleState }[];
  private readonly fallback: RuleState;

  constructor(
    private readonly set: SamplingRuleSet,
    private readonly clock: SamplerClock = { now: Date.now, random: Math.random },
  ) {
    this.rules = [...set.rules]
      .sort(byPriority)
      .map((rule) => ({ rule, state: new RuleState(rule.reservoirPerSecond, rule.rate) }));
    this.fallback = new RuleState(set.fallback.reservoirPerSecond, set.fallback.rate);
  }

  shouldSample(request: SamplingRequest): SamplingDecision {
    for (const { rule, state } of this.rules) {
      if (matches(rule, request)) return { sampled: state.take(this.clock), rule: rule.name };
    }
    return { sampled: this.fallback.take(this.clock), rule: undefined };
  }

  describe(): string {
    return `local rules (${this.set.rules.length} + default)`;
  }
}

function matches(rule: SamplingRule, request: SamplingRequest): boolean {
  // We know no platform service type or resource ARN, so only wildcard rules for those can match.
  if (rule.serviceType !== '*' || !globMatch(rule.serviceName, request.serviceName)) return false;
  return (
    globMatch(rule.host, request.host ?? '') &&
    globMatch(rule.httpMethod, request.httpMethod ?? '') &&
    globMatch(rule.urlPath, request.urlPath ?? '')
  );
}
