// Issue 29, item 1: an app that gives no `locale` must not send its people to a Chinese check. Without
// the prop the create request carries the language the browser prefers among English, Simplified and
// Traditional Chinese (English when it prefers none of them), the H5 link carries it as `lng`, and the
// root says what language its text is in (English, the built-in text). The server render and the
// hydration agree: the browser's languages are read only when the create request leaves.
import { act, render, waitFor } from '@testing-library/react';
import { hydrateRoot } from 'react-dom/client';
import { renderToString } from 'react-dom/server';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { LivenessSession } from '../../src/react/LivenessSession';
import { useVisualValidateSession } from '../../src/react/useVisualValidateSession';
import { zhCN } from '../../src/locales';
import { createLivenessHandler } from '../../src/server';
import { createMockUpstream } from '../../src/testing';
import { createFetch, ENDPOINT, newQueryClient, sessionReply } from './helpers';
import { urlOf } from '../fetchInput.js';

/** What `navigator.languages` says in the test (jsdom: `['en-US', 'en']`). */
function browserLanguages(languages: string[]) {
  vi.spyOn(navigator, 'languages', 'get').mockReturnValue(languages);
  vi.spyOn(navigator, 'language', 'get').mockReturnValue(languages[0] ?? '');
}

afterEach(() => {
  vi.restoreAllMocks();
});

const root = (container: HTMLElement) => container.querySelector<HTMLElement>('[data-liveness-session]')!;

async function createBody(props: Partial<Parameters<typeof LivenessSession>[0]> = {}) {
  const { fetch, calls } = createFetch(sessionReply());
  const view = render(<LivenessSession endpoint={ENDPOINT} fetch={fetch} queryClient={newQueryClient()} mode="qr" {...props} />);
  await waitFor(() => expect(root(view.container)).toHaveAttribute('data-state', 'ready'));
  return { body: calls[0]!.body as Record<string, unknown>, lang: root(view.container).getAttribute('lang') };
}

describe('the component without a locale prop', () => {
  it.each([
    ['an English browser', ['en-US', 'en'], 'en'],
    ['a Simplified Chinese browser', ['zh-CN', 'zh', 'en'], 'zh'],
    ['a browser that says only zh', ['zh'], 'zh'],
    ['a Singapore Chinese browser', ['zh-SG'], 'zh'],
    ['a Traditional Chinese browser (Taiwan)', ['zh-TW', 'zh'], 'zh-Hant'],
    ['a Hong Kong browser', ['zh-HK', 'en'], 'zh-Hant'],
    ['a browser that names the script', ['zh-Hant-CN'], 'zh-Hant'],
    ['a French browser that reads Chinese second', ['fr-FR', 'fr', 'zh-CN'], 'zh'],
    ['a browser in none of the three languages', ['fr-FR', 'de'], 'en'],
    ['a browser that says nothing', [], 'en'],
  ])('%s: sends the locale it prefers in the create body', async (_name, languages, wire) => {
    browserLanguages(languages);
    const { body, lang } = await createBody();
    expect(body).toMatchObject({ locale: wire });
    // The text is the built-in English, and the root says so.
    expect(lang).toBe('en');
  });

  it('the app’s locale wins over the browser’s', async () => {
    browserLanguages(['en-US', 'en']);
    const { body, lang } = await createBody({ locale: zhCN });
    expect(body).toMatchObject({ locale: 'zh' });
    expect(lang).toBe('zh-CN');
    browserLanguages(['zh-CN']);
    expect((await createBody({ locale: 'en' })).body).toMatchObject({ locale: 'en' });
  });

  it('an app’s own lang attribute stays the app’s', async () => {
    const { lang } = await createBody({ lang: 'en-GB' });
    expect(lang).toBe('en-GB');
  });
});

describe('the hook without a locale', () => {
  it('sends the browser’s preferred locale too', async () => {
    browserLanguages(['zh-TW']);
    const { fetch, calls } = createFetch(sessionReply());
    function Probe() {
      const { status } = useVisualValidateSession({ endpoint: ENDPOINT, fetch });
      return <p data-status={status} />;
    }
    const view = render(<Probe />);
    await waitFor(() => expect(view.container.querySelector('p')).toHaveAttribute('data-status', 'ready'));
    expect(calls[0]!.body).toMatchObject({ locale: 'zh-Hant' });
  });
});

describe('server rendering without a locale prop', () => {
  it('renders lang="en" on the server and hydrates without a mismatch in a Chinese browser', async () => {
    browserLanguages(['zh-CN', 'zh']);
    const { fetch, calls } = createFetch(sessionReply());
    const ui = <LivenessSession endpoint={ENDPOINT} fetch={fetch} queryClient={newQueryClient()} />;
    const html = renderToString(<LivenessSession endpoint={ENDPOINT} fetch={fetch} queryClient={newQueryClient()} />);
    expect(html).toContain('lang="en"');
    expect(calls).toHaveLength(0);

    const errors = vi.spyOn(console, 'error');
    const recoverable = vi.fn();
    const container = document.createElement('div');
    container.innerHTML = html;
    document.body.appendChild(container);
    let hydrated: ReturnType<typeof hydrateRoot> | undefined;
    try {
      await act(async () => {
        hydrated = hydrateRoot(container, ui, { onRecoverableError: recoverable });
      });
      await waitFor(() => expect(root(container)).toHaveAttribute('data-state', 'ready'));
      expect(root(container)).toHaveAttribute('lang', 'en');
      expect(calls[0]!.body).toMatchObject({ locale: 'zh' });
      expect(errors).not.toHaveBeenCalled();
      expect(recoverable).not.toHaveBeenCalled();
    } finally {
      act(() => hydrated?.unmount());
      container.remove();
    }
  });
});

describe('the H5 link the server half makes for a component without a locale prop', () => {
  // The component talks to the real handler (in front of the mock upstream), through a fetch that
  // hands each request to it: the link the component shows is the one the phone would open.
  function backend() {
    const mock = createMockUpstream({ apiKey: 'test-key-not-secret' });
    const handler = createLivenessHandler({
      apiKey: 'test-key-not-secret',
      upstreamUrl: 'https://upstream.example.test',
      publicUrl: 'https://app.example.test',
      fetch: mock.fetch,
      allowedOrigins: false,
      backgroundTimers: false,
    });
    const fetch = ((input: RequestInfo | URL, init?: RequestInit) => handler(new Request(new URL(urlOf(input), 'https://app.example.test'), init))) as typeof globalThis.fetch;
    return { fetch };
  }

  it.each([
    ['an English browser', 'en', ['en-US', 'en']],
    ['a Simplified Chinese browser', 'zh', ['zh-CN']],
    ['a Traditional Chinese browser', 'zh-Hant', ['zh-TW']],
  ])('%s: lng=%s', async (_name, lng, languages) => {
    browserLanguages(languages);
    const { fetch } = backend();
    const view = render(<LivenessSession endpoint="/api/liveness/sessions" fetch={fetch} queryClient={newQueryClient()} mode="qr" />);
    await waitFor(() => expect(root(view.container)).toHaveAttribute('data-state', 'ready'));
    const href = view.container.querySelector('[data-slot="secondaryLink"]')!.getAttribute('href')!;
    expect(new URL(href).searchParams.getAll('lng')).toEqual([lng]);
  });
});
