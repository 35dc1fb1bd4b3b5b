// The JSON quoted in the docs (policies, sampling rules, output samples) lives in src/docs/: every file
// there must parse, and the X-Ray sampling-rules files must be rules @sightline/xray accepts.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadSamplingRules } from '@sightline/xray';
import { describe, expect, it } from 'vitest';

const DOCS = join(import.meta.dirname, '..', 'src', 'docs');
const ROOT = join(import.meta.dirname, '..', '..', '..');

describe('JSON quoted in the docs', () => {
  it.each(readdirSync(DOCS).filter((f) => f.endsWith('.json')))('%s parses', (file) => {
    expect(() => JSON.parse(readFileSync(join(DOCS, file), 'utf8'))).not.toThrow();
  });

  it('the IAM policy allows what the batcher calls', () => {
    const policy = JSON.parse(readFileSync(join(DOCS, 'cwlogs-iam-policy.json'), 'utf8'));
    const actions = policy.Statement.flatMap((s: { Action: string[] }) => s.Action);
    expect(actions).toEqual(expect.arrayContaining(['logs:PutLogEvents', 'logs:CreateLogStream']));
  });

  it('the SDK-shaped sampling rules (docs/xray.md) are valid: 5/s then 10 %, default 1/s then 5 %', () => {
    const parsed = loadSamplingRules(join(DOCS, 'xray-sdk-sampling-rules.json'));
    expect(parsed.ok, parsed.ok ? '' : parsed.error).toBe(true);
    if (!parsed.ok) return;
    expect(parsed.value.rules).toHaveLength(1);
    expect(parsed.value.rules[0]).toMatchObject({ reservoirPerSecond: 5, rate: 0.1 });
    expect(parsed.value.fallback).toEqual({ reservoirPerSecond: 1, rate: 0.05 });
  });

  it('the console-shaped Cruddur rule quoted by docs/xray.md is valid', () => {
    const parsed = loadSamplingRules(join(ROOT, 'examples/cruddur-backend/aws/json/xray.json'));
    expect(parsed.ok, parsed.ok ? '' : parsed.error).toBe(true);
    if (!parsed.ok) return;
    expect(parsed.value.rules[0]).toMatchObject({ reservoirPerSecond: 5, rate: 0.1 });
  });
});
