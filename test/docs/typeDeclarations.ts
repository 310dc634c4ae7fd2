// Copies type declarations out of the sources, word for word with their JSDoc, for docs/types.md
// (test/docs/typesReference.test.ts): the reference page shows the code itself, so it cannot drift.
import { defaultDisplayTextEn } from '../../src/react/text/displayText.js';
import { sendLinkTextEn } from '../../src/react/sendLink/sendLinkTextEn.js';
import { readRepoFile } from './markdown.js';

/**
 * The end of the bracketed or `;`-terminated declaration starting at `from`: scans past strings,
 * template literals and comments, and stops at the first `;` at depth 0 or, for a declaration whose
 * body is a `{ … }` block (interface, class), where that block closes.
 */
function declarationEnd(source: string, from: number, block: boolean): number {
  let depth = 0;
  let opened = false;
  for (let i = from; i < source.length; i += 1) {
    const c = source[i]!;
    const next = source[i + 1];
    if (c === '/' && (next === '/' || next === '*')) {
      const close = source.indexOf(next === '/' ? '\n' : '*/', i + 2);
      if (close === -1) break;
      i = next === '/' ? close : close + 1;
    } else if (c === "'" || c === '"' || c === '`') {
      for (i += 1; source[i] !== c; i += source[i] === '\\' ? 2 : 1);
    } else if ('{(['.includes(c)) {
      depth += 1;
      opened = true;
    } else if ('})]'.includes(c)) {
      depth -= 1;
      if (block && opened && depth === 0) return i + 1;
    } else if (c === ';' && depth === 0 && !block) return i + 1;
  }
  throw new Error('declaration without an end');
}

/**
 * `export interface|type|const|class <name>` of a source file, with the JSDoc right above it, as it is
 * written there (a `const` object is followed by its same-named type, when it has one).
 */
export function declarationOf(path: string, name: string): string {
  const source = readRepoFile(path);
  const head = new RegExp(`^export (?:declare )?(interface|type|const|class) ${name}\\b`, 'm').exec(source);
  if (!head) throw new Error(`${path} has no exported declaration of ${name}`);
  const block = head[1] === 'interface' || head[1] === 'class';
  let end = declarationEnd(source, head.index + head[0].length, block);
  // `export const X = {…} as const;` is read with `export type X = …;` right after it.
  const companion = new RegExp(`^\\s*export type ${name} = [^;]*;`).exec(source.slice(end));
  if (head[1] === 'const' && companion) end += companion[0].length;
  // The JSDoc that ends on the line above the declaration.
  let start = head.index;
  const before = source.slice(0, head.index);
  if (/\*\/\n$/.test(before)) start = before.lastIndexOf('/**');
  return source.slice(start, end);
}

/** The JSDoc of each key of `LivenessDisplayText` (or of another interface of LivenessDisplayText.ts), as one line. */
function displayTextDocs(name = 'LivenessDisplayText'): Map<string, string> {
  const body = declarationOf('src/react/text/LivenessDisplayText.ts', name);
  const docs = new Map<string, string>();
  for (const match of body.matchAll(/\/\*\*((?:(?!\*\/)[\s\S])*)\*\/\s*\n\s*(\w+)\??:/g)) {
    docs.set(
      match[2]!,
      match[1]!
        .split('\n')
        .map((line) => line.replace(/^\s*\*\s?/, '').trim())
        .filter(Boolean)
        .join(' '),
    );
  }
  return docs;
}

const cell = (text: string) => text.replace(/\|/g, '\\|').replace(/\n/g, ' ');

/** The table of display text keys: each key, what it is for (its JSDoc) and its English text. */
export function displayTextTable(): string {
  const docs = displayTextDocs();
  // In the order the interface declares the keys (the English is assembled from two parts, first
  // views and later ones, in another order).
  const english = new Map<string, string>(Object.entries(defaultDisplayTextEn));
  const keys = [...new Set([...docs.keys(), ...english.keys()])];
  const rows = keys.map((key) => `| \`${key}\` | ${cell(docs.get(key) ?? '')} | ${cell(english.get(key) ?? '')} |`);
  return ['| key | where it shows | English (`defaultDisplayTextEn`) |', '| --- | --- | --- |', ...rows].join('\n');
}

/** The table of the send-link form's keys (`LivenessSendLinkText`, issue 24): their English loads with the form. */
export function sendLinkTextTable(): string {
  const docs = displayTextDocs('LivenessSendLinkText');
  const rows = (Object.entries(sendLinkTextEn) as [string, string][]).map(([key, english]) => `| \`${key}\` | ${cell(docs.get(key) ?? '')} | ${cell(english)} |`);
  return ['| key | where it shows | English (loaded with the form) |', '| --- | --- | --- |', ...rows].join('\n');
}

/** A region of docs/types.md: the text between `<!-- generated: <spec> -->` and `<!-- end generated -->`. */
export const REGION = /(<!-- generated: (.+?) -->\n)([\s\S]*?)(<!-- end generated -->)/g;

/**
 * What a region holds, from its spec: `<path>: <Name>[, <Name>…]` copies those declarations into one
 * `ts` block; `display text table` makes the table of display text keys.
 */
export function generateRegion(spec: string): string {
  if (spec === 'display text table') return `${displayTextTable()}\n`;
  if (spec === 'send-link text table') return `${sendLinkTextTable()}\n`;
  const match = /^(src\/\S+\.tsx?): (.+)$/.exec(spec);
  if (!match) throw new Error(`unknown generated region: ${spec}`);
  const names = match[2]!.split(',').map((name) => name.trim());
  return `\`\`\`ts\n// ${match[1]}\n${names.map((name) => declarationOf(match[1]!, name)).join('\n\n')}\n\`\`\`\n`;
}

/** docs/types.md with every generated region written afresh from the sources. */
export function regenerate(page: string): string {
  return page.replace(REGION, (_all, open: string, spec: string, _old: string, close: string) => `${open}${generateRegion(spec)}${close}`);
}
