import { randomUUID } from 'node:crypto';
import { CURRENT_USER, isBlank, type ServiceResult } from '../lib/model.js';
import { charLength } from '../lib/text.js';
import { isoWithOffset } from '../lib/time.js';

export const MAX_MESSAGE_CHARS = 1024;

export interface CreatedMessage {
  uuid: string;
  display_name: string;
  handle: string;
  message: string;
  created_at: string;
}

/**
 * services/create_message.py (week 2). Checks in order (sender, receiver, message); the last failing
 * one wins. `user_reciever_handle_blank` is spelled as the original spelled it: clients match on it.
 */
export function createMessage(
  message: string | undefined,
  userSenderHandle: string,
  userReceiverHandle: string | undefined,
): ServiceResult<CreatedMessage> {
  let errors: string[] | null = null;
  if (isBlank(userSenderHandle)) errors = ['user_sender_handle_blank'];
  if (isBlank(userReceiverHandle)) errors = ['user_reciever_handle_blank'];
  if (message === undefined || isBlank(message)) errors = ['message_blank'];
  else if (charLength(message) > MAX_MESSAGE_CHARS) errors = ['message_exceed_max_chars'];
  if (errors !== null || message === undefined) return { errors: errors ?? ['message_blank'], data: null };
  return {
    errors: null,
    data: {
      uuid: randomUUID(),
      display_name: CURRENT_USER.displayName,
      handle: userSenderHandle,
      message,
      created_at: isoWithOffset(new Date()),
    },
  };
}
