// The lazily loaded parts stay out of what an app downloads up front. Bundles dist/ the way an app's
// production build does (esbuild, code splitting, minified, peers external) for the component and for
// the headless hook, follows the entry's static imports (what loads before anything is shown), and fails
// if that code holds any lazily loaded part: a lazy-* chunk of dist, the English of the views shown
// later, the QR encoder, the other backends' answer shapes, the resume or watch code. Run after
// `npm run build` (npm run test:size runs it after size-limit).
import { readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { build } from 'esbuild';

const repo = resolve(new URL('..', import.meta.url).pathname);
const chunks = join(repo, 'dist/chunks');
const lazyChunk = (name) => readdirSync(chunks).find((file) => file.startsWith(`lazy-${name}-`) && file.endsWith('.js'));

// Strings only the lazily loaded code holds.
const { laterTextEn } = await import(pathToFileURL(join(chunks, lazyChunk('laterTextEn'))).href);
const laterStrings = Object.values(laterTextEn);
const markers = {
  component: { qrcode: /QRCodeSVG|qrcode\.react/, 'an outcome view': /resultIcon/, 'the consent view': /consentAccept/, 'the send-link form': /sendLinkInput/ },
  hook: { 'other backends’ shapes': /ResponseMetadata|BytedToken/, 'the resume code': /readElsewhere|findPending/, 'status aliases': /awaiting_auth/ },
};

async function upFront(names) {
  const result = await build({
    stdin: { contents: `export ${names} from ${JSON.stringify(join(repo, 'dist/index.js'))};`, resolveDir: repo, loader: 'js' },
    bundle: true,
    splitting: true,
    format: 'esm',
    minify: true,
    write: false,
    metafile: true,
    outdir: join(repo, 'bench/tmp/lazy-parts'),
    external: ['react', 'react-dom', '@tanstack/react-query', 'qrcode.react'],
    define: { 'process.env.NODE_ENV': '"production"' },
    logLevel: 'silent',
  });
  const outputs = result.metafile.outputs;
  // The app's own entry (the lazy chunks are entry points too: dynamic ones).
  const entry = Object.keys(outputs).find((key) => outputs[key].entryPoint === '<stdin>');
  const loaded = new Set();
  const visit = (key) => {
    if (loaded.has(key)) return;
    loaded.add(key);
    for (const imported of outputs[key].imports) if (imported.kind === 'import-statement' && !imported.external) visit(imported.path);
  };
  visit(entry);
  const files = result.outputFiles.filter((file) => loaded.has(Object.keys(outputs).find((key) => resolve(repo, key) === file.path)));
  return { code: files.map((file) => file.text).join('\n'), inputs: files.flatMap((file) => Object.keys(outputs[Object.keys(outputs).find((key) => resolve(repo, key) === file.path)].inputs)) };
}

const problems = [];
for (const [label, names, own] of [
  ['<LivenessSession>', '{ LivenessSession }', { ...markers.component, ...markers.hook }],
  ['the headless hook', '{ useVisualValidateSession }', markers.hook],
]) {
  const { code, inputs } = await upFront(names);
  for (const input of inputs) if (/chunks\/lazy-/.test(input)) problems.push(`${label}: ${input} loads up front`);
  const later = laterStrings.filter((text) => code.includes(JSON.stringify(text).slice(1, -1)));
  if (later.length) problems.push(`${label}: the English of later views is up front (${later.length} strings, e.g. "${later[0]}")`);
  for (const [what, pattern] of Object.entries(own)) if (pattern.test(code)) problems.push(`${label}: ${what} is up front`);
}
if (problems.length) {
  console.error(`check-lazy-parts:\n  ${problems.join('\n  ')}`);
  process.exit(1);
}
console.log('check-lazy-parts: the component and the hook load no lazily loaded part up front');
