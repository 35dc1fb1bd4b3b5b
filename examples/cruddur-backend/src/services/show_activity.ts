import { isoWithOffset, shift } from '../lib/time.js';

export interface ShownActivity {
  uuid: string;
  handle: string;
  message: string;
  created_at: string;
  expires_at: string;
  /** An object, not a list, exactly as the original returned it. */
  replies: { uuid: string; handle: string; message: string; created_at: string };
}

/**
 * services/show_activity.py. The original route called `ShowActivities.run` while the class is
 * `ShowActivity`, so every request answered 500; the port calls the service it meant to.
 */
export function showActivity(_activityUuid: string): ShownActivity[] {
  const now = new Date();
  return [
    {
      uuid: '68f126b0-1ceb-4a33-88be-d90fa7109eee',
      handle: 'Andrew Brown',
      message: 'Cloud is fun!',
      created_at: isoWithOffset(shift(now, { days: -2 })),
      expires_at: isoWithOffset(shift(now, { days: 5 })),
      replies: {
        uuid: '26e12864-1c26-5c3a-9658-97a10f8fea67',
        handle: 'Worf',
        message: 'This post has no honor!',
        created_at: isoWithOffset(shift(now, { days: -2 })),
      },
    },
  ];
}
