// @vitest-environment node
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = join(__dirname, '..', '..', 'src');
// Every .ts file under `dir` (relative to src), the server's folders included.
const files = (dir: string): string[] =>
  readdirSync(join(root, dir)).flatMap((name) =>
    statSync(join(root, dir, name)).isDirectory() ? files(join(dir, name)) : name.endsWith('.ts') ? [join(dir, name)] : [],
  );
const sources = [...files('server'), ...files('testing'), 'server.ts', 'testing.ts'].map((path) => ({
  path,
  text: readFileSync(join(root, path), 'utf8'),
}));

describe('source rules of the server half and the mock', () => {
  it('only the Node adapter mentions node: modules, and only as types (edge runtimes can load the rest)', () => {
    for (const { path, text } of sources) {
      const imports = [...text.matchAll(/^import\s.*from\s+'([^']+)';$/gm)];
      for (const [line, from] of imports) {
        if (from!.startsWith('node:')) {
          expect(path).toBe(join('server', 'http', 'nodeAdapter.ts'));
          expect(line).toMatch(/^import type /);
        }
      }
    }
  });

  it('never imports redis or React', () => {
    for (const { path, text } of sources) {
      expect(text, path).not.toMatch(/from\s+'(redis|ioredis|react|react-dom)(\/[^']*)?'/);
    }
  });

  it('relative imports end in .js', () => {
    for (const { path, text } of sources) {
      for (const [, from] of text.matchAll(/from\s+'(\.[^']+)'/g)) expect(from, path).toMatch(/\.js$/);
    }
  });

  it('has no console output', () => {
    for (const { path, text } of sources) expect(text, path).not.toMatch(/\bconsole\./);
  });
});
