/// <reference types="vite/client" />
import type { Decorator, Preview } from '@storybook/react-vite';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { mswLoader } from 'msw-storybook-addon/csf3';
import { useState, type ReactNode } from 'react';
import '../src/styles.css';

/** A fresh react-query client per story render: no cached session leaks from one story to the next. */
function FreshQueryClient({ children }: { children: ReactNode }) {
  const [client] = useState(
    () =>
      new QueryClient({
        defaultOptions: { queries: { retry: false } },
      }),
  );
  return <QueryClientProvider client={client}>{children}</QueryClientProvider>;
}

/**
 * The `colorScheme` toolbar global reaches every story whose component takes a `colorScheme` prop and
 * whose args do not pin one (the Dark story does). The story tests run once per scheme
 * (vitest.config.ts pins the global per project), so axe checks both looks of every state.
 */
const withColorScheme: Decorator = (Story, context) => {
  const takesScheme = 'colorScheme' in context.argTypes;
  if (!takesScheme || context.args.colorScheme !== undefined) return <Story />;
  return <Story args={{ ...context.args, colorScheme: context.globals.colorScheme ?? 'light' }} />;
};

const preview: Preview = {
  // Starts the msw worker once, then resets its handlers before every story; stories add theirs in `beforeEach({ msw })`.
  loaders: [mswLoader()],
  decorators: [
    withColorScheme,
    (Story) => (
      <FreshQueryClient>
        <Story />
      </FreshQueryClient>
    ),
  ],
  globalTypes: {
    colorScheme: {
      description: 'The component’s colour scheme, for stories that do not set one',
      toolbar: {
        title: 'Scheme',
        icon: 'contrast',
        items: [
          { value: 'light', title: 'Light' },
          { value: 'dark', title: 'Dark' },
        ],
        dynamicTitle: true,
      },
    },
  },
  initialGlobals: {
    colorScheme: 'light',
    backgrounds: { value: 'light' },
  },
  parameters: {
    layout: 'centered',
    controls: { expanded: true },
    // Any axe violation fails the story's test (the addon's default, stated here on purpose).
    a11y: { test: 'error' },
    backgrounds: {
      options: {
        light: { name: 'Light', value: '#f3f4f6' },
        dark: { name: 'Dark', value: '#030712' },
      },
    },
  },
};

export default preview;
