import { describe, expect, it } from 'vitest';
import { firstForwardedFor } from '../src/index';

describe('firstForwardedFor', () => {
  it('takes the first entry of the chain, trimmed, from a string or the first of repeated headers', () => {
    expect(firstForwardedFor('203.0.113.9, 10.0.0.1')).toBe('203.0.113.9');
    expect(firstForwardedFor(' 198.51.100.2 ')).toBe('198.51.100.2');
    expect(firstForwardedFor(['2001:db8::1, 10.0.0.1', '192.0.2.1'])).toBe('2001:db8::1');
  });

  it('says undefined when the header is absent or its first entry is empty', () => {
    expect(firstForwardedFor(undefined)).toBeUndefined();
    expect(firstForwardedFor('')).toBeUndefined();
    expect(firstForwardedFor(' , 10.0.0.1')).toBeUndefined();
    expect(firstForwardedFor([])).toBeUndefined();
  });
});
