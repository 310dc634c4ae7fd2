import { act, fireEvent, render, screen } from '@testing-library/react';
import axe from 'axe-core';
import { StrictMode } from 'react';
import { renderToString } from 'react-dom/server';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { LivenessSession, type LivenessSessionProps } from '../../src/react/LivenessSession';
import { defaultDisplayTextEn } from '../../src/react/text/displayText';
import { en as enLocale, zhCN, zhTW } from '../../src/locales';
import type { FailureReason } from '../../src/core/wire/protocol';
import { advance, createBackend, ENDPOINT, errorReply, expectProgressOrRetry, FAKE_TIMERS, newQueryClient, statusReply, statusUrlOf, type BackendOptions, type Reply } from './helpers';

// The hand-off as the person sees it: "Continue on your phone", "Not you? Start again", consent first,
// and failures that say why.

const en = defaultDisplayTextEn;
const locales = [enLocale, zhCN, zhTW];
const OPENED_AT = '2026-01-01T00:00:01.000Z';
const CHECKING_SINCE = '2026-01-01T00:00:30.000Z';

beforeEach(() => {
  vi.useFakeTimers({ toFake: [...FAKE_TIMERS] });
  vi.setSystemTime(Date.parse('2026-01-01T00:00:00.000Z'));
});

afterEach(() => {
  vi.useRealTimers();
  sessionStorage.clear();
});

function renderComponent(props: Partial<LivenessSessionProps> = {}, backend: BackendOptions = {}, strict = false) {
  const server = createBackend(backend);
  const ui = <LivenessSession endpoint={ENDPOINT} fetch={server.fetch} queryClient={newQueryClient()} mode="qr" {...props} />;
  const view = render(strict ? <StrictMode>{ui}</StrictMode> : ui);
  const root = () => view.container.querySelector<HTMLElement>('[data-liveness-session]')!;
  const slot = (name: string) => view.container.querySelector<HTMLElement>(`[data-slot="${name}"]`);
  return { ...view, ...server, root, slot };
}

async function click(element: HTMLElement) {
  act(() => {
    fireEvent.click(element);
  });
  await advance(20);
}

async function axeViolations(container: Element) {
  // axe schedules its work on real timers; jsdom does no layout, so contrast is checked in Chromium (stories, e2e).
  vi.useRealTimers();
  const results = await axe.run(container, { rules: { 'color-contrast': { enabled: false } } });
  return results.violations.map((v) => ({ id: v.id, nodes: v.nodes.map((n) => n.html) }));
}

const openedReply = (extra: Record<string, unknown> = {}) => statusReply('pending', { openedAt: OPENED_AT, ...extra });

