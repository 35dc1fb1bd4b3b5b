import { isBlank, type ServiceResult } from '../lib/model.js';
import { isoWithOffset, shift } from '../lib/time.js';
import { obs } from '../observability.js';

export interface UserActivity {
  uuid: string;
  handle: string;
  message: string;
  created_at: string;
  expires_at: string;
}

/** services/user_activities.py: one mock activity (the handle is not looked up), plus the `mock-data` subsegment. */
export function userActivities(userHandle: string | undefined): ServiceResult<UserActivity[]> {
  const model: ServiceResult<UserActivity[]> = { errors: null, data: null };
  const now = new Date();
  if (isBlank(userHandle)) {
    model.errors = ['blank_user_handle'];
  } else {
    model.data = [
      {
        uuid: '248959df-3079-4947-b847-9e0892d1bab4',
        handle: 'Andrew Brown',
        message: 'Cloud is fun!',
        created_at: isoWithOffset(shift(now, { days: -1 })),
        expires_at: isoWithOffset(shift(now, { days: 31 })),
      },
    ];
  }
  // xray_recorder.begin_subsegment('mock-data'); subsegment.put_metadata('key', dict, 'namespace')
  obs.subsegment('mock-data', (segment) => {
    segment.addMetadata(
      'key',
      { now: isoWithOffset(now), 'results-size': model.data?.length ?? 0 },
      'namespace',
    );
  });
  return model;
}
