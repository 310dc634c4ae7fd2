import { storybookTest } from '@storybook/addon-vitest/vitest-plugin';
import { playwright } from '@vitest/browser-playwright';
import { fileURLToPath } from 'node:url';
import { defineConfig, mergeConfig, type TestProjectInlineConfiguration } from 'vitest/config';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from './scripts/lib/chromium.mjs';
import viteConfig from './vite.config.js';

/*
 * Every test layer Vitest runs, as projects (run one alone with `--project <name>`):
 *   unit               jsdom and node tests under test/, and the docs' example tests under docs/examples/
 *                      (settings in vite.config.ts)
 *   types              type tests, test/types/*.test-d.ts (tsc; nothing runs)
 *   storybook:light    every story of stories/ as a test in Debian's Chromium: its play function,
 *   storybook:dark     then axe (@storybook/addon-a11y); once per colour scheme
 */

type ColorScheme = 'light' | 'dark';

/**
 * One story-test project per colour scheme. The scheme is the `colorScheme` toolbar global
 * (.storybook/preview.tsx), pinned per project the way the Vitest addon documents for themes; the
 * browser's `prefers-color-scheme` follows it too.
 */
function storybookProject(scheme: ColorScheme): TestProjectInlineConfiguration {
  return {
    plugins: [storybookTest({ configDir: '.storybook', initialGlobals: { colorScheme: scheme } })],
    test: {
      name: `storybook:${scheme}`,
      // The light pass also keeps a picture of the all-states grid (screenshots/all-states.png).
      ...(scheme === 'light' ? { setupFiles: ['.storybook/allStatesScreenshot.ts'] } : {}),
      browser: {
        enabled: true,
        headless: true,
        // Never a downloaded browser: Debian's, with the flags this machine needs.
        provider: playwright({
          launchOptions: { executablePath: CHROMIUM_PATH, args: [...CHROMIUM_ARGS] },
          // A window large enough that the tester frame is never scaled down (the all-states picture).
          contextOptions: { colorScheme: scheme, reducedMotion: 'reduce', viewport: { width: 1400, height: 2400 } },
        }),
        instances: [{ browser: 'chromium' }],
      },
    },
  };
}

// The Storybook UI's test widget runs the one project named after its config dir (it renames the
// project itself); two story projects would then share that name, so it gets the light one only.
const fromStorybookUi = process.env.VITEST_STORYBOOK === 'true';

export default mergeConfig(
  viteConfig,
  defineConfig({
    test: {
      projects: [
        {
          extends: true,
          // The docs' examples import the package by its name, as apps do (tsconfig.json's `paths` for tsc):
          // here too it is the sources. docs/examples/**/*.test.ts are examples of tests an app writes, run as shown.
          resolve: {
            alias: [
              { find: /^react-liveness-session$/, replacement: fileURLToPath(new URL('./src/index.ts', import.meta.url)) },
              { find: /^react-liveness-session\/(server|testing|locales)$/, replacement: fileURLToPath(new URL('./src/$1.ts', import.meta.url)) },
            ],
          },
          test: { name: 'unit', include: ['test/**/*.test.{ts,tsx}', 'docs/examples/**/*.test.{ts,tsx}'] },
        },
        {
          extends: true,
          test: {
            name: 'types',
            include: [],
            typecheck: { enabled: true, only: true, include: ['test/types/**/*.test-d.{ts,tsx}'], tsconfig: './tsconfig.json' },
          },
        },
        storybookProject('light'),
        ...(fromStorybookUi ? [] : [storybookProject('dark')]),
      ],
    },
  }),
);