describe('opened, QR mode: a phone opened the code', () => {
  it.each(locales)('($code) hides the code: "Continue on your phone", "Keep this page open", "Not you?" and a start-again button; announced', async (locale) => {
    const text = locale.displayText;
    const onStateChange = vi.fn<NonNullable<LivenessSessionProps['onStateChange']>>();
    const view = renderComponent({ locale, onStateChange }, { status: [statusReply('pending'), openedReply()] }, true);
    await advance(20);
    expect(view.root()).toHaveAttribute('data-state', 'ready');
    expect(view.slot('qrCode')).not.toBeNull();
    await advance(2000);
    expect(view.root()).toHaveAttribute('data-state', 'opened');
    expect(view.root()).toHaveAttribute('data-mode', 'qr');
    expect(view.root()).toHaveTextContent(text.openedTitle);
    expect(view.root()).toHaveTextContent(text.openedText);
    expect(view.root()).toHaveTextContent(text.notYouText);
    expect(screen.getByRole('button', { name: text.startAgainButton })).toHaveAttribute('data-slot', 'startAgain');
    // The code, and the link behind it, are gone.
    expect(view.container.querySelector('[data-slot="qrCode"], svg, a')).toBeNull();
    expect(view.container.innerHTML).not.toMatch(/FAKE|h5\.example\.test/);
    expect(view.slot('liveRegion')).toHaveTextContent(`${text.openedTitle}. ${text.openedText}`);
    expect(onStateChange.mock.calls.map(([state]) => state.status)).toEqual(['creating', 'ready', 'opened']);
    expect(onStateChange.mock.calls.at(-1)![0]).toMatchObject({ status: 'opened', openedAt: OPENED_AT, session: { sessionId: 'sess_1' } });
    expectProgressOrRetry(view.container);
  });

  it.each(locales)('($code) with checkingSince: says the result is being confirmed, and offers no Start again', async (locale) => {
    const text = locale.displayText;
    const view = renderComponent({ locale }, { status: [openedReply(), openedReply({ checkingSince: CHECKING_SINCE })] });
    await advance(20);
    expect(view.root()).toHaveTextContent(text.openedText);
    await advance(2000);
    expect(view.root()).toHaveAttribute('data-state', 'opened');
    expect(view.root()).toHaveTextContent(text.checkingText);
    expect(view.root()).not.toHaveTextContent(text.openedText);
    expect(view.slot('liveRegion')).toHaveTextContent(text.checkingText);
    // The server no longer cancels a result being fetched (issue 21): nothing offers to.
    expect(screen.queryByRole('button', { name: text.startAgainButton })).toBeNull();
    expect(view.root()).not.toHaveTextContent(text.notYouText);
  });

  it('then the outcome: verified, with onVerified once', async () => {
    const onVerified = vi.fn();
    const view = renderComponent({ onVerified }, { status: [openedReply(), openedReply({ checkingSince: CHECKING_SINCE }), statusReply('verified', { groupId: 'grp_1' })] }, true);
    await advance(20);
    await advance(4000);
    expect(view.root()).toHaveAttribute('data-state', 'verified');
    expect(onVerified).toHaveBeenCalledTimes(1);
  });

  it('expiry never replaces it: minutes past expiresAt, same session, no new POST', async () => {
    const view = renderComponent({}, { session: () => ({ expiresAt: new Date(Date.now() + 30_000).toISOString() }), status: [openedReply()] });
    await advance(20);
    expect(view.root()).toHaveAttribute('data-state', 'opened');
    await advance(5 * 60_000);
    expect(view.root()).toHaveAttribute('data-state', 'opened');
    expect(view.posts()).toHaveLength(1);
  });

  it('has no axe violations, light and dark', async () => {
    for (const colorScheme of ['light', 'dark'] as const) {
      vi.useFakeTimers({ toFake: [...FAKE_TIMERS] });
      const view = renderComponent({ colorScheme }, { status: [openedReply()] });
      await advance(20);
      expect(view.root()).toHaveAttribute('data-state', 'opened');
      expect(await axeViolations(view.container)).toEqual([]);
      view.unmount();
    }
  });
});

