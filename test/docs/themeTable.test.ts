// @vitest-environment node
// The theme table of docs/theming-and-text.md names every `LivenessTheme` key with the CSS variable it really sets.
import { describe, expect, it } from 'vitest';
import { themeToCssVariables, type LivenessTheme } from '../../src/react/themeToCssVariables.js';
import { readRepoFile } from './markdown.js';

describe('the theme table (docs/theming-and-text.md)', () => {
  it('pairs each theme key with the variable themeToCssVariables sets for it', () => {
    const rows = [...readRepoFile('docs/theming-and-text.md').matchAll(/^\| `(\w+)` \| (?:`(--liveness-[\w-]+)`|\(none[^|]*\)) \|/gm)].map((m) => [m[1]!, m[2]]);
    const table: Record<string, string | undefined> = Object.fromEntries(rows);
    const keys = ['accent', 'accentForeground', 'foreground', 'background', 'muted', 'danger', 'radius', 'font', 'qrBackground', 'qrForeground'] as const;
    // A key added to LivenessTheme and not listed here is a type error.
    const everyKey: Exclude<keyof LivenessTheme, (typeof keys)[number]> extends never ? true : false = true;
    expect(everyKey).toBe(true);
    expect(Object.keys(table).sort()).toEqual([...keys].sort());
    for (const key of keys) {
      const set = Object.keys(themeToCssVariables({ [key]: 'red' }));
      expect(set, key).toEqual(table[key] ? [table[key]] : []);
    }
  });
});
