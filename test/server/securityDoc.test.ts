// @vitest-environment node
// SECURITY.md names, for every threat, the test that proves it stopped. Those names must exist, and the
// few numbers it states must be the code's: a threat model that drifts from the code misleads (finding 6).
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const repo = join(__dirname, '..', '..');
const security = readFileSync(join(repo, 'SECURITY.md'), 'utf8');

/** A test file SECURITY.md names by its bare name: wherever it lives under test/server (its folders by concern). */
function serverTest(name: string): string {
  const found = (readdirSync(join(repo, 'test', 'server'), { recursive: true }) as string[]).filter((path) => path.split('/').at(-1) === name);
  expect(found, `exactly one test/server file named ${name}`).toHaveLength(1);
  return join(repo, 'test', 'server', found[0]!);
}

/**
 * Every test title in a source file (`it('…'`, `describe('…'`, `it.each(…)('…'`; in single or double
 * quotes, as a formatter may choose for a title with an apostrophe), as a pattern: `%s`, `%i`, `$name`
 * match anything.
 */
function titles(source: string): RegExp[] {
  const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return [...source.matchAll(/(?:\b(?:it|describe|test)|\))\(\s*(?:'((?:\\'|[^'])*)'|"((?:\\"|[^"])*)")/g)].map(
    ([, single, double]) =>
      new RegExp(
        `^${(single ?? double)!
          .replace(/\\(['"])/g, '$1')
          .split(/%[sidj]|\$\w+/)
          .map(escape)
          .join('.+')}$`,
      ),
  );
}

describe('SECURITY.md', () => {
  it('every test it names (file → "name") exists in that file', () => {
    const rows = security.split('\n').filter((line) => line.startsWith('| ') && /\.test\.tsx?/.test(line));
    expect(rows.length).toBeGreaterThan(10);
    let checked = 0;
    for (const row of rows) {
      const proof = row.split(' | ').at(-1)!;
      // "`file.test.ts` → "name", "name"; `other.test.ts` → …": split per file, then take the quoted names.
      for (const part of proof.split(/;\s*(?=`)/)) {
        const file = /`([^`]+\.test\.tsx?)`/.exec(part)?.[1];
        if (!file) continue;
        const path = file.startsWith('test/') ? join(repo, file) : serverTest(file);
        const known = titles(readFileSync(path, 'utf8'));
        for (const [, name] of part.matchAll(/"([^"]+)"/g)) {
          // The document may shorten a name with "…", keep a parameter as `%s`, or name a describe block by
          // its beginning ("faults on GetVisualValidateResult" for "… after a success callback").
          const loose = new RegExp(
            `^${name!
              .split(/…|%s/)
              .map((piece) => piece.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
              .join('.*')}`,
          );
          const found = known.some((pattern) => pattern.test(name!) || loose.test(pattern.source.replace(/^\^|\$$/g, '').replace(/\\(.)/g, '$1')));
          expect(found, `${file} has no test named "${name}"`).toBe(true);
          checked += 1;
        }
      }
    }
    expect(checked).toBeGreaterThan(40);
  });

  it('states the bucket bound and the recheck count the code uses (issue 21)', () => {
    const windows = readFileSync(join(repo, 'src', 'server', 'upstream', 'slidingWindows.ts'), 'utf8');
    const maxBuckets = Number(/export const MAX_BUCKETS = ([\d_]+)/.exec(windows)?.[1]?.replace(/_/g, ''));
    expect(maxBuckets).toBeGreaterThan(0);
    const stated = [...security.matchAll(/at most ([\d ]+) buckets/g)].map((m) => Number(m[1]!.replace(/ /g, '')));
    expect(stated.length).toBeGreaterThan(0);
    for (const bound of stated) expect(bound).toBe(maxBuckets);
    // A success callback: the first call, then one per recheck of the schedule.
    const limits = readFileSync(join(repo, 'src', 'server', 'limits.ts'), 'utf8');
    const rechecks = /NOT_FOUND_RECHECKS_MS = \[([^\]]*)\]/
      .exec(limits)![1]!
      .split(',')
      .filter((item) => item.trim() !== '').length;
    const calls = [...security.matchAll(/at most (\d+) (?:result )?calls that hear "not found"|costs at most (\d+) result calls|forged\s+callback\s+alone\s+costs\s+(\d+)/g)].map((m) =>
      Number(m[1] ?? m[2] ?? m[3]),
    );
    expect(calls.length).toBeGreaterThan(0);
    for (const count of calls) expect(count).toBe(rechecks + 1);
  });

  it('states the session id entropy the code uses', () => {
    const code = readFileSync(join(repo, 'src', 'server', 'sessionId.ts'), 'utf8');
    const bytes = Number(/const ID_BYTES = (\d+)/.exec(code)?.[1]);
    const claims = [...security.matchAll(/(\d+) bits/g)].map((m) => Number(m[1]));
    expect(claims.length).toBeGreaterThan(0);
    for (const bits of claims) expect(bits).toBe(bytes * 8);
  });
});
