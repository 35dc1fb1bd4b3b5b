import { isoWithOffset, shift } from '../lib/time.js';
import type { HomeActivity } from './home_activities.js';

/** services/notifications_activities.py (branch week-2): one mock activity. */
export function notificationsActivities(): HomeActivity[] {
  const now = new Date();
  return [
    {
      uuid: '68f126b0-1ceb-4a33-88be-d90fa7109eee',
      handle: 'coco',
      message: 'I am white unicorn',
      created_at: isoWithOffset(shift(now, { days: -2 })),
      expires_at: isoWithOffset(shift(now, { days: 5 })),
      likes_count: 5,
      replies_count: 1,
      reposts_count: 0,
      replies: [
        {
          uuid: '26e12864-1c26-5c3a-9658-97a10f8fea67',
          reply_to_activity_uuid: '68f126b0-1ceb-4a33-88be-d90fa7109eee',
          handle: 'worf',
          message: 'this post has no honor!',
          likes_count: 0,
          replies_count: 0,
          reposts_count: 0,
          created_at: isoWithOffset(shift(now, { days: -2 })),
        },
      ],
    },
  ];
}
