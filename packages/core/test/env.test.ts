import { describe, expect, it } from 'vitest';
import { EnvReader, isLoopbackUrl, parseBoolean } from '../src/index';

describe('EnvReader', () => {
  it('trims values and treats empty as unset', () => {
    const r = new EnvReader({ A: '  x  ', B: '   ', C: '' });
    expect(r.string('A')).toBe('x');
    expect(r.string('B')).toBeUndefined();
    expect(r.string('C')).toBeUndefined();
    expect(r.firstString('B', 'C', 'A')).toBe('x');
    expect(r.warnings).toEqual([]);
  });

  it.each([
    ['true', true],
    ['1', true],
    ['YES', true],
    ['on', true],
    ['false', false],
    ['0', false],
    ['No', false],
    ['off', false],
  ])('reads boolean %s as %s', (raw, expected) => {
    expect(new EnvReader({ X: raw }).boolean('X', !expected)).toBe(expected);
    expect(parseBoolean(raw)).toBe(expected);
  });

  it('warns once naming the variable and the default for an invalid boolean', () => {
    const r = new EnvReader({ SIGHTLINE_DISABLED: 'maybe' });
    expect(r.boolean('SIGHTLINE_DISABLED', false)).toBe(false);
    expect(r.warnings).toHaveLength(1);
    expect(r.warnings[0]?.variable).toBe('SIGHTLINE_DISABLED');
    expect(r.warnings[0]?.message).toContain('SIGHTLINE_DISABLED="maybe"');
    expect(r.warnings[0]?.message).toContain('using the default false');
  });

  it('checks numbers against their rule and falls back', () => {
    const r = new EnvReader({ A: '12', B: 'abc', C: '1.5', D: '-3', E: '99999' });
    expect(r.number('A', { integer: true }, 5)).toBe(12);
    expect(r.number('B', {}, 5)).toBe(5);
    expect(r.number('C', { integer: true }, 5)).toBe(5);
    expect(r.number('D', { min: 0 }, 5)).toBe(5);
    expect(r.number('E', { max: 100 }, 5)).toBe(5);
    expect(r.warnings.map((w) => w.variable)).toEqual(['B', 'C', 'D', 'E']);
    expect(r.warnings[2]?.message).toContain('>= 0');
  });

  it('matches enums case-insensitively', () => {
    const r = new EnvReader({ L: 'DEBUG', M: 'loud' });
    expect(r.oneOf('L', ['debug', 'info'] as const, 'info')).toBe('debug');
    expect(r.oneOf('M', ['debug', 'info'] as const, 'info')).toBe('info');
    expect(r.warnings[0]?.message).toContain('one of debug, info');
  });

  it('parses key=value lists with URL-decoded values and reports malformed entries', () => {
    const r = new EnvReader({ H: 'x-honeycomb-team=abc%3D%3D, dataset = my data ,=bad,novalue' });
    expect(r.keyValueList('H')).toEqual({ 'x-honeycomb-team': 'abc==', dataset: 'my data' });
    expect(r.warnings).toHaveLength(1);
    expect(r.warnings[0]?.message).toContain('"=bad"');
  });

  it('validates URLs', () => {
    const r = new EnvReader({ U: 'http://127.0.0.1:4318', V: 'not a url', W: 'ftp://x' });
    expect(r.url('U')).toBe('http://127.0.0.1:4318');
    expect(r.url('V', 'http://d')).toBe('http://d');
    expect(r.url('W')).toBeUndefined();
    expect(r.warnings).toHaveLength(2);
    expect(r.list('U')).toEqual(['http://127.0.0.1:4318']);
  });

  it('recognises loopback URLs', () => {
    expect(isLoopbackUrl('http://127.0.0.1:4318')).toBe(true);
    expect(isLoopbackUrl('http://localhost')).toBe(true);
    expect(isLoopbackUrl('http://[::1]:80')).toBe(true);
    expect(isLoopbackUrl('https://api.honeycomb.io')).toBe(false);
    expect(isLoopbackUrl('nope')).toBe(false);
  });
});
