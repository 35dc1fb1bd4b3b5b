import { randomUUID } from 'node:crypto';
import { CURRENT_USER, isBlank, type ServiceResult } from '../lib/model.js';
import { charLength } from '../lib/text.js';
import { isoWithOffset, shift } from '../lib/time.js';

/** The ttl values the frontend offers, as offsets from now. */
export const TTL_OFFSETS: Readonly<Record<string, { days?: number; hours?: number }>> = {
  '30-days': { days: 30 },
  '7-days': { days: 7 },
  '3-days': { days: 3 },
  '1-day': { days: 1 },
  '12-hours': { hours: 12 },
  '3-hours': { hours: 3 },
  '1-hour': { hours: 1 },
};

export const MAX_ACTIVITY_CHARS = 280;

export interface CreatedActivity {
  uuid: string;
  display_name: string;
  handle: string;
  message: string;
  created_at: string;
  expires_at: string;
}

/**
 * services/create_activity.py. Checks run in the original's order (ttl, user handle, message) and
 * each failing one overwrites the list, so the LAST failing check is the one answered.
 */
export function createActivity(
  message: string | undefined,
  userHandle: string,
  ttl: string | undefined,
): ServiceResult<CreatedActivity> {
  let errors: string[] | null = null;
  const offset = ttl !== undefined && Object.hasOwn(TTL_OFFSETS, ttl) ? TTL_OFFSETS[ttl] : undefined;
  if (offset === undefined) errors = ['ttl_blank'];
  if (isBlank(userHandle)) errors = ['user_handle_blank'];
  if (message === undefined || isBlank(message)) errors = ['message_blank'];
  else if (charLength(message) > MAX_ACTIVITY_CHARS) errors = ['message_exceed_max_chars'];
  if (errors !== null || offset === undefined || message === undefined) {
    return { errors: errors ?? ['ttl_blank'], data: null };
  }
  const now = new Date();
  return {
    errors: null,
    data: {
      uuid: randomUUID(),
      display_name: CURRENT_USER.displayName,
      handle: userHandle,
      message,
      created_at: isoWithOffset(now),
      expires_at: isoWithOffset(shift(now, offset)),
    },
  };
}
