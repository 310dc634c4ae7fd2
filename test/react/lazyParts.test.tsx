// The component's lazily loaded parts while they load (issue 25, item 4): which state starts loading
// which part, what shows until a part is there (never empty where it matters: the error view keeps its
// heading and retry button), the view in the first commit after its part arrives, and server render
// and hydration agreeing on the placeholder. Every part's module is held back here behind its own
// gate, as a slow network would hold it; the tests run in order and open the gates one by one.
import { act, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { renderToString } from 'react-dom/server';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { QueryClient } from '@tanstack/react-query';
import { LivenessSession, type LivenessSessionProps } from '../../src/react/LivenessSession';
import * as parts from '../../src/react/lazyParts';
import { defaultDisplayTextEn as en } from '../../src/react/text/displayText';
import { livenessQueryKey } from '../../src/react/visualValidateSessionOptions';
import { zhCN } from '../../src/locales';
import { createBackend, ENDPOINT, errorReply, flushMicrotasks, hydrateServerHtml, LINK, newQueryClient, setResumeParam, statusReply, type BackendOptions } from './helpers';

type PartName = 'qrCodeImage' | 'laterText' | 'outcomeView' | 'errorMessage' | 'consentView' | 'countdown' | 'inAppBrowser';

const gates = vi.hoisted(() => {
  const gate = () => {
    let open!: () => void;
    const opened = new Promise<void>((resolve) => (open = resolve));
    return { open, opened, loads: 0 };
  };
  return {
    qrCodeImage: gate(),
    laterText: gate(),
    outcomeView: gate(),
    errorMessage: gate(),
    consentView: gate(),
    countdown: gate(),
    inAppBrowser: gate(),
  };
});

vi.mock('../../src/react/lazyParts', async () => {
  const { lazyPart } = await import('../../src/react/lazyPart');
  // The same modules as the real parts, each behind its gate; `loads` counts the imports started.
  const gated = <T,>(name: PartName, load: () => Promise<T>) =>
    lazyPart(async () => {
      gates[name].loads += 1;
      await gates[name].opened;
      return load();
    });
  return {
    qrCodeImage: gated('qrCodeImage', () => import('../../src/react/views/QrCodeImage')),
    laterText: gated('laterText', () => import('../../src/react/text/laterTextEn')),
    outcomeView: gated('outcomeView', () => import('../../src/react/views/OutcomeView')),
    errorMessage: gated('errorMessage', () => import('../../src/react/text/errorMessage')),
    consentView: gated('consentView', () => import('../../src/react/views/ConsentView')),
    countdown: gated('countdown', () => import('../../src/react/views/Countdown')),
    inAppBrowser: gated('inAppBrowser', () => import('../../src/react/detectInAppBrowser')),
  };
});

const loads = () => Object.fromEntries(Object.entries(gates).map(([name, gate]) => [name, gate.loads])) as Record<PartName, number>;

/**
 * Opens a part's gate and checks the page the way a browser would see it: outside act(), once the
 * microtasks the arrival queues have run, before any task or timer.
 */
async function arrives(name: PartName, check: () => void) {
  const environment = globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean };
  const actEnvironment = environment.IS_REACT_ACT_ENVIRONMENT;
  environment.IS_REACT_ACT_ENVIRONMENT = false;
  try {
    gates[name].open();
    await parts[name].load();
    await flushMicrotasks();
    check();
  } finally {
    environment.IS_REACT_ACT_ENVIRONMENT = actEnvironment;
  }
}

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
    expect(Object.values(loads())).toEqual([0, 0, 0, 0, 0, 0, 0]);
  });

  it('each state loads the parts it makes likely, from its effects: a code or link shown its outcome and error views (once the page is idle), a slow create its error view, link mode the in-app check, a locale of its own no English', async () => {
    // Chinese, link mode: no encoder, no English; the views status requests can end in, the in-app check.
    const zh = renderComponent({ locale: zhCN, mode: 'link' }, { status: [statusReply('pending')] });
    await waitFor(() => expect(zh.root()).toHaveAttribute('data-state', 'ready'));
    expect(loads()).toMatchObject({ qrCodeImage: 0, laterText: 0, inAppBrowser: 1, consentView: 0, countdown: 0 });
    await waitFor(() => expect(loads()).toMatchObject({ outcomeView: 1, errorMessage: 1 }));
    expect(loads().laterText).toBe(0);
    zh.unmount();
    // English, QR mode, a slow create: the encoder at once, nothing else while a fast create could still
    // bring the code; after 300 ms, the error view (here its English) in case the create is failing.
    const english = renderComponent({ mode: 'qr' }, { createDelayMs: () => 1_500 });
    await waitFor(() => expect(loads().qrCodeImage).toBe(1));
    expect(loads().laterText).toBe(0);
    await waitFor(() => expect(loads().laterText).toBe(1));
    expect(english.root()).toHaveAttribute('data-state', 'creating');
    expect(loads()).toMatchObject({ consentView: 0, countdown: 0 });
    // Loaded once, whatever renders or mounts again.
    english.unmount();
    renderComponent({ mode: 'qr' });
    expect(loads()).toMatchObject({ qrCodeImage: 1, laterText: 1, outcomeView: 1, errorMessage: 1, inAppBrowser: 1 });
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

  it('overrides through displayText and locale data reach the lazily loaded views', async () => {
    const overridden = renderComponent({ mode: 'qr', pollIntervalMs: 50, transport: 'poll', displayText: { verifiedTitle: 'All done, FAKE' } }, { status: [statusReply('verified', { groupId: 'group-FAKE' })] });
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
      await waitFor(() => expect(gates.consentView.loads).toBe(1));
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
      await waitFor(() => expect(gates.countdown.loads).toBe(1));
      await arrives('countdown', () => expect(root.querySelector('[data-slot="countdown"]')).toHaveTextContent(/Expires in 1:\d\d/));
    });
  });

  it('an in-app browser: the hint shows under the link in the first commit after the check arrives', async () => {
    const userAgent = vi.spyOn(navigator, 'userAgent', 'get').mockReturnValue('Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) MicroMessenger/8.0.40');
    const view = renderComponent({ mode: 'link' });
    await waitFor(() => expect(view.root()).toHaveAttribute('data-state', 'ready'));
    expect(view.slot('hint')).toBeNull();
    await arrives('inAppBrowser', () => expect(view.slot('hint')).toHaveTextContent(en.inAppBrowserHint));
    userAgent.mockRestore();
  });
});
