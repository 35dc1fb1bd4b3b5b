import type { Cause } from './cause';
import { flagMember, member, subsegmentsMember } from './documentJson';
import { type Annotations, type Metadata, withAnnotation, withMetadata } from './entityValues';
import { placeKey } from './keyOrder';
import type { XRaySubsegment } from './subsegment';

// The optional keys both kinds of document have, by their code in `keyOrder`: the first five entries
// of each kind's late-key list, which then goes on with its own.
export const ANNOTATIONS = 0;
export const METADATA = 1;
export const SUBSEGMENTS = 2;
export const FAULT = 3;
export const CAUSE = 4;
/** The keys of those codes: the start of each kind's late-key list. */
export const SHARED_LATE_KEYS: readonly (readonly string[])[] = [
  ['annotations'],
  ['metadata'],
  ['subsegments'],
  ['fault'],
  ['cause'],
];

/** What segments and subsegments share: annotations, metadata, children and the cause, in set order. */
export abstract class XRayEntity {
  annotations: Annotations | undefined = undefined;
  metadata: Metadata | undefined = undefined;
  subsegments: XRaySubsegment[] | undefined = undefined;
  cause: Cause | undefined = undefined;
  /** The order the optional keys were set in (see keyOrder.ts). */
  keyOrder = 0;
  /** Declared by each kind, in its own field order. */
  abstract fault: boolean | undefined;

  addAnnotation(key: string, value: string | number | boolean): void {
    if (this.annotations === undefined) this.keyOrder = placeKey(this.keyOrder, ANNOTATIONS);
    this.annotations = withAnnotation(this.annotations, key, value);
  }

  addMetadata(key: string, value: unknown, namespace?: string): void {
    if (this.metadata === undefined) this.keyOrder = placeKey(this.keyOrder, METADATA);
    this.metadata = withMetadata(this.metadata, key, value, namespace);
  }

  removeSubsegment(sub: XRaySubsegment): void {
    const index = this.subsegments?.indexOf(sub) ?? -1;
    if (index >= 0) this.subsegments?.splice(index, 1);
  }

  /** The member of a shared optional key, for the kinds' `lateMember`; '' for a code of their own. */
  protected sharedMember(code: number): string {
    switch (code) {
      case ANNOTATIONS:
        return member('annotations', this.annotations);
      case METADATA:
        return member('metadata', this.metadata);
      case SUBSEGMENTS:
        return subsegmentsMember(this.subsegments);
      case FAULT:
        return flagMember('fault', this.fault);
      case CAUSE:
        return member('cause', this.cause);
      default:
        return '';
    }
  }

  protected setCause(cause: Cause): Cause {
    this.keyOrder = placeKey(this.keyOrder, CAUSE);
    this.cause = cause;
    return cause;
  }
}
