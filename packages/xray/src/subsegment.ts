import { captureException, isRecordable, newCause } from './cause';
import { documentFields, documentKeys, flagMember, numberMember, object, stringMember } from './documentJson';
import { FAULT, SHARED_LATE_KEYS, SUBSEGMENTS, XRayEntity } from './entity';
import { newEntityId } from './ids';
import { lateMembersJson, placeKey } from './keyOrder';
import { STREAMING_THRESHOLD, type XRaySegment } from './segment';

const FIXED_KEYS = ['id', 'name', 'start_time', 'in_progress'];
// The optional keys, by their code in `keyOrder`: the shared ones (entity.ts), then this kind's own.
const END_TIME = 5;
/** `type`, `parent_id`, `trace_id`: set together when the subsegment is sent on its own. */
const STANDALONE = 6;
const LATE_KEYS = [...SHARED_LATE_KEYS, ['end_time'], ['type', 'parent_id', 'trace_id']];

/**
 * A subsegment document, with the behaviour of aws-xray-sdk-core's `Subsegment` that this package relies
 * on: nesting, the open-subsegment counter propagated to the segment, streaming itself once closed when
 * the segment has more than 100 open subsegments, errors as `cause`. `type`, `parent_id` and `trace_id`
 * are set only when it is sent as its own document. As in XRaySegment, the optional keys are written in
 * the order they were set.
 */
export class XRaySubsegment extends XRayEntity {
  id: string;
  name: string;
  start_time: number;
  in_progress: boolean | undefined;
  fault: boolean | undefined;
  end_time: number | undefined;
  type: 'subsegment' | undefined;
  parent_id: string | undefined;
  trace_id: string | undefined;
  /** Open subsegments below this one. */
  counter: number;
  segment: XRaySegment | undefined;
  parent: XRaySegment | XRaySubsegment | undefined;

  constructor(name: string) {
    super();
    this.id = newEntityId();
    this.name = name;
    this.start_time = Date.now() / 1000;
    this.in_progress = true;
    this.fault = undefined;
    this.end_time = undefined;
    this.type = undefined;
    this.parent_id = undefined;
    this.trace_id = undefined;
    this.counter = 0;
    this.segment = undefined;
    this.parent = undefined;
  }

  /** `type`, `parent_id` and `trace_id`, for sending this subsegment as its own document. */
  setStandalone(): void {
    this.keyOrder = placeKey(this.keyOrder, STANDALONE);
    this.type = 'subsegment';
    this.parent_id = this.parent?.id;
    this.trace_id = this.segment?.trace_id;
  }

  /**
   * Sets `fault` and puts the error first in `cause`, remembering it on the segment. When the subsegment
   * below already recorded this very error, `cause` becomes `{ id: <that subsegment>, exceptions: [] }`.
   */
  addError(err: unknown): void {
    if (!isRecordable(err)) return;
    this.keyOrder = placeKey(this.keyOrder, FAULT);
    this.fault = true;
    const root = this.segment;
    if (root?.exception !== undefined && err === root.exception.ex) {
      this.setCause({ id: root.exception.cause, exceptions: [] });
      return;
    }
    if (root !== undefined) root.exception = { ex: err, cause: this.id };
    const cause = this.cause ?? this.setCause(newCause());
    cause.exceptions?.unshift(captureException(err));
  }

  addSubsegment(sub: XRaySubsegment): void {
    if (this.subsegments === undefined) {
      this.keyOrder = placeKey(this.keyOrder, SUBSEGMENTS);
      this.subsegments = [];
    }
    sub.segment = this.segment;
    sub.parent = this;
    // Counted before the push, as in the SDK: streaming may replace this.subsegments meanwhile.
    if (sub.end_time === undefined) this.incrementCounter(sub.counter);
    this.subsegments.push(sub);
  }

  incrementCounter(additional?: number): void {
    this.counter = additional ? this.counter + additional + 1 : this.counter + 1;
    this.parent?.incrementCounter(additional);
  }

  decrementCounter(): void {
    this.counter--;
    this.parent?.decrementCounter();
  }

  isClosed(): boolean {
    return !this.in_progress;
  }

  /** Sets `end_time`; past the streaming threshold a finished subsegment is sent on its own at once. */
  close(): void {
    const root = this.segment;
    this.keyOrder = placeKey(this.keyOrder, END_TIME);
    this.end_time = Date.now() / 1000;
    this.in_progress = undefined;
    this.parent?.decrementCounter();
    if (root !== undefined && root.counter > STREAMING_THRESHOLD) {
      if (this.streamSubsegments() && this.parent !== undefined) this.parent.removeSubsegment(this);
    }
  }

  /** Sends this subsegment when it and everything below it is closed (true); else streams its children. */
  streamSubsegments(): boolean {
    if (this.isClosed() && this.counter <= 0) {
      this.flush();
      return true;
    }
    if (this.subsegments !== undefined && this.subsegments.length > 0) {
      this.subsegments = this.subsegments.filter((child) => !child.streamSubsegments());
    }
    return false;
  }

  flush(): void {
    this.segment?.writer.writeStreamed(this);
  }

  /** The document's JSON: what `JSON.stringify(this)` writes, without the copy `toJSON` makes. */
  toJSONString(): string {
    let out =
      stringMember('id', this.id) +
      stringMember('name', this.name) +
      numberMember('start_time', this.start_time) +
      flagMember('in_progress', this.in_progress);
    out += lateMembersJson(this, this.keyOrder, LATE_KEYS.length);
    return object(out);
  }

  /** One optional key's member (for `lateMembersJson`). */
  lateMember(code: number): string {
    switch (code) {
      case END_TIME:
        return numberMember('end_time', this.end_time);
      case STANDALONE:
        return (
          stringMember('type', this.type) +
          stringMember('parent_id', this.parent_id) +
          stringMember('trace_id', this.trace_id)
        );
      default:
        return this.sharedMember(code);
    }
  }

  toJSON(): Record<string, unknown> {
    return documentFields(this, documentKeys(FIXED_KEYS, LATE_KEYS, this.keyOrder));
  }
}
