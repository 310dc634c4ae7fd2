// Reading the repository's Markdown in tests: its fenced code blocks and its links.
import { readFileSync } from 'node:fs';

export const repo = new URL('../../', import.meta.url);

/** A file of the repository, as text. */
export const readRepoFile = (path: string) => readFileSync(new URL(path, repo), 'utf8');

/** Fenced code blocks of a Markdown (or MDX) text: their info string and their content. */
export function codeBlocks(markdown: string): { lang: string; code: string }[] {
  return [...markdown.matchAll(/^```([^\n]*)\n([\s\S]*?)^```$/gm)].map((match) => ({ lang: match[1]!.trim(), code: match[2]! }));
}
