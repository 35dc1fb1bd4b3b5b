// Code in the docs is taken from real, type-checked files: every fenced block announced with
// `<!-- snippet: path/from/repo/root -->` must appear verbatim (a run of whole lines) in that file.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = join(import.meta.dirname, '..', '..', '..');
// Every user-facing page: the README, docs/, and each package's and example's README.
const DOCS = [
  'README.md',
  ...readdirSync(join(ROOT, 'docs'))
    .filter((f) => f.endsWith('.md'))
    .map((f) => `docs/${f}`),
  ...['packages', 'examples'].flatMap((dir) =>
    readdirSync(join(ROOT, dir))
      .map((name) => `${dir}/${name}/README.md`)
      .filter((path) => {
        try {
          readFileSync(join(ROOT, path));
          return true;
        } catch {
          return false;
        }
      }),
  ),
];
const SNIPPET = /<!-- snippet: (\S+) -->\s*\n```[a-z]*\n([\s\S]*?)\n```/g;

const trimLines = (text: string): string[] => text.split('\n').map((line) => line.trimEnd());

function containsLines(haystack: string[], needle: string[]): boolean {
  outer: for (let i = 0; i + needle.length <= haystack.length; i++) {
    for (let j = 0; j < needle.length; j++) if (haystack[i + j] !== needle[j]) continue outer;
    return true;
  }
  return false;
}

describe.each(DOCS)('%s', (doc) => {
  const text = readFileSync(join(ROOT, doc), 'utf8');
  const snippets = [...text.matchAll(SNIPPET)].map((m) => ({ file: m[1]!, code: m[2]! }));

  it('quotes only real files, verbatim', () => {
    for (const { file, code } of snippets) {
      const source = trimLines(readFileSync(join(ROOT, file), 'utf8'));
      expect(containsLines(source, trimLines(code)), `${doc}: snippet not found in ${file}:\n${code}`).toBe(
        true,
      );
    }
  });

  it('announces every TypeScript and YAML block as a snippet', () => {
    const blocks = [...text.matchAll(/```(ts|typescript|yaml|yml|json)\n/g)].length;
    expect(snippets.length).toBe(blocks);
  });
});
