/// <reference types="vitest/config" />
import { readFile } from 'node:fs/promises';
import { defineConfig, type Plugin } from 'vite';
import react from '@vitejs/plugin-react';

const OWN_COPY = '?lazy-part';
/**
 * Public modules (an entry exports them) that the component and the hook use only from lazily loaded
 * code: that code gets its own copy too. scripts/check-lazy-parts.mjs fails when one is missing here.
 */
const COPIED_FOR_LAZY_PARTS = [/\/src\/core\/wire\/parseStatusResponse\.ts$/, /\/src\/core\/wire\/sendLinkChannels\.ts$/];

/**
 * A module the library loads with import() becomes its own module in dist, apart from any static import
 * of the same file. The English of the views shown later is one such module: the component loads it
 * lazily, while the public `defaultDisplayTextEn` (and the `en` locale) import it statically. One module
 * for both would sit in a chunk that dist/index.js imports statically, and an app's bundler (Vite,
 * esbuild) then ships it up front even when the app never uses `defaultDisplayTextEn`: bundlers place
 * whole modules in chunks. With a copy of its own, the static one is tree-shaken away when unused and
 * the lazy one stays a lazy chunk. The same holds for a public module that only lazily loaded code
 * imports (COPIED_FOR_LAZY_PARTS): those copies are pure functions and data, never state or classes.
 */
function lazyPartsOwnTheirModule(): Plugin {
  return {
    name: 'lazy-parts-own-their-module',
    // Before Vite's own resolver, which would otherwise answer first.
    enforce: 'pre',
    apply: (config, { command }) => command === 'build' && Boolean(config.build?.lib),
    async resolveId(source, importer, options) {
      if (!importer?.includes('/src/')) return null;
      const dynamic = (options as { kind?: string }).kind === 'dynamic-import';
      if (!dynamic && !importer.endsWith(OWN_COPY)) return null;
      const resolved = await this.resolve(source, importer, { skipSelf: true });
      if (!resolved || resolved.external) return null;
      return dynamic || COPIED_FOR_LAZY_PARTS.some((pattern) => pattern.test(resolved.id)) ? resolved.id + OWN_COPY : null;
    },
    async load(id) {
      return id.endsWith(OWN_COPY) ? readFile(id.slice(0, -OWN_COPY.length), 'utf8') : null;
    },
  };
}

export default defineConfig({
  plugins: [react(), lazyPartsOwnTheirModule()],
  publicDir: false,
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    sourcemap: true,
    minify: false,
    target: 'es2022',
    lib: {
      entry: {
        index: 'src/index.ts',
        server: 'src/server.ts',
        testing: 'src/testing.ts',
        locales: 'src/locales.ts',
        assets: 'src/assets.ts',
      },
      formats: ['es'],
    },
    rolldownOptions: {
      external: [/^react($|\/)/, /^react-dom($|\/)/, /^@tanstack\//, /^qrcode\.react/, /^node:/],
      output: {
        entryFileNames: '[name].js',
        // What the library loads with import() is named `lazy-*`: .size-limit.js leaves those out of the
        // "up front" checks, whatever the part.
        chunkFileNames: (chunk) => (chunk.isDynamicEntry ? 'chunks/lazy-[name]-[hash].js' : 'chunks/[name]-[hash].js'),
      },
    },
  },
  test: {
    environment: 'jsdom',
    globals: true,
    include: ['test/**/*.test.{ts,tsx}'],
    exclude: ['test/e2e/**', 'node_modules/**'],
    setupFiles: ['test/setup.ts'],
    restoreMocks: true,
  },
});
