/** A log stream's metadata (its events live in the shared, capped event store). */
export interface StreamState {
  creationTime: number;
  firstEventTimestamp?: number;
  lastEventTimestamp?: number;
  lastIngestionTime?: number;
  storedBytes: number;
}

export interface GroupState {
  creationTime: number;
  retentionInDays?: number;
  storedBytes: number;
  streams: Map<string, StreamState>;
}

/** Log groups and streams by name; kept by `local.clear()` so senders need not re-create them. */
export type LogsState = Map<string, GroupState>;

/** A fake but well-formed account id for ARNs. */
export const ACCOUNT_ID = '000000000000';

export function groupArn(region: string, group: string): string {
  return `arn:aws:logs:${region}:${ACCOUNT_ID}:log-group:${group}`;
}

/** Pagination tokens are opaque to clients; an offset in base64 is enough here. */
export function encodeToken(offset: number): string {
  return Buffer.from(`local:${offset}`).toString('base64');
}

export function decodeToken(token: unknown): number | undefined {
  if (typeof token !== 'string') return undefined;
  const match = /^local:(\d+)$/.exec(Buffer.from(token, 'base64').toString('utf8'));
  return match ? Number(match[1]) : Number.NaN;
}