describe('"Not you? Start again"', () => {
  it('cancels the session on the backend (DELETE {statusUrl}) and shows exactly one fresh code', async () => {
    const view = renderComponent({}, { status: [openedReply()] }, true);
    await advance(20);
    expect(view.root()).toHaveAttribute('data-state', 'opened');
    view.setStatus(statusReply('pending'));
    await click(screen.getByRole('button', { name: en.startAgainButton }));
    expect(view.deletes().map((c) => c.url)).toEqual([statusUrlOf('sess_1')]);
    expect(view.root()).toHaveAttribute('data-state', 'ready');
    expect(view.slot('qrCode')).not.toBeNull();
    expect(view.posts()).toHaveLength(2);
    await advance(10_000);
    expect(view.posts()).toHaveLength(2);
    expect(view.deletes()).toHaveLength(1);
  });

  it.each([
    ['404', errorReply(404, 'not_found')],
    ['405', errorReply(405, 'method_not_allowed')],
    ['a network error', { kind: 'reject' } satisfies Reply],
    ['no answer at all', { kind: 'hang' } satisfies Reply],
  ])('a backend without the route (%s) still gets a fresh session, and no error is shown', async (_name, cancel) => {
    const onError = vi.fn();
    const view = renderComponent({ onError }, { status: [openedReply()], cancel });
    await advance(20);
    view.setStatus(statusReply('pending'));
    await click(screen.getByRole('button', { name: en.startAgainButton }));
    expect(view.deletes()).toHaveLength(1);
    expect(view.root()).toHaveAttribute('data-state', 'ready');
    expect(view.posts()).toHaveLength(2);
    expect(onError).not.toHaveBeenCalled();
  });

  it('retry() of the hook while ready cancels too; after an outcome it does not', async () => {
    const view = renderComponent({ maxAutoRefresh: 0 }, { status: [statusReply('failed', { resultCode: '41001' })] });
    await advance(20);
    expect(view.root()).toHaveAttribute('data-state', 'failed');
    view.setStatus(statusReply('pending'));
    await click(screen.getByRole('button', { name: en.retryButton }));
    expect(view.deletes()).toHaveLength(0);
    expect(view.root()).toHaveAttribute('data-state', 'ready');
  });
});

describe('opened, link mode: the person tapped the link', () => {
  it.each(locales)('($code) moves to opened at once: "Finish the check in the new tab", the link again, a start-again button, no "Not you?"', async (locale) => {
    const text = locale.displayText;
    const onStateChange = vi.fn<NonNullable<LivenessSessionProps['onStateChange']>>();
    const view = renderComponent({ locale, mode: 'link', linkTarget: '_blank', onStateChange });
    await advance(20);
    const link = screen.getByRole('link', { name: text.linkButton });
    act(() => {
      // jsdom does not navigate; the click handler is what moves the state.
      fireEvent.click(link);
    });
    expect(view.root()).toHaveAttribute('data-state', 'opened');
    expect(view.root()).toHaveAttribute('data-mode', 'link');
    expect(view.root()).toHaveTextContent(text.openedLinkTitle);
    expect(view.root()).toHaveTextContent(text.openedText);
    expect(view.root()).not.toHaveTextContent(text.notYouText);
    expect(screen.getByRole('button', { name: text.startAgainButton })).toBeInTheDocument();
    // Issue 22: the new tab may be gone (closed, or never opened by an in-app browser): the way back in stays.
    expect(screen.getByRole('link', { name: text.continueLinkButton })).toHaveAttribute('data-slot', 'primaryLink');
    expect(onStateChange.mock.calls.at(-1)![0]).toEqual({ status: 'opened', session: expect.objectContaining({ sessionId: 'sess_1' }) });
  });

  it('the QR view’s "open on this device" link moves to opened too (the check runs in a new tab here)', async () => {
    const view = renderComponent();
    await advance(20);
    act(() => {
      fireEvent.click(screen.getByRole('link', { name: en.openOnThisDeviceLink }));
    });
    expect(view.root()).toHaveAttribute('data-state', 'opened');
    expect(view.root()).toHaveTextContent(en.openedLinkTitle);
  });

  it('is not replaced when the link runs out on our clock (also without a status URL); Start again gives a new link', async () => {
    const view = renderComponent({ mode: 'link' }, { noStatusUrl: true, session: () => ({ expiresAt: new Date(Date.now() + 30_000).toISOString() }) });
    await advance(20);
    act(() => {
      fireEvent.click(screen.getByRole('link', { name: en.linkButton }));
    });
    await advance(5 * 60_000);
    expect(view.root()).toHaveAttribute('data-state', 'opened');
    expect(view.posts()).toHaveLength(1);
    await click(screen.getByRole('button', { name: en.startAgainButton }));
    // Nothing to cancel without a status URL; a new link all the same.
    expect(view.deletes()).toHaveLength(0);
    expect(view.root()).toHaveAttribute('data-state', 'ready');
    expect(view.posts()).toHaveLength(2);
  });
});

