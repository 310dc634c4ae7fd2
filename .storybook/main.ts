import type { StorybookConfig } from '@storybook/react-vite';

const config: StorybookConfig = {
  framework: { name: '@storybook/react-vite', options: {} },
  stories: ['../stories/**/*.mdx', '../stories/**/*.stories.tsx'],
  // docs: autodocs and the MDX pages; a11y: axe on every story (a failing check fails the story's
  // test); vitest: runs every story as a test (`npm run test:storybook`, and the UI's test widget).
  addons: ['@storybook/addon-docs', '@storybook/addon-a11y', '@storybook/addon-vitest', 'msw-storybook-addon'],
  // Serves public/mockServiceWorker.js at the site root, where msw registers its worker from.
  staticDirs: ['../public'],
  core: { disableTelemetry: true },
  // The default. `react-docgen-typescript` needs the TypeScript JS API, which TypeScript 7 lacks.
  typescript: { reactDocgen: 'react-docgen' },
  /*
   * The project's vite.config.ts is the library build: lib mode, react and friends external,
   * `publicDir: false`, vitest settings. Storybook merges that file into its own config. Its builder
   * (10.x) already keeps only `build.target` from the user's `build`, but an app build must never
   * inherit lib mode or the library's externals (react would stay an unresolved bare import and the
   * preview would render nothing), so drop them here too in case a future builder merges more.
   */
  viteFinal(config) {
    const build = { ...config.build };
    delete build.lib;
    // The preview bundle is one ~1 MB chunk by design (Storybook + React + msw); not worth a warning.
    build.chunkSizeWarningLimit = 2048;
    const bundler = build.rolldownOptions;
    if (bundler && Array.isArray(bundler.external)) {
      // Storybook's own externals are its font assets; anything naming react or node: is the library's.
      const library = /react|tanstack|qrcode|node:/;
      bundler.external = bundler.external.filter((entry) => !library.test(String(entry)));
    }
    const next = { ...config, build, publicDir: false as const };
    delete (next as { test?: unknown }).test;
    return next;
  },
};

export default config;
