import { isoWithOffset } from '../lib/time.js';

export interface MessageGroup {
  uuid: string;
  display_name: string;
  handle: string;
  created_at: string;
}

/** services/message_groups.py: two mock groups (the user is not looked up). */
export function messageGroups(_userHandle: string): MessageGroup[] {
  const now = isoWithOffset(new Date());
  return [
    {
      uuid: '24b95582-9e7b-4e0a-9ad1-639773ab7552',
      display_name: 'Andrew Brown',
      handle: 'andrewbrown',
      created_at: now,
    },
    { uuid: '417c360e-c4e6-4fce-873b-d2d71469b4ac', display_name: 'Worf', handle: 'worf', created_at: now },
  ];
}
