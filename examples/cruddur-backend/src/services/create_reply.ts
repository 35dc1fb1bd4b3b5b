import { randomUUID } from 'node:crypto';
import { CURRENT_USER, isBlank, type ServiceResult } from '../lib/model.js';
import { charLength } from '../lib/text.js';
import { isoWithOffset } from '../lib/time.js';

export const MAX_REPLY_CHARS = 1024;

export interface CreatedReply {
  uuid: string;
  display_name: string;
  handle: string;
  message: string;
  created_at: string;
  reply_to_activity_uuid: string;
}

/**
 * services/create_reply.py. Checks in the original's order (user handle, activity uuid, message);
 * the last failing one wins. The original built its error answer from an undefined name
 * (`user_sender_handle`), so every invalid reply answered 500; the port answers 422 with the codes.
 */
export function createReply(
  message: string | undefined,
  userHandle: string,
  activityUuid: string | undefined,
): ServiceResult<CreatedReply> {
  let errors: string[] | null = null;
  if (isBlank(userHandle)) errors = ['user_handle_blank'];
  if (activityUuid === undefined || isBlank(activityUuid)) errors = ['activity_uuid_blank'];
  if (message === undefined || isBlank(message)) errors = ['message_blank'];
  else if (charLength(message) > MAX_REPLY_CHARS) errors = ['message_exceed_max_chars'];
  if (errors !== null || message === undefined || activityUuid === undefined) {
    return { errors: errors ?? ['message_blank'], data: null };
  }
  return {
    errors: null,
    data: {
      uuid: randomUUID(),
      display_name: CURRENT_USER.displayName,
      handle: userHandle,
      message,
      created_at: isoWithOffset(new Date()),
      reply_to_activity_uuid: activityUuid,
    },
  };
}