describe('failures that say why', () => {
  const cases: [string, FailureReason, Record<string, unknown>][] = [
    ['resultCode 40003 only', 'device', { resultCode: '40003' }],
    ['resultCode 41002 only', 'liveness', { resultCode: '41002' }],
    ['the server’s reason unconfirmed', 'unconfirmed', { reason: 'unconfirmed' }],
    ['resultCode 10001 only', 'unknown', { resultCode: '10001' }],
    ['neither', 'unknown', {}],
    ['reason device with another code', 'device', { resultCode: '10001', reason: 'device' }],
  ];
  const textsOf = (text: typeof en, reason: FailureReason) =>
    reason === 'device'
      ? [text.failedDeviceTitle, text.failedDeviceText]
      : reason === 'liveness'
        ? [text.failedLivenessTitle, text.failedLivenessText]
        : reason === 'unconfirmed'
          ? [text.failedUnconfirmedTitle, text.failedUnconfirmedText]
          : [text.failedTitle, text.failedText];

  for (const locale of locales) {
    it.each(cases)(`(${locale.code}) %s → data-reason %s, its title and advice, and onFailed gets the reason`, async (_name, reason, body) => {
      const text = locale.displayText;
      const onFailed = vi.fn();
      const view = renderComponent({ locale, onFailed }, { status: [statusReply('failed', body)] });
      await advance(20);
      expect(view.root()).toHaveAttribute('data-state', 'failed');
      expect(view.root()).toHaveAttribute('data-reason', reason);
      const [title, advice] = textsOf(text, reason);
      expect(view.slot('result')).toHaveTextContent(title!);
      expect(view.slot('result')).toHaveTextContent(advice!);
      expect(view.slot('liveRegion')).toHaveTextContent(`${title}. ${advice}`);
      expect(screen.getByRole('button', { name: text.retryButton })).toBeInTheDocument();
      expect(onFailed).toHaveBeenCalledTimes(1);
      expect(onFailed).toHaveBeenCalledWith(expect.objectContaining({ sessionId: 'sess_1', reason }));
    });
  }

  it('unconfirmed never says the face check failed', async () => {
    const view = renderComponent({}, { status: [statusReply('failed', { reason: 'unconfirmed' })] });
    await advance(20);
    expect(view.slot('result')).not.toHaveTextContent(en.failedLivenessTitle);
    expect(view.slot('result')!.textContent).not.toMatch(/face check|didn’t pass|failed/i);
  });

  it('data-reason is only on failed', async () => {
    const view = renderComponent({}, { status: [statusReply('pending')] });
    await advance(20);
    expect(view.root()).not.toHaveAttribute('data-reason');
  });

  it('components.Result receives the reason', async () => {
    const Result = vi.fn(({ status, reason }: { status: string; reason?: string }) => <p data-testid="custom">{`${status}:${reason}`}</p>);
    renderComponent({ components: { Result } }, { status: [statusReply('failed', { resultCode: '40001' })] });
    await advance(20);
    expect(screen.getByTestId('custom')).toHaveTextContent('failed:device');
  });

  it.each(['device', 'liveness', 'unconfirmed'] as const)('has no axe violations (%s)', async (reason) => {
    const view = renderComponent({}, { status: [statusReply('failed', { reason })] });
    await advance(20);
    expect(await axeViolations(view.container)).toEqual([]);
  });
});

