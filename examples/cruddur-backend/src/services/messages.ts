import { isoWithOffset } from '../lib/time.js';

export interface Message {
  uuid: string;
  display_name: string;
  handle: string;
  message: string;
  created_at: string;
}

/** services/messages.py: two mock messages of the conversation with `userReceiverHandle`. */
export function messages(_userSenderHandle: string, _userReceiverHandle: string): Message[] {
  const now = isoWithOffset(new Date());
  return [
    {
      uuid: '4e81c06a-db0f-4281-b4cc-98208537772a',
      display_name: 'Andrew Brown',
      handle: 'andrewbrown',
      message: 'Cloud is fun!',
      created_at: now,
    },
    {
      uuid: '66e12864-8c26-4c3a-9658-95a10f8fea67',
      display_name: 'Andrew Brown',
      handle: 'andrewbrown',
      message: 'This platform is great!',
      created_at: now,
    },
  ];
}
