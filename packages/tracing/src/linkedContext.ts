import type { Context } from '@opentelemetry/api';

/**
 * An OpenTelemetry context as a chain of links, one per value set. The API's own context copies its
 * whole map on every `setValue`, and a request sets several (the server span, its route holder, the
 * X-Ray segment, each child span and subsegment): a link is one small object, and a lookup walks a
 * chain as deep as the request's nesting.
 */
export class LinkedContext implements Context {
  private constructor(
    private readonly parent: LinkedContext | undefined,
    private readonly key: symbol | undefined,
    private readonly value: unknown,
  ) {}

  /** The empty context requests start from. */
  static readonly ROOT: Context = new LinkedContext(undefined, undefined, undefined);

  getValue(key: symbol): unknown {
    for (let link: LinkedContext | undefined = this; link !== undefined; link = link.parent) {
      if (link.key === key) return link.value;
    }
    return undefined;
  }

  setValue(key: symbol, value: unknown): Context {
    return new LinkedContext(this, key, value);
  }

  /** A link that says "no value" hides the key's value further up. */
  deleteValue(key: symbol): Context {
    return new LinkedContext(this, key, undefined);
  }
}