describe('consent before any session', () => {
  const consent = { policyUrl: 'https://app.example.test/privacy' };

  it.each(locales)('($code) explains the check, links the policy, and sends nothing until accepted', async (locale) => {
    const text = locale.displayText;
    const view = renderComponent({ locale, consent }, {}, true);
    await advance(60_000);
    expect(view.calls).toHaveLength(0);
    expect(view.root()).toHaveAttribute('data-state', 'idle');
    expect(view.root()).toHaveTextContent(text.title);
    expect(view.root()).toHaveTextContent(text.consentText);
    expect(view.root().textContent).toContain('BytePlus');
    const policy = screen.getByRole('link', { name: text.consentPolicyLink });
    expect(policy).toHaveAttribute('href', consent.policyUrl);
    expect(policy).toHaveAttribute('target', '_blank');
    expect(policy.getAttribute('rel')).toMatch(/\bnoopener\b/);
    const accept = screen.getByRole('button', { name: text.consentAcceptButton });
    expect(accept).toHaveAttribute('data-slot', 'consentAccept');
    // The only button: no way to start without accepting.
    expect(screen.getAllByRole('button')).toHaveLength(1);
  });

  it('accepting: onConsent once with the time, then exactly one session; retry() does not ask again', async () => {
    const onConsent = vi.fn();
    const view = renderComponent({ consent, onConsent }, { status: [statusReply('failed', { resultCode: '41001' })] }, true);
    await advance(20);
    await click(screen.getByRole('button', { name: en.consentAcceptButton }));
    expect(onConsent).toHaveBeenCalledTimes(1);
    expect(onConsent).toHaveBeenCalledWith({ at: '2026-01-01T00:00:00.020Z' });
    expect(view.posts()).toHaveLength(1);
    expect(view.root()).toHaveAttribute('data-state', 'failed');
    view.setStatus(statusReply('pending'));
    await click(screen.getByRole('button', { name: en.retryButton }));
    expect(view.root()).toHaveAttribute('data-state', 'ready');
    expect(view.posts()).toHaveLength(2);
    expect(onConsent).toHaveBeenCalledTimes(1);
  });

  it('is reachable and accepted with the keyboard alone: Tab to the policy link, Tab to the button, Enter', async () => {
    const onConsent = vi.fn();
    vi.useRealTimers();
    const { default: userEvent } = await import('@testing-library/user-event');
    const user = userEvent.setup();
    const server = createBackend();
    render(<LivenessSession endpoint={ENDPOINT} fetch={server.fetch} queryClient={newQueryClient()} mode="qr" consent={consent} onConsent={onConsent} />);
    await user.tab();
    expect(screen.getByRole('link', { name: en.consentPolicyLink })).toHaveFocus();
    await user.tab();
    expect(screen.getByRole('button', { name: en.consentAcceptButton })).toHaveFocus();
    await user.keyboard('{Enter}');
    expect(onConsent).toHaveBeenCalledTimes(1);
    await vi.waitFor(() => expect(server.posts()).toHaveLength(1));
  });

  it('with enabled={false}: accepting starts the session (no second click); without consent the Start button does', async () => {
    const view = renderComponent({ consent, enabled: false });
    await advance(20);
    await click(screen.getByRole('button', { name: en.consentAcceptButton }));
    expect(view.posts()).toHaveLength(1);
    expect(view.root()).toHaveAttribute('data-state', 'ready');
  });

  it('renders on the server as the consent step’s heading over a placeholder, never a Start button, without a request', () => {
    // The step itself is a lazily loaded part: a server never has it, so the server and the hydrating
    // render both show the placeholder, and the step follows right after hydration (lazyParts.test.tsx).
    const server = createBackend();
    const html = renderToString(<LivenessSession endpoint={ENDPOINT} fetch={server.fetch} queryClient={newQueryClient()} consent={consent} />);
    expect(html).toContain('data-state="idle"');
    expect(html).toContain(en.title.replace(/’/g, '’'));
    expect(html).toContain('data-slot="placeholder"');
    expect(html).not.toContain('data-slot="button"');
    expect(server.calls).toHaveLength(0);
  });

  it('has no axe violations, light and dark', async () => {
    for (const colorScheme of ['light', 'dark'] as const) {
      vi.useFakeTimers({ toFake: [...FAKE_TIMERS] });
      const view = renderComponent({ consent, colorScheme });
      await advance(20);
      expect(await axeViolations(view.container)).toEqual([]);
      view.unmount();
    }
  });
});
