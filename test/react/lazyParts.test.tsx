// The component's lazily loaded parts while they load (issue 25, item 4): what shows until a part is
// there (never empty where it matters: the error view keeps its heading and retry button), the view in
// the first commit after its part arrives, and server render and hydration agreeing on the placeholder
// (lazyPartsLoading.test.tsx: which state loads which part). Every part's module is held back here behind its own
// gate, as a slow network would hold it; the tests run in order and open the gates one by one.
import { act, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { Profiler } from 'react';
import { renderToString } from 'react-dom/server';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { QueryClient } from '@tanstack/react-query';
import { LivenessSession, type LivenessSessionProps } from '../../src/react/LivenessSession';
import * as parts from '../../src/react/lazyParts';
import { defaultDisplayTextEn as en } from '../../src/react/text/displayText';
import { livenessQueryKey } from '../../src/react/visualValidateSessionOptions';
import { zhCN } from '../../src/locales';
import { arrivesThen, gateOf, loadsOf, type Gates, type PartName } from './gatedParts';
import { createBackend, ENDPOINT, errorReply, hydrateServerHtml, LINK, newQueryClient, setResumeParam, statusReply, type BackendOptions } from './helpers';

const gates = vi.hoisted((): Gates => ({}));

vi.mock('../../src/react/lazyParts', async (original) => (await import('./gatedParts')).gatedParts(gates, await original()));

const arrives = (name: PartName, check: () => void) => arrivesThen(gates, parts, name, check);

function renderComponent(props: Partial<LivenessSessionProps> = {}, backend: BackendOptions = {}) {
  const server = createBackend(backend);
  const view = render(<LivenessSession endpoint={ENDPOINT} fetch={server.fetch} queryClient={newQueryClient()} {...props} />);
  const root = () => view.container.querySelector<HTMLElement>('[data-liveness-session]')!;
  const slot = (name: string) => view.container.querySelector<HTMLElement>(`[data-slot="${name}"]`);
  return { ...view, ...server, root, slot };
}

/** A client holding the session prefetched under `key` (what an app's server and its browser share). */
function prefetched(key: string): QueryClient {
  const client = newQueryClient();
  client.setQueryData([...livenessQueryKey, 'session', key, 0], { sessionId: 'sess_prefetched', h5Link: LINK, expiresAt: new Date(Date.now() + 90_000).toISOString() });
  return client;
}

afterEach(() => {
  setResumeParam(undefined);
  sessionStorage.clear();
});

describe('lazily loaded parts (in order: each test opens a gate)', () => {
  it('a server render loads nothing, and shows a part’s placeholder where the part would be', () => {
    const { fetch } = createBackend();
    const consent = renderToString(<LivenessSession endpoint={ENDPOINT} fetch={fetch} queryClient={newQueryClient()} consent={{ policyUrl: 'https://app.example.test/privacy' }} />);
    const ready = renderToString(<LivenessSession endpoint={ENDPOINT} fetch={fetch} mode="qr" sessionKey="k" showCountdown queryClient={prefetched('k')} />);
    expect(consent).toContain('data-slot="placeholder"');
    expect(consent).not.toContain('data-slot="consentAccept"');
    expect(ready).toContain('data-qr="pending"');
    expect(ready).not.toContain('data-slot="countdown"');
    expect(Object.values(loadsOf(gates, parts)).every((count) => count === 0)).toBe(true);
  });

  it('a check finished elsewhere: the note shows in the first commit after its English arrives', async () => {
    setResumeParam('sess_other_tab');
    const view = renderComponent({ mode: 'qr' }, { status: [statusReply('verified', { groupId: 'group-FAKE' })] });
    await waitFor(() => expect(view.root()).toHaveAttribute('data-state', 'idle'));
    expect(view.root()).not.toHaveTextContent(en.finishedElsewhereVerifiedText);
    expect(screen.getByRole('button', { name: en.startButton })).toBeInTheDocument();
    await waitFor(() => expect(view.gets()).toHaveLength(1));
    await arrives('laterText', () => expect(view.root()).toHaveTextContent(en.finishedElsewhereVerifiedText));
  });

  it('an error: its heading and retry button at once (also when its part cannot load), what went wrong in the first commit after its part arrives', async () => {
    const view = renderComponent({ mode: 'qr', retry: 0 }, { session: () => errorReply(403, 'forbidden') });
    await waitFor(() => expect(view.root()).toHaveAttribute('data-state', 'error'));
    // Failed at once, before anything preloaded it: the error state itself loads what it says.
    await waitFor(() => expect(gateOf(gates, 'errorMessage').loads).toBe(1));
    expect(view.slot('error')).toHaveTextContent(en.errorTitle);
    expect(screen.getByRole('button', { name: en.retryButton })).toBeInTheDocument();
    expect(view.slot('errorMessage')).toBeNull();
    expect(view.slot('liveRegion')).toHaveTextContent('');
    await arrives('errorMessage', () => {
      expect(view.slot('errorMessage')).toHaveTextContent(en.unauthorizedError);
      expect(view.slot('liveRegion')).toHaveTextContent(en.unauthorizedError);
    });
  });

  it('an outcome: a placeholder until its part is there, then the view (and its announcement) in the first commit after it arrives', async () => {
    const view = renderComponent({ mode: 'qr', pollIntervalMs: 50, transport: 'poll' }, { status: [statusReply('failed', { reason: 'liveness' })] });
    await waitFor(() => expect(view.root()).toHaveAttribute('data-state', 'failed'));
    expect(view.slot('placeholder')).not.toBeNull();
    expect(view.slot('result')).toBeNull();
    await arrives('outcomeView', () => {
      expect(view.slot('result')).toHaveTextContent(en.failedLivenessTitle);
      expect(view.slot('result')).toHaveTextContent(en.failedLivenessText);
      expect(view.slot('liveRegion')).toHaveTextContent(en.failedLivenessTitle);
    });
  });

  it('opened: a placeholder until its part is there, then “Continue on your phone” and its way out in the first commit after it arrives', async () => {
    const view = renderComponent({ mode: 'qr', pollIntervalMs: 50, transport: 'poll' }, { status: [statusReply('pending', { openedAt: '2026-07-02T12:00:00.000Z' })] });
    await waitFor(() => expect(view.root()).toHaveAttribute('data-state', 'opened'));
    expect(view.slot('placeholder')).not.toBeNull();
    expect(view.slot('startAgain')).toBeNull();
    await arrives('openedView', () => {
      expect(view.slot('title')).toHaveTextContent(en.openedTitle);
      expect(view.slot('startAgain')).toHaveTextContent(en.startAgainButton);
      expect(view.root()).toHaveTextContent(en.notYouText);
      expect(view.slot('liveRegion')).toHaveTextContent(en.openedTitle);
    });
  });

  it('overrides through displayText and locale data reach the lazily loaded views', async () => {
    const overridden = renderComponent(
      { mode: 'qr', pollIntervalMs: 50, transport: 'poll', displayText: { verifiedTitle: 'All done, FAKE' } },
      { status: [statusReply('verified', { groupId: 'group-FAKE' })] },
    );
    await waitFor(() => expect(overridden.slot('result')).toHaveTextContent('All done, FAKE'));
    expect(overridden.slot('result')).toHaveTextContent(en.verifiedText);
    overridden.unmount();
    const chinese = renderComponent({ mode: 'qr', pollIntervalMs: 50, transport: 'poll', locale: zhCN }, { status: [statusReply('failed', { reason: 'device' })] });
    await waitFor(() => expect(chinese.slot('result')).toHaveTextContent(zhCN.displayText.failedDeviceTitle));
    expect(chinese.slot('result')).toHaveTextContent(zhCN.displayText.failedDeviceText);
  });

  it('consent: server HTML and hydration agree on the heading and placeholder; the step follows its part, and accepting starts one session', async () => {
    const consent = { policyUrl: 'https://app.example.test/privacy' };
    const server = createBackend();
    const onConsent = vi.fn();
    const html = renderToString(<LivenessSession endpoint={ENDPOINT} fetch={server.fetch} queryClient={newQueryClient()} consent={consent} mode="qr" />);
    await hydrateServerHtml(html, <LivenessSession endpoint={ENDPOINT} fetch={server.fetch} queryClient={newQueryClient()} consent={consent} onConsent={onConsent} mode="qr" />, async (root) => {
      expect(root).toHaveTextContent(en.title);
      expect(root.querySelector('[data-slot="placeholder"]')).not.toBeNull();
      expect(root.querySelector('button')).toBeNull();
      await waitFor(() => expect(gateOf(gates, 'consentView').loads).toBe(1));
      await arrives('consentView', () => expect(root.querySelector('[data-slot="consentAccept"]')).toHaveTextContent(en.consentAcceptButton));
      expect(root).toHaveTextContent(en.consentText);
      act(() => {
        fireEvent.click(root.querySelector('[data-slot="consentAccept"]')!);
      });
      expect(onConsent).toHaveBeenCalledTimes(1);
      await waitFor(() => expect(server.posts()).toHaveLength(1));
    });
  });

  it('the countdown: server HTML and hydration agree without it; it shows under the code in the first commit after its part arrives', async () => {
    const { fetch } = createBackend();
    const ui = (client: QueryClient) => <LivenessSession endpoint={ENDPOINT} fetch={fetch} mode="qr" sessionKey="c" showCountdown queryClient={client} />;
    const html = renderToString(ui(prefetched('c')));
    await hydrateServerHtml(html, ui(prefetched('c')), async (root) => {
      expect(root.querySelector('[data-slot="countdown"]')).toBeNull();
      await waitFor(() => expect(gateOf(gates, 'countdown').loads).toBe(1));
      await arrives('countdown', () => expect(root.querySelector('[data-slot="countdown"]')).toHaveTextContent(/Expires in 1:\d\d/));
    });
  });

  it('an in-app browser: the hint shows under the link in the first commit after the check arrives, for the User-Agent read at mount', async () => {
    const userAgent = vi.spyOn(navigator, 'userAgent', 'get').mockReturnValue('Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) MicroMessenger/8.0.40');
    const view = renderComponent({ mode: 'link' });
    await waitFor(() => expect(view.root()).toHaveAttribute('data-state', 'ready'));
    expect(view.slot('hint')).toBeNull();
    // The check runs in the render its part arrives in, later than mount: it tests the User-Agent the
    // component read at mount, not whatever `navigator` says by then (render reads no browser globals).
    userAgent.mockRestore();
    await arrives('inAppBrowser', () => expect(view.slot('hint')).toHaveTextContent(en.inAppBrowserHint));
  });

  it('an in-app browser, the check already loaded and the link shown at mount: the hint in the commit after the mount effects', () => {
    const userAgent = vi.spyOn(navigator, 'userAgent', 'get').mockReturnValue('Mozilla/5.0 (Linux; Android 14) MicroMessenger/8.0.40');
    const { fetch } = createBackend();
    const commits: string[] = [];
    const view = render(
      <Profiler id="liveness" onRender={(_id, phase) => commits.push(`${phase}:${document.querySelector('[data-slot="hint"]') ? 'hint' : 'no hint'}`)}>
        <LivenessSession endpoint={ENDPOINT} fetch={fetch} mode="link" sessionKey="w" queryClient={prefetched('w')} />
      </Profiler>,
    );
    userAgent.mockRestore();
    expect(view.container.querySelector('[data-liveness-session]')).toHaveAttribute('data-state', 'ready');
    expect(view.container.querySelector('[data-slot="hint"]')).toHaveTextContent(en.inAppBrowserHint);
    expect(commits).toEqual(['mount:no hint', 'update:hint']);
  });

  it('the send-link offer (issue 24): server HTML and hydration agree on an empty element in its slot; the button takes its place in the first commit after its part arrives', async () => {
    const { fetch } = createBackend();
    const client = () => {
      const prefetchedClient = prefetched('s');
      const key = [...livenessQueryKey, 'session', 's', 0];
      prefetchedClient.setQueryData(key, { ...prefetchedClient.getQueryData<object>(key), sendUrl: `${ENDPOINT}/sess_prefetched/send`, ownerKey: 'FAKE-owner-key-0000000' });
      return prefetchedClient;
    };
    const ui = (queryClient: QueryClient) => <LivenessSession endpoint={ENDPOINT} fetch={fetch} mode="qr" sessionKey="s" queryClient={queryClient} />;
    const html = renderToString(ui(client()));
    expect(html).toContain('<div data-slot="sendLinkOpen"></div>');
    await hydrateServerHtml(html, ui(client()), async (root) => {
      const place = () => root.querySelector('[data-slot="sendLinkOpen"]');
      expect(place()?.tagName).toBe('DIV');
      expect(place()).toBeEmptyDOMElement();
      await waitFor(() => expect(gateOf(gates, 'sendLinkOffer').loads).toBe(1));
      await arrives('sendLinkOffer', () => {
        expect(place()?.tagName).toBe('BUTTON');
        expect(place()).toHaveTextContent(en.sendLinkButton);
      });
    });
  });
});
