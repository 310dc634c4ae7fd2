// @vitest-environment node
// The folders of src/ say what depends on what (DESIGN.md, "Layout"): an import circle, even of types
// only, means two files cannot be read one before the other. This walks every relative import and
// re-export in src/ and fails on any circle, naming it.
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, normalize, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

const src = join(__dirname, '..', 'src');
const files = (readdirSync(src, { recursive: true }) as string[]).filter((path) => /\.tsx?$/.test(path)).map((path) => normalize(path));
const known = new Set(files);

/** The files `path` imports or re-exports from, relative to src/ (types and dynamic imports included). */
function importsOf(path: string): string[] {
  const text = readFileSync(join(src, path), 'utf8');
  const specifiers = [...text.matchAll(/(?:\bfrom\s*|\bimport\s*\(\s*|^import\s+)'(\.[^']+)'/gm)].map(([, spec]) => spec!);
  return specifiers.flatMap((spec) => {
    const base = normalize(join(dirname(path), spec)).replace(/\.js$/, '');
    const target = [`${base}.ts`, `${base}.tsx`].find((candidate) => known.has(candidate));
    return target ? [target] : [];
  });
}

function cycles(): string[][] {
  const graph = new Map(files.map((path) => [path, importsOf(path)]));
  const found: string[][] = [];
  const state = new Map<string, 'open' | 'done'>();
  const stack: string[] = [];
  const visit = (path: string) => {
    state.set(path, 'open');
    stack.push(path);
    for (const next of graph.get(path) ?? []) {
      if (state.get(next) === 'open') found.push([...stack.slice(stack.indexOf(next)), next]);
      else if (!state.has(next)) visit(next);
    }
    stack.pop();
    state.set(path, 'done');
  };
  for (const path of files) if (!state.has(path)) visit(path);
  return found;
}

describe('imports in src/', () => {
  it('form no circle, not even of types', () => {
    // The walk must see the real graph: the server's handler reaches its routes through relative imports.
    expect(importsOf(normalize('server/createLivenessHandler.ts')).length).toBeGreaterThan(5);
    const circles = cycles().map((circle) => circle.map((path) => relative('.', path)).join(' → '));
    expect(circles).toEqual([]);
  });
});
