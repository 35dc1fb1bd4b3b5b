import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  formatXRayTraceHeader,
  isValidOtelTraceId,
  isValidSpanId,
  isValidXRayTraceId,
  newSpanId,
  newXRayTraceId,
  otelToXRayTraceId,
  parseXRayTraceHeader,
  xrayToOtelTraceId,
} from '../src/index';

const hex = (n: number) => fc.stringMatching(new RegExp(`^[0-9a-f]{${n}}$`));
const otelId = hex(32).filter((s) => !/^0+$/.test(s));

describe('trace id conversion', () => {
  it('round-trips every valid OTel id through the X-Ray form', () => {
    fc.assert(
      fc.property(otelId, (id) => {
        const x = otelToXRayTraceId(id);
        expect(x).toMatch(/^1-[0-9a-f]{8}-[0-9a-f]{24}$/);
        expect(xrayToOtelTraceId(x as string)).toBe(id);
      }),
    );
  });

  it('keeps the first 8 hex digits as the X-Ray epoch part', () => {
    expect(otelToXRayTraceId('5759e988bd862e3fe1be46a994272793')).toBe('1-5759e988-bd862e3fe1be46a994272793');
  });

  it('accepts upper-case input and answers lower-case', () => {
    expect(otelToXRayTraceId('5759E988BD862E3FE1BE46A994272793')).toBe('1-5759e988-bd862e3fe1be46a994272793');
  });

  it('rejects malformed and all-zero ids', () => {
    for (const bad of ['', 'xyz', '0'.repeat(32), 'g'.repeat(32), '5759e988bd862e3fe1be46a99427279']) {
      expect(otelToXRayTraceId(bad)).toBeUndefined();
    }
    for (const bad of [
      '1-5759e988-bd862e3fe1be46a99427279',
      '2-5759e988-bd862e3fe1be46a994272793',
      '1-00000000-000000000000000000000000',
    ]) {
      expect(xrayToOtelTraceId(bad)).toBeUndefined();
      expect(isValidXRayTraceId(bad)).toBe(false);
    }
    expect(isValidSpanId('0000000000000000')).toBe(false);
    expect(isValidSpanId('53995c3f42cd8ad8')).toBe(true);
    expect(isValidOtelTraceId('0'.repeat(32))).toBe(false);
  });

  it('validates exactly as the regular expressions of the formats do', () => {
    // The validators are loops for speed; these are the formats they must agree with.
    const reference = {
      otel: (id: string) => /^[0-9a-f]{32}$/.test(id) && !/^0+$/.test(id),
      span: (id: string) => /^[0-9a-f]{16}$/.test(id) && !/^0+$/.test(id),
      xray: (id: string) => /^1-[0-9a-f]{8}-[0-9a-f]{24}$/.test(id) && !/^1-0{8}-0{24}$/.test(id),
    };
    // Near-misses are most of what is generated: the right alphabet with zeros, dashes, upper case and
    // neighbours of the hex ranges ('/', ':', '`', 'g'), at the right lengths and one off.
    const alphabet = fc.constantFrom(...'0123456789abcdefABCDEF-/:`g1');
    const near = (n: number) =>
      fc.oneof(
        fc.string({ unit: alphabet, minLength: n - 1, maxLength: n + 1 }),
        fc.string({ unit: fc.constantFrom('0', '0', '0', '1', 'f', 'g'), minLength: n, maxLength: n }),
      );
    const xrayLike = fc
      .tuple(fc.constantFrom('1', '2'), near(8), near(24))
      .map(([v, a, b]) => `${v}-${a}-${b}`);
    fc.assert(
      fc.property(fc.oneof(near(32), near(16), xrayLike, fc.string()), (id) => {
        expect(isValidOtelTraceId(id)).toBe(reference.otel(id));
        expect(isValidSpanId(id)).toBe(reference.span(id));
        expect(isValidXRayTraceId(id)).toBe(reference.xray(id));
      }),
      { numRuns: 5000 },
    );
    expect(isValidXRayTraceId('1-00000000-000000000000000000000001')).toBe(true);
    expect(isValidXRayTraceId('1-00000001-000000000000000000000000')).toBe(true);
  });

  it('makes new ids in the X-Ray layout with the current epoch second', () => {
    const id = newXRayTraceId(1_700_000_000_123);
    expect(id.slice(2, 10)).toBe((1_700_000_000).toString(16));
    expect(isValidXRayTraceId(id)).toBe(true);
    expect(isValidSpanId(newSpanId())).toBe(true);
  });
});

describe('X-Amzn-Trace-Id header', () => {
  it('parses root, parent and sampled in any order and case', () => {
    expect(
      parseXRayTraceHeader('Sampled=1; parent=53995C3F42CD8AD8 ;Root=1-5759e988-bd862e3fe1be46a994272793'),
    ).toEqual({
      root: '1-5759e988-bd862e3fe1be46a994272793',
      parent: '53995c3f42cd8ad8',
      sampled: true,
      extra: {},
    });
  });

  it('continues a trace without Parent= and leaves the sampling decision open on Sampled=?', () => {
    expect(parseXRayTraceHeader('Root=1-5759e988-bd862e3fe1be46a994272793;Sampled=?')).toEqual({
      root: '1-5759e988-bd862e3fe1be46a994272793',
      extra: {},
    });
  });

  it('drops an invalid parent but keeps the trace, and keeps extra fields', () => {
    expect(
      parseXRayTraceHeader('Root=1-5759e988-bd862e3fe1be46a994272793;Parent=nope;Lineage=a:1;Sampled=0'),
    ).toEqual({
      root: '1-5759e988-bd862e3fe1be46a994272793',
      sampled: false,
      extra: { Lineage: 'a:1' },
    });
  });

  it('returns undefined without a valid root', () => {
    for (const bad of [undefined, '', 'Parent=53995c3f42cd8ad8', 'Root=abc', 'x'.repeat(600)]) {
      expect(parseXRayTraceHeader(bad)).toBeUndefined();
    }
  });

  it('takes the first value of a repeated header', () => {
    expect(parseXRayTraceHeader(['Root=1-5759e988-bd862e3fe1be46a994272793', 'Root=bad'])?.root).toBe(
      '1-5759e988-bd862e3fe1be46a994272793',
    );
  });

  it('formats and parses back for any valid input', () => {
    fc.assert(
      fc.property(
        otelId,
        hex(16).filter((s) => !/^0+$/.test(s)),
        fc.option(fc.boolean(), { nil: undefined }),
        (id, parent, sampled) => {
          const root = otelToXRayTraceId(id) as string;
          const header = formatXRayTraceHeader({ root, parent, sampled });
          const parsed = parseXRayTraceHeader(header);
          expect(parsed).toEqual({ root, parent, extra: {}, ...(sampled === undefined ? {} : { sampled }) });
        },
      ),
    );
  });

  it('formats without Parent when there is none', () => {
    expect(formatXRayTraceHeader({ root: '1-5759e988-bd862e3fe1be46a994272793', sampled: true })).toBe(
      'Root=1-5759e988-bd862e3fe1be46a994272793;Sampled=1',
    );
  });
});
