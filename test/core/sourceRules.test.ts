// @vitest-environment node
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, normalize } from 'node:path';
import { describe, expect, it } from 'vitest';

// The browser half's shape (DESIGN.md): the lifecycle lives in src/core without React, and the hook
// over it is a thin adapter. These rules hold the shape where a reviewer might miss a slip.

const root = join(__dirname, '..', '..', 'src');
const read = (path: string) => readFileSync(join(root, path), 'utf8');
// Every .ts file of src/core, its folders (lifecycle/, wire/) included.
const walk = (dir: string): string[] =>
  readdirSync(join(root, dir)).flatMap((name) => (statSync(join(root, dir, name)).isDirectory() ? walk(join(dir, name)) : name.endsWith('.ts') ? [join(dir, name)] : []));
const core = walk('core').map((path) => ({ path, text: read(path) }));

/** Every import or re-export statement (single- or multi-line) with its specifier. */
const imports = (text: string) => [...text.matchAll(/^(import|export)\s[^;]*?from\s+'([^']+)';/gms)].map(([statement, , from]) => ({ statement: statement, from: from! }));

describe('source rules of src/core', () => {
  it('imports React, react-dom and react-query only as types (nothing of them reaches the bundle from core)', () => {
    let typeOnly = 0;
    for (const { path, text } of core) {
      for (const { statement, from } of imports(text)) {
        if (!/^(react|react-dom|@tanstack\/[^/]+)(\/|$)/.test(from)) continue;
        expect(statement, `${path}: ${statement}`).toMatch(/^(import|export) type /);
        typeOnly += 1;
      }
      // No dynamic import or require of them either.
      expect(text, path).not.toMatch(/(import|require)\(\s*'(react|react-dom|@tanstack\/)/);
    }
    // The rule is checked against real imports (the controller takes a QueryClient type).
    expect(typeOnly).toBeGreaterThan(0);
  });

  it('imports nothing from src/react', () => {
    for (const { path, text } of core) {
      for (const { from } of imports(text)) {
        if (!from.startsWith('.')) continue;
        // Resolved against the importing file, a relative import must stay inside src/core.
        expect(normalize(join(dirname(path), from)), `${path}: ${from}`).toMatch(/^core\//);
      }
    }
  });

  it('relative imports end in .js; no console output', () => {
    for (const { path, text } of core) {
      for (const { from } of imports(text)) if (from.startsWith('.')) expect(from, path).toMatch(/\.js$/);
      expect(text, path).not.toMatch(/\bconsole\./);
    }
  });
});

describe('the hook is a thin adapter', () => {
  const hook = read('react/useVisualValidateSession.ts');

  it('holds no lifecycle of its own: no refs, no state beyond the controller, one effect', () => {
    expect(hook).not.toMatch(/\buseRef\b|\.current\s*=|useCallback|useMemo|useReducer/);
    expect(hook.match(/\buseState\(/g)).toHaveLength(1);
    expect(hook.match(/\buseEffect\(/g)).toHaveLength(1);
    expect(hook).toMatch(/useSyncExternalStore\(/);
    expect(hook.split('\n').length).toBeLessThan(60);
  });
});
