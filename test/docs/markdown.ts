// Reading the repository's Markdown in tests: its fenced code blocks, its headings and its links.
import { readdirSync, readFileSync, statSync } from 'node:fs';

export const repo = new URL('../../', import.meta.url);

/** A file of the repository, as text. */
export const readRepoFile = (path: string) => readFileSync(new URL(path, repo), 'utf8');

/** Fenced code blocks of a Markdown (or MDX) text: their info string and their content. */
export function codeBlocks(markdown: string): { lang: string; code: string }[] {
  return fencedBlocks(markdown).map(({ lang, code }) => ({ lang, code }));
}

/** A fenced code block, where it is: `line` is the 1-based line of its opening fence. */
export interface FencedBlock {
  lang: string;
  code: string;
  /** 1-based line of the opening fence. */
  line: number;
  /** The line just above the opening fence (where an opt-out comment would be), trimmed. */
  above: string;
}

/**
 * Every fenced block, also the ones indented under a list item (their indentation removed), with
 * the line it starts on.
 */
export function fencedBlocks(markdown: string): FencedBlock[] {
  const lines = markdown.split('\n');
  const blocks: FencedBlock[] = [];
  for (let i = 0; i < lines.length; i += 1) {
    const open = /^( *)```(.*)$/.exec(lines[i]!);
    if (!open) continue;
    const indent = open[1]!;
    const end = lines.findIndex((text, j) => j > i && text === `${indent}\`\`\``);
    if (end === -1) throw new Error(`unclosed code fence at line ${i + 1}`);
    const code = lines
      .slice(i + 1, end)
      .map((text) => (text.startsWith(indent) ? text.slice(indent.length) : text))
      .join('\n');
    blocks.push({ lang: open[2]!.trim(), code: `${code}\n`, line: i + 1, above: (lines[i - 1] ?? '').trim() });
    i = end;
  }
  return blocks;
}

/** The Markdown files under a folder of the repository, recursively (paths relative to the repository). */
export function markdownFiles(dir: string): string[] {
  const found: string[] = [];
  for (const name of readdirSync(new URL(`${dir}/`, repo)).sort()) {
    const path = `${dir}/${name}`;
    if (statSync(new URL(path, repo)).isDirectory()) found.push(...markdownFiles(path));
    else if (name.endsWith('.md')) found.push(path);
  }
  return found;
}

/** The pages whose samples and links the tests check: the README, SECURITY, CONTRIBUTING and docs/. */
export const documentationPages = () => ['README.md', 'SECURITY.md', 'CONTRIBUTING.md', ...markdownFiles('docs')];

/**
 * GitHub's anchor for a heading: lower case, punctuation dropped (`-` and `_` kept), spaces to `-`. Raw
 * HTML tags are dropped whole; inside backticks `<LivenessAssets>` is text, so only its brackets go.
 */
export function headingAnchor(heading: string): string {
  return heading
    .trim()
    .split(/(`[^`]*`)/)
    .map((part) => (part.startsWith('`') ? part : part.replace(/<[^>]*>/g, '')))
    .join('')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\s_-]/gu, '')
    .replace(/\s/g, '-');
}

/** The anchors a page's headings make, with GitHub's `-1`, `-2`… for repeats. Fenced blocks are skipped. */
export function headingAnchors(markdown: string): Set<string> {
  const anchors = new Set<string>();
  const seen = new Map<string, number>();
  let fence: string | undefined;
  for (const line of markdown.split('\n')) {
    const marker = /^ *(```|~~~)/.exec(line)?.[1];
    if (marker) fence = fence === undefined ? marker : fence === marker ? undefined : fence;
    if (fence !== undefined) continue;
    const heading = /^#{1,6} (.*)$/.exec(line)?.[1];
    if (heading === undefined) continue;
    const base = headingAnchor(heading);
    const count = seen.get(base) ?? 0;
    anchors.add(count === 0 ? base : `${base}-${count}`);
    seen.set(base, count + 1);
  }
  return anchors;
}

/** The targets of a page's Markdown links and images, `[text](target)`, outside fenced blocks. */
export function linkTargets(markdown: string): { target: string; line: number }[] {
  const found: { target: string; line: number }[] = [];
  let fence = false;
  markdown.split('\n').forEach((text, index) => {
    if (/^ *```/.test(text)) fence = !fence;
    if (fence) return;
    // Inline code spans may show link syntax without being links.
    const prose = text.replace(/`[^`]*`/g, '');
    for (const match of prose.matchAll(/\]\(([^)\s]+)(?:\s+"[^"]*")?\)/g)) found.push({ target: match[1]!, line: index + 1 });
  });
  return found;
}
