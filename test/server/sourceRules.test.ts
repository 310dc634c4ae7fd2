// @vitest-environment node
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = join(__dirname, '..', '..', 'src');
// Recursive: the server half is being split into folders (routes/, store/, telemetry/…), and the rules hold in each.
const files = (dir: string): string[] =>
  readdirSync(join(root, dir), { withFileTypes: true }).flatMap((entry) => (entry.isDirectory() ? files(join(dir, entry.name)) : entry.name.endsWith('.ts') ? [join(dir, entry.name)] : []));
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

  it('never imports @opentelemetry (an optional peer: apps without it, and their bundlers, must load the server entry)', () => {
    for (const { path, text } of sources) expect(text, path).not.toMatch(/(from\s+|import\()\s*'@opentelemetry\//);
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
