import { isoWithOffset, shift } from '../lib/time.js';
import { logger, obs } from '../observability.js';

export interface Reply {
  uuid: string;
  reply_to_activity_uuid: string;
  handle: string;
  message: string;
  likes_count: number;
  replies_count: number;
  reposts_count: number;
  created_at: string;
}

/** The original mixes `likes_count` and `likes` across activities; kept as it was. */
export interface HomeActivity {
  uuid: string;
  handle: string;
  message: string;
  created_at: string;
  expires_at: string;
  likes_count?: number;
  likes?: number;
  replies_count?: number;
  reposts_count?: number;
  replies: Reply[];
}

/** services/home_activities.py: three mock activities, inside the `home-activities-mock-data` span. */
export function homeActivities(): HomeActivity[] {
  logger.info('Hello Cloudwatch! from /api/activities/home');
  return obs.span(
    'home-activities-mock-data',
    (span) => {
      const now = new Date();
      span.setAttribute('app.now', isoWithOffset(now));
      const results: HomeActivity[] = [
        {
          uuid: '68f126b0-1ceb-4a33-88be-d90fa7109eee',
          handle: 'Andrew Brown',
          message: 'Cloud is very fun!',
          created_at: isoWithOffset(shift(now, { days: -2 })),
          expires_at: isoWithOffset(shift(now, { days: 5 })),
          likes_count: 5,
          replies_count: 1,
          reposts_count: 0,
          replies: [
            {
              uuid: '26e12864-1c26-5c3a-9658-97a10f8fea67',
              reply_to_activity_uuid: '68f126b0-1ceb-4a33-88be-d90fa7109eee',
              handle: 'Worf',
              message: 'This post has no honor!',
              likes_count: 0,
              replies_count: 0,
              reposts_count: 0,
              created_at: isoWithOffset(shift(now, { days: -2 })),
            },
          ],
        },
        {
          uuid: '66e12864-8c26-4c3a-9658-95a10f8fea67',
          handle: 'Worf',
          message: 'I am out of prune juice',
          created_at: isoWithOffset(shift(now, { days: -7 })),
          expires_at: isoWithOffset(shift(now, { days: 9 })),
          likes: 0,
          replies: [],
        },
        {
          uuid: '248959df-3079-4947-b847-9e0892d1bab4',
          handle: 'Garek',
          message: 'My dear doctor, I am just simple tailor',
          created_at: isoWithOffset(shift(now, { hours: -1 })),
          expires_at: isoWithOffset(shift(now, { hours: 12 })),
          likes: 0,
          replies: [],
        },
      ];
      span.setAttribute('app.result_length', results.length);
      return results;
    },
    { tracer: 'home.activities' },
  );
}
