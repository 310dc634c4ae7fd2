#!/usr/bin/env node
// Where the client's bytes come from: each size-limit check of the client entry bundled the way
// .size-limit.js bundles it (esbuild over dist/, minified, tree-shaken, production, peers external;
// "up front" with the lazy chunks as empty modules), then every byte of the output attributed to its
// source file in src/ through the source maps (dist's maps chained by esbuild), and gzip attributed two
// ways: the file's own bytes gzipped alone, and what gzip saves when the file's bytes are taken out of
// the bundle (its marginal cost: shared words compress better together, so this is the honest "what
// would removing it save"). Needs dist/ (`npm run build`).
//
//   node bench/bundleAnalysis.mjs [--check component|hook|withQr|all] [--lazy] [--top N] [--json]
//
// `--lazy` counts the lazy chunks too (as size-limit's checks without "up front" do); by default the
// up-front bundle is analysed. Sizes in kB are 1000 bytes, as size-limit prints them.
import { existsSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';

const repo = resolve(new URL('..', import.meta.url).pathname);
const OUT_DIR = join(repo, 'bench/tmp/analysis');
const PEERS = ['react', 'react-dom', '@tanstack/react-query'];
/** The library's lazy chunks in dist/ (loaded with import()): empty modules when counting what loads up front. */
export const LAZY_CHUNK = /(?:^|\/)lazy-[\w-]+\.js$/;

export const CHECKS = {
  component: { label: '<LivenessSession>, own code', names: '{ LivenessSession }', ignore: [...PEERS, 'qrcode.react'] },
  withQr: { label: '<LivenessSession> with qrcode.react', names: '{ LivenessSession }', ignore: PEERS },
  hook: { label: 'headless hook', names: '{ useVisualValidateSession }', ignore: [...PEERS, 'qrcode.react'] },
  all: { label: 'whole client entry', names: '*', ignore: [...PEERS, 'qrcode.react'] },
};

const emptyLazyChunks = {
  name: 'lazy-chunks-not-loaded',
  setup(b) {
    b.onResolve({ filter: LAZY_CHUNK }, (args) => ({ path: args.path, namespace: 'lazy-chunk' }));
    b.onLoad({ filter: /.*/, namespace: 'lazy-chunk' }, () => ({ contents: 'export {}', loader: 'js' }));
  },
};

// ---------- source map decoding (base64 VLQ) ----------
const B64 = Object.fromEntries([...'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/'].map((c, i) => [c, i]));
function decodeSegment(text) {
  const values = [];
  let value = 0;
  let shift = 0;
  for (const c of text) {
    const digit = B64[c];
    value += (digit & 31) << shift;
    if (digit & 32) shift += 5;
    else {
      values.push(value & 1 ? -(value >>> 1) : value >>> 1);
      value = shift = 0;
    }
  }
  return values;
}

/** For every output line, `[column, source index]` pairs in order (columns in UTF-16 code units). */
function decodeMappings(mappings) {
  const lines = [];
  let source = 0;
  for (const line of mappings.split(';')) {
    const segments = [];
    let column = 0;
    for (const segment of line.split(',')) {
      if (!segment) continue;
      const v = decodeSegment(segment);
      column += v[0];
      if (v.length > 1) source += v[1];
      segments.push([column, v.length > 1 ? source : -1]);
    }
    lines.push(segments);
  }
  return lines;
}

/** Each source's characters of `code`, by the output's source map (unmapped bytes: `(esbuild glue)`). */
function splitBySource(code, map) {
  const sources = map.sources.map((s) => {
    const path = relative(repo, resolve(OUT_DIR, s));
    return path.startsWith('node_modules') ? path.replace(/^node_modules\/((@[^/]+\/)?[^/]+).*$/, '$1') : path;
  });
  const parts = new Map();
  const add = (name, text) => parts.set(name, (parts.get(name) ?? '') + text);
  const lines = code.split('\n');
  decodeMappings(map.mappings).forEach((segments, index) => {
    const line = lines[index] ?? '';
    let from = 0;
    let owner = '(esbuild glue)';
    for (const [column, source] of segments) {
      add(owner, line.slice(from, column));
      from = column;
      owner = source >= 0 ? sources[source] : '(esbuild glue)';
    }
    add(owner, `${line.slice(from)}\n`);
  });
  for (let i = decodeMappings(map.mappings).length; i < lines.length; i += 1) add('(esbuild glue)', `${lines[i]}\n`);
  return parts;
}

const gz = (text) => gzipSync(Buffer.from(text), { level: 9 }).byteLength;

/** One check analysed: the bundle's sizes and a row per source file, largest marginal gzip first. */
export async function analyse(name, { lazy = false } = {}) {
  const check = CHECKS[name];
  const result = await build({
    stdin: { contents: `export ${check.names} from ${JSON.stringify(join(repo, 'dist/index.js'))};`, resolveDir: repo, loader: 'js', sourcefile: 'size-limit-entry.js' },
    bundle: true,
    minify: true,
    treeShaking: true,
    // No `format`: size-limit leaves esbuild's default (an IIFE for the browser), which keeps the entry's exports.
    external: check.ignore,
    define: { 'process.env.NODE_ENV': '"production"' },
    plugins: lazy ? [] : [emptyLazyChunks],
    sourcemap: 'external',
    outfile: join(OUT_DIR, 'out.js'),
    write: false,
    logLevel: 'silent',
  });
  const code = result.outputFiles.find((f) => f.path.endsWith('.js')).text;
  const map = JSON.parse(result.outputFiles.find((f) => f.path.endsWith('.map')).text);
  const parts = splitBySource(code, map);
  const total = gz(code);
  const rows = [...parts]
    .filter(([, text]) => text.trim().length > 0)
    .map(([file, text]) => {
      // Taking the file's bytes out of the bundle (every segment of it, in place).
      const without = [...parts].map(([other, t]) => (other === file ? '' : t)).join('');
      return { file, minBytes: Buffer.byteLength(text), gzipAlone: gz(text), gzipMarginal: total - gz(without) };
    })
    .sort((a, b) => b.gzipMarginal - a.gzipMarginal);
  // size-limit reports gzip minus what esbuild's empty project with the same imports costs: 182 bytes
  // when externals need its `require` shim (IIFE output), 46 otherwise.
  const empty = code.includes('Dynamic require of ') ? 182 : 46;
  return { check: check.label, lazy, minBytes: Buffer.byteLength(code), gzip: total, sizeLimit: total - empty, rows };
}

const kB = (bytes) => (bytes / 1000).toFixed(2);

export function formatAnalysis(a, top = Infinity) {
  const lines = [];
  lines.push(`${a.check}${a.lazy ? ', lazy chunks included' : ', up front'}: ${kB(a.minBytes)} kB min, ${kB(a.sizeLimit)} kB gzip as size-limit counts it`);
  lines.push('| source | min kB | gzip alone | gzip marginal |');
  lines.push('| --- | ---: | ---: | ---: |');
  for (const r of a.rows.slice(0, top)) lines.push(`| ${r.file} | ${kB(r.minBytes)} | ${kB(r.gzipAlone)} | ${kB(r.gzipMarginal)} |`);
  const rest = a.rows.slice(top);
  if (rest.length) {
    const sum = (k) => rest.reduce((s, r) => s + r[k], 0);
    lines.push(`| ${rest.length} more | ${kB(sum('minBytes'))} | ${kB(sum('gzipAlone'))} | ${kB(sum('gzipMarginal'))} |`);
  }
  return lines.join('\n');
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const args = process.argv.slice(2);
  const arg = (flag) => (args.includes(flag) ? args[args.indexOf(flag) + 1] : undefined);
  if (!existsSync(join(repo, 'dist/index.js'))) {
    console.error('bundleAnalysis: no dist/index.js; run `npm run build` first');
    process.exit(2);
  }
  const names = arg('--check') ? arg('--check').split(',') : ['component', 'hook'];
  const top = Number(arg('--top') ?? Infinity);
  const results = [];
  for (const name of names) results.push(await analyse(name, { lazy: args.includes('--lazy') }));
  if (args.includes('--json')) console.log(JSON.stringify(results, null, 2));
  else console.log(results.map((a) => formatAnalysis(a, top)).join('\n\n'));
}
