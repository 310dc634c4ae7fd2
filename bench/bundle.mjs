// 1. Bundle cost: the entries bundled the way an app's production build would (esbuild, minified, ESM,
// `process.env.NODE_ENV` = "production", peers external), then gzip (level 9) and brotli (quality 11)
// of the result. .size-limit.js bundles the same way.
import { join } from 'node:path';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import { build } from 'esbuild';
import { repo } from './lib/pages.mjs';

// Development-only code (the dense-QR warning) drops out, as in an app's production build.
const define = { 'process.env.NODE_ENV': '"production"' };
const PEERS = ['react', 'react-dom', 'react/jsx-runtime', 'react-dom/client', '@tanstack/react-query'];

// The library's lazily loaded chunks, as a browser has them until it needs them: not loaded. `loaded`
// names the ones that are (a desktop page draws its code: the QR encoder's).
const lazyChunks = (loaded = /$^/) => ({
  name: 'lazy-chunks-not-loaded',
  setup(build) {
    build.onResolve({ filter: /(?:^|\/)lazy-[\w-]+\.js$/ }, (args) => (loaded.test(args.path) ? undefined : { path: args.path, namespace: 'lazy-chunk' }));
    build.onLoad({ filter: /.*/, namespace: 'lazy-chunk' }, () => ({ contents: 'export {}', loader: 'js' }));
  },
});

// `names`: what the app imports ('*' for everything); the bundler drops the rest. `plugins`: e.g.
// lazyChunks() to count only what loads up front.
async function measure(entry, external, names = '*', plugins = []) {
  const result = await build({
    stdin: { contents: `export ${names} from ${JSON.stringify(join(repo, entry))};`, resolveDir: repo, loader: 'js' },
    bundle: true,
    minify: true,
    format: 'esm',
    charset: 'utf8',
    platform: 'neutral',
    mainFields: ['module', 'main'],
    target: 'es2022',
    external: [...external, 'node:*'],
    write: false,
    logLevel: 'silent',
    define,
    plugins,
  });
  const code = result.outputFiles[0].contents;
  return {
    min: code.byteLength,
    gzip: gzipSync(code, { level: 9 }).byteLength,
    brotli: brotliCompressSync(code, {
      params: { [constants.BROTLI_PARAM_QUALITY]: constants.BROTLI_MAX_QUALITY, [constants.BROTLI_PARAM_SIZE_HINT]: code.byteLength },
    }).byteLength,
  };
}

/**
 * What a visitor downloads up front: an app importing `names` from the entry, bundled with code
 * splitting, following static imports only. Lazy chunks (the QR encoder, the rare views) are fetched
 * when used. Each file is compressed on its own, as HTTP serves them.
 */
async function measureInitial(entry, external, names = '{ LivenessSession }') {
  const result = await build({
    stdin: { contents: `export ${names} from ${JSON.stringify(join(repo, entry))};`, resolveDir: repo, loader: 'js' },
    bundle: true,
    splitting: true,
    minify: true,
    format: 'esm',
    charset: 'utf8',
    platform: 'neutral',
    mainFields: ['module', 'main'],
    target: 'es2022',
    external: [...external, 'node:*'],
    outdir: join(repo, 'bench/tmp/split'),
    write: false,
    metafile: true,
    logLevel: 'silent',
    define,
  });
  const outputs = result.metafile.outputs;
  const byPath = new Map(result.outputFiles.map((f) => [f.path.slice(repo.length + 1), f.contents]));
  // The app's entry itself: the lazy chunks are entry points too (dynamic ones).
  const entryOut = Object.keys(outputs).find((k) => outputs[k].entryPoint === '<stdin>');
  const initial = new Set();
  const visit = (key) => {
    if (initial.has(key)) return;
    initial.add(key);
    for (const imp of outputs[key].imports) if (imp.kind === 'import-statement' && !imp.external) visit(imp.path);
  };
  visit(entryOut);
  const sum = (keys) =>
    [...keys].reduce(
      (acc, key) => {
        const code = byPath.get(key);
        acc.min += code.byteLength;
        acc.gzip += gzipSync(code, { level: 9 }).byteLength;
        return acc;
      },
      { min: 0, gzip: 0 },
    );
  const lazy = Object.keys(outputs).filter((k) => !initial.has(k) && k.endsWith('.js'));
  return { initial: sum(initial), lazy: sum(lazy), lazyFiles: lazy.length };
}

/** Where the component's own bytes come from: `import { LivenessSession }` from src/index.ts, minified bytes per source file. */
async function breakdown() {
  const result = await build({
    stdin: { contents: `export { LivenessSession } from ${JSON.stringify(join(repo, 'src/index.ts'))};`, resolveDir: repo, loader: 'ts' },
    bundle: true,
    minify: true,
    format: 'esm',
    charset: 'utf8',
    platform: 'neutral',
    target: 'es2022',
    jsx: 'automatic',
    external: [...PEERS, 'qrcode.react'],
    write: false,
    metafile: true,
    logLevel: 'silent',
    define,
  });
  const inputs = Object.values(result.metafile.outputs)[0].inputs;
  return Object.entries(inputs)
    .map(([file, { bytesInOutput }]) => ({ file: file.replace(/^.*?src\//, 'src/'), minBytes: bytesInOutput }))
    .filter(({ minBytes }) => minBytes > 0)
    .sort((a, b) => b.minBytes - a.minBytes)
    .slice(0, 12);
}

export const BUDGETS = { clientOwnGzip: 6 * 1024, clientWithQrGzip: 12.5 * 1024 };

export async function bundleBench() {
  // The budgets apply to what an app that renders the component bundles: `import { LivenessSession }`.
  const own = await measure('dist/index.js', [...PEERS, 'qrcode.react'], '{ LivenessSession }');
  const withQr = await measure('dist/index.js', PEERS, '{ LivenessSession }');
  const qrcodeReact = { min: withQr.min - own.min, gzip: withQr.gzip - own.gzip, brotli: withQr.brotli - own.brotli };
  const headless = await measure('dist/index.js', [...PEERS, 'qrcode.react'], '{ useVisualValidateSession }');
  // What loads up front (issue 25): the lazily loaded parts are fetched when their view is likely.
  const ownUpFront = await measure('dist/index.js', [...PEERS, 'qrcode.react'], '{ LivenessSession }', [lazyChunks()]);
  const headlessUpFront = await measure('dist/index.js', [...PEERS, 'qrcode.react'], '{ useVisualValidateSession }', [lazyChunks()]);
  // A desktop page that draws its code: up front, the QR chunk and qrcode.react.
  const desktopQr = await measure('dist/index.js', PEERS, '{ LivenessSession }', [lazyChunks(/lazy-QrCodeImage-/)]);
  const everything = await measure('dist/index.js', [...PEERS, 'qrcode.react']);
  const extraLocale = await measure('dist/locales.js', [], '{ zhCN }');
  const server = await measure('dist/server.js', []);
  const testing = await measure('dist/testing.js', []);
  return {
    clientOwn: own,
    clientOwnUpFront: ownUpFront,
    desktopDrawsQr: desktopQr,
    headlessHookUpFront: headlessUpFront,
    clientWithQrcodeReact: withQr,
    qrcodeReactShare: qrcodeReact,
    headlessHook: headless,
    clientEverything: everything,
    extraLocale,
    server,
    testing,
    // The QR image (with qrcode.react) is a lazy chunk: a phone in link mode never requests it.
    mobileLinkMode: await measureInitial('dist/index.js', PEERS),
    budgets: BUDGETS,
    ownCodeTopFiles: await breakdown(),
  };
}
