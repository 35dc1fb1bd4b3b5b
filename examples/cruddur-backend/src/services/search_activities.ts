import { isBlank, type ServiceResult } from '../lib/model.js';
import { isoWithOffset } from '../lib/time.js';

export interface SearchResult {
  uuid: string;
  handle: string;
  message: string;
  created_at: string;
}

/** services/search_activities.py: 422 `search_term_blank` for a missing or empty term. */
export function searchActivities(term: string | undefined): ServiceResult<SearchResult[]> {
  if (isBlank(term)) return { errors: ['search_term_blank'], data: null };
  return {
    errors: null,
    data: [
      {
        uuid: '248959df-3079-4947-b847-9e0892d1bab4',
        handle: 'Andrew Brown',
        message: 'Cloud is fun!',
        created_at: isoWithOffset(new Date()),
      },
    ],
  };
}
