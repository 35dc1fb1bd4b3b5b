import type { InputLogEvent, LogsSender, PutLogEventsResult, SendOptions } from '../src/sender';

/** An error shaped like the SDK's service exceptions. */
export function awsError(name: string, status = 400, message = name): Error {
  const e = new Error(message) as Error & { $metadata: { httpStatusCode: number } };
  e.name = name;
  e.$metadata = { httpStatusCode: status };
  return e;
}

export function networkError(): Error {
  const e = new Error('connect ECONNREFUSED 127.0.0.1:1') as Error & { code: string };
  e.code = 'ECONNREFUSED';
  return e;
}

export interface PutCall {
  at: number;
  group: string;
  stream: string;
  events: InputLogEvent[];
  outcome: 'ok' | 'error';
}

type Script = (call: {
  group: string;
  stream: string;
  events: InputLogEvent[];
}) => Error | PutLogEventsResult | undefined;

/**
 * A `LogsSender` that behaves like CloudWatch Logs for the rules the batcher must respect: it throws
 * (failing the test) on any invalid request, stores accepted events, and can be scripted to fail.
 */
export class FakeSender implements LogsSender {
  readonly puts: PutCall[] = [];
  readonly calls: string[] = [];
  readonly stored: { group: string; stream: string; timestamp: number; message: string }[] = [];
  readonly violations: string[] = [];
  readonly groups = new Map<
    string,
    { tags?: Record<string, string>; retention?: number; streams: Set<string> }
  >();
  /** Answers of the next calls to putLogEvents, in order. */
  next: Script[] = [];
  /** Answer of every call when `next` is empty (default: accept). */
  always: Script | undefined;
  /** When set, each put waits for this promise (to hold requests in flight). */
  gate: Promise<void> | undefined;
  inFlight = 0;
  maxInFlight = 0;

  constructor(existing: Record<string, string[]> = {}) {
    for (const [g, streams] of Object.entries(existing)) this.groups.set(g, { streams: new Set(streams) });
  }

  async putLogEvents(
    input: { logGroupName: string; logStreamName: string; logEvents: InputLogEvent[] },
    options?: SendOptions,
  ): Promise<PutLogEventsResult> {
    this.calls.push('PutLogEvents');
    this.inFlight++;
    this.maxInFlight = Math.max(this.maxInFlight, this.inFlight);
    try {
      if (this.gate) await this.gate;
      if (options?.signal?.aborted) throw Object.assign(new Error('aborted'), { name: 'AbortError' });
      const { logGroupName: group, logStreamName: stream, logEvents: events } = input;
      this.validate(events);
      const script = this.next.shift() ?? this.always;
      const answer = script?.({ group, stream, events });
      if (answer instanceof Error) {
        this.puts.push({ at: Date.now(), group, stream, events, outcome: 'error' });
        throw answer;
      }
      const g = this.groups.get(group);
      if (!g) throw awsError('ResourceNotFoundException', 400, 'The specified log group does not exist.');
      if (!g.streams.has(stream))
        throw awsError('ResourceNotFoundException', 400, 'The specified log stream does not exist.');
      this.puts.push({ at: Date.now(), group, stream, events, outcome: 'ok' });
      const info = answer?.rejectedLogEventsInfo;
      events.forEach((e, i) => {
        const rejected =
          info &&
          ((info.tooOldLogEventEndIndex ?? 0) > i ||
            (info.expiredLogEventEndIndex ?? 0) > i ||
            (info.tooNewLogEventStartIndex ?? Number.POSITIVE_INFINITY) <= i);
        if (!rejected) this.stored.push({ group, stream, ...e });
      });
      return answer ?? {};
    } finally {
      this.inFlight--;
    }
  }

  private validate(events: InputLogEvent[]): void {
    const fail = (m: string) => {
      this.violations.push(m);
      throw new Error(`invalid request: ${m}`);
    };
    if (events.length === 0) fail('empty request');
    if (events.length > 10_000) fail(`${events.length} events`);
    let bytes = 0;
    for (let i = 0; i < events.length; i++) {
      const e = events[i]!;
      const size = Buffer.byteLength(e.message, 'utf8') + 26;
      if (e.message.length === 0) fail('empty message');
      if (size > 1_048_576) fail(`event of ${size} bytes`);
      bytes += size;
      if (i > 0 && e.timestamp < events[i - 1]!.timestamp) fail('not in chronological order');
    }
    if (bytes > 1_048_576) fail(`request of ${bytes} bytes`);
    if (events[events.length - 1]!.timestamp - events[0]!.timestamp > 24 * 3600_000) fail('span over 24 h');
  }

  async createLogGroup(input: { logGroupName: string; tags?: Record<string, string> }): Promise<void> {
    this.calls.push('CreateLogGroup');
    if (this.groups.has(input.logGroupName)) throw awsError('ResourceAlreadyExistsException');
    this.groups.set(input.logGroupName, { ...(input.tags ? { tags: input.tags } : {}), streams: new Set() });
  }

  async createLogStream(input: { logGroupName: string; logStreamName: string }): Promise<void> {
    this.calls.push('CreateLogStream');
    const g = this.groups.get(input.logGroupName);
    if (!g) throw awsError('ResourceNotFoundException', 400, 'The specified log group does not exist.');
    if (g.streams.has(input.logStreamName)) throw awsError('ResourceAlreadyExistsException');
    g.streams.add(input.logStreamName);
  }

  async putRetentionPolicy(input: { logGroupName: string; retentionInDays: number }): Promise<void> {
    this.calls.push('PutRetentionPolicy');
    const g = this.groups.get(input.logGroupName);
    if (g) g.retention = input.retentionInDays;
  }
}
