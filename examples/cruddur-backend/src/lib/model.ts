/**
 * What every Cruddur service returns, as the Python services did: `errors` (a list of codes, or null)
 * or `data`. The route answers 422 with the bare errors array, else 200 with the data.
 */
export interface ServiceResult<T> {
  errors: string[] | null;
  data: T | null;
}

/** The hard-coded user of the week-2 service (no authentication until week 3). */
export const CURRENT_USER = { handle: 'andrewbrown', displayName: 'Andrew Brown' } as const;

/** Python's `value == None or len(value) < 1`. */
export function isBlank(value: unknown): boolean {
  return value === undefined || value === null || (typeof value === 'string' && value.length < 1);
}
