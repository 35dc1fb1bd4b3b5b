import { describe, expect, it } from 'vitest';
import { safeSegmentName } from '../src/requestSegment';

describe('safeSegmentName', () => {
  it('cleans each name, whatever name came before (the last one is cached)', () => {
    const names = ['backend-flask', 'say "hi"?', '', 'backend-flask', 'x'.repeat(250), ''];
    const expected = ['backend-flask', 'say _hi__', 'unknown', 'backend-flask', 'x'.repeat(200), 'unknown'];
    expect(names.map(safeSegmentName)).toEqual(expected);
    expect(names.map(safeSegmentName)).toEqual(expected);
  });
});
