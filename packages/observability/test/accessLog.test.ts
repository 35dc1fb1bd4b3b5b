import { describe, expect, it } from 'vitest';
import { accessLogFields, clientIp, formatCruddurLine } from '../src/accessLog';

const record = {
  method: 'GET',
  path: '/api/activities/search?term=x',
  route: '/api/activities/search',
  status: 200,
  durationMs: 1.23456,
  clientIp: '127.0.0.1',
  protocol: 'http' as const,
  at: new Date(2026, 10, 27, 19, 5),
};

describe('access log', () => {
  it("reproduces Cruddur's Flask line, reason phrase upper-cased as Werkzeug writes it", () => {
    expect(formatCruddurLine(record)).toBe(
      '[2026-Nov-27 19:05] 127.0.0.1 GET http /api/activities/search?term=x 200 OK',
    );
    expect(formatCruddurLine({ ...record, status: 422 })).toBe(
      '[2026-Nov-27 19:05] 127.0.0.1 GET http /api/activities/search?term=x 422 UNPROCESSABLE ENTITY',
    );
    expect(formatCruddurLine({ ...record, status: 599, clientIp: undefined })).toBe(
      '[2026-Nov-27 19:05] - GET http /api/activities/search?term=x 599',
    );
  });

  it('gives the JSON event its http fields', () => {
    expect(accessLogFields(record)).toEqual({
      http: {
        method: 'GET',
        path: '/api/activities/search?term=x',
        route: '/api/activities/search',
        status: 200,
        duration_ms: 1.235,
        client_ip: '127.0.0.1',
      },
    });
  });

  it('takes the first x-forwarded-for address and unwraps IPv4-mapped addresses', () => {
    expect(clientIp('203.0.113.7, 10.0.0.1', '::ffff:127.0.0.1')).toBe('203.0.113.7');
    expect(clientIp(undefined, '::ffff:127.0.0.1')).toBe('127.0.0.1');
    expect(clientIp(['198.51.100.2'], undefined)).toBe('198.51.100.2');
  });
});
