import { captureException, isRecordable, newCause, type PropagatingError } from './cause';
import {
  documentFields,
  documentKeys,
  flagMember,
  member,
  numberMember,
  object,
  stringMember,
} from './documentJson';
import type { DocumentWriter } from './documents';
import { FAULT, SHARED_LATE_KEYS, SUBSEGMENTS, XRayEntity } from './entity';
import { newEntityId } from './ids';
import { lateMembersJson, placeKey, removeKey } from './keyOrder';
import type { XRaySubsegment } from './subsegment';

/**
 * aws-xray-sdk-core's `streamingThreshold` (`segment_utils.js`, default 100): past this many open
 * subsegments, closed ones are sent on their own instead of waiting for the segment.
 */
export const STREAMING_THRESHOLD = 100;

export interface HttpData {
  request: Record<string, unknown>;
  response?: Record<string, number>;
}

export interface AwsData {
  xray: Record<string, string>;
}

/** Identifies our documents in `aws.xray` (what the SDK's index would set as its SDK data). */
const DEFAULT_AWS: AwsData = Object.freeze({
  xray: Object.freeze({ sdk: 'X-Ray for Node.js', package: '@sightline/xray' }),
});
const DEFAULT_AWS_MEMBER = member('aws', DEFAULT_AWS);

const FIXED_KEYS = ['trace_id', 'id', 'start_time', 'name', 'in_progress', 'parent_id', 'aws', 'http'];
// The optional keys, by their code in `keyOrder`: the shared ones (entity.ts), then this kind's own.
const ERROR = 5;
const THROTTLE = 6;
const END_TIME = 7;
const LATE_KEYS = [...SHARED_LATE_KEYS, ['error'], ['throttle'], ['end_time']];

/**
 * A segment document, with the behaviour of aws-xray-sdk-core's `Segment` that this package relies on:
 * nesting, the open-subsegment counter that decides when a closed segment is sent, streaming of closed
 * subsegments past 100 open ones, errors as `cause`. Fields are all declared up front (one hidden class);
 * the optional ones (annotations … end_time) are set through the methods, which record the order they
 * came in, and `toJSONString()` writes them in that order, as the SDK's objects were written.
 */
export class XRaySegment extends XRayEntity {
  trace_id: string;
  id: string;
  start_time: number;
  name: string;
  in_progress: boolean | undefined;
  parent_id: string | undefined;
  aws: AwsData;
  http: HttpData | undefined;
  fault: boolean | undefined;
  error: boolean | undefined;
  throttle: boolean | undefined;
  end_time: number | undefined;
  /** Open subsegments anywhere below this segment. */
  counter: number;
  /** The last error a subsegment recorded, so that parents recording the same error refer to it. */
  exception: PropagatingError | undefined;
  readonly writer: DocumentWriter;

  constructor(writer: DocumentWriter, name: string, traceId: string, parentId?: string, id?: string) {
    super();
    this.trace_id = traceId;
    // The request's segment takes the server span's id: no random id made only to be replaced.
    this.id = id ?? newEntityId();
    this.start_time = Date.now() / 1000;
    this.name = name;
    this.in_progress = true;
    this.parent_id = parentId || undefined;
    this.aws = DEFAULT_AWS;
    this.http = undefined;
    this.fault = undefined;
    this.error = undefined;
    this.throttle = undefined;
    this.end_time = undefined;
    this.counter = 0;
    this.exception = undefined;
    this.writer = writer;
  }

  /** `aws.xray.rule_name`: the sampling rule that sampled this request. */
  setMatchedSamplingRule(ruleName: string): void {
    this.aws = { ...this.aws, xray: { ...this.aws.xray, rule_name: ruleName } };
  }

  addFaultFlag(): void {
    this.keyOrder = placeKey(this.keyOrder, FAULT);
    this.fault = true;
  }

  /** Removes `fault` (a 4xx response is the client's error, not ours). */
  removeFaultFlag(): void {
    this.keyOrder = removeKey(this.keyOrder, FAULT);
    this.fault = undefined;
  }

  addErrorFlag(): void {
    this.keyOrder = placeKey(this.keyOrder, ERROR);
    this.error = true;
  }

  addThrottleFlag(): void {
    this.keyOrder = placeKey(this.keyOrder, THROTTLE);
    this.throttle = true;
  }

  /**
   * Sets `fault` and appends the error to `cause`. The error a subsegment below recorded last becomes
   * the reference `{ id: <that subsegment> }` instead; once the cause is that reference, later errors
   * only set `fault` (the SDK throws trying to append to it, and addErrorTo swallowed that).
   */
  addError(err: unknown): void {
    if (!isRecordable(err)) return;
    this.addFaultFlag();
    const propagated = this.exception;
    if (propagated !== undefined) {
      this.exception = undefined;
      if (err === propagated.ex) {
        this.setCause({ id: propagated.cause });
        return;
      }
    }
    const cause = this.cause ?? this.setCause(newCause());
    cause.exceptions?.push(captureException(err));
  }

  addSubsegment(sub: XRaySubsegment): void {
    if (this.subsegments === undefined) {
      this.keyOrder = placeKey(this.keyOrder, SUBSEGMENTS);
      this.subsegments = [];
    }
    sub.segment = this;
    sub.parent = this;
    this.subsegments.push(sub);
    if (!sub.end_time) this.incrementCounter(sub.counter);
  }

  /** One more open subsegment (plus `additional` for a tree added at once); streams past the threshold. */
  incrementCounter(additional?: number): void {
    this.counter = additional ? this.counter + additional + 1 : this.counter + 1;
    if (this.counter > STREAMING_THRESHOLD && this.subsegments !== undefined && this.subsegments.length > 0) {
      this.subsegments = this.subsegments.filter((child) => !child.streamSubsegments());
    }
  }

  /** A subsegment closed: a closed segment with none open left is sent. */
  decrementCounter(): void {
    this.counter--;
    if (this.counter <= 0 && this.isClosed()) this.flush();
  }

  isClosed(): boolean {
    return !this.in_progress;
  }

  /** Sets `end_time` (once) and sends the segment unless subsegments are still open. */
  close(): void {
    if (!this.end_time) {
      this.keyOrder = placeKey(this.keyOrder, END_TIME);
      this.end_time = Date.now() / 1000;
    }
    this.in_progress = undefined;
    this.exception = undefined;
    if (this.counter <= 0) this.flush();
  }

  flush(): void {
    this.writer.writeSegment(this);
  }

  /** The document's JSON: what `JSON.stringify(this)` writes, without the copy `toJSON` makes. */
  toJSONString(): string {
    let out =
      stringMember('trace_id', this.trace_id) +
      stringMember('id', this.id) +
      numberMember('start_time', this.start_time) +
      stringMember('name', this.name) +
      flagMember('in_progress', this.in_progress) +
      stringMember('parent_id', this.parent_id) +
      (this.aws === DEFAULT_AWS ? DEFAULT_AWS_MEMBER : member('aws', this.aws)) +
      member('http', this.http);
    out += lateMembersJson(this, this.keyOrder, LATE_KEYS.length);
    return object(out);
  }

  /** One optional key's member (for `lateMembersJson`). */
  lateMember(code: number): string {
    switch (code) {
      case ERROR:
        return flagMember('error', this.error);
      case THROTTLE:
        return flagMember('throttle', this.throttle);
      case END_TIME:
        return numberMember('end_time', this.end_time);
      default:
        return this.sharedMember(code);
    }
  }

  toJSON(): Record<string, unknown> {
    return documentFields(this, documentKeys(FIXED_KEYS, LATE_KEYS, this.keyOrder));
  }
}
