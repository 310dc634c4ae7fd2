import { act, fireEvent, render, screen } from '@testing-library/react';
import { StrictMode } from 'react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { LivenessSession, type LivenessSessionProps } from '../../src/react/LivenessSession';
import { defaultDisplayTextEn } from '../../src/react/text/displayText';
import { en as enLocale, zhCN, zhTW } from '../../src/locales';
import { advance, createBackend, ENDPOINT, FAKE_TIMERS, newQueryClient, setResumeParam, statusReply, type BackendOptions } from './helpers';

// The waiting lifecycle as the person sees it: outcome views, countdown, in-app hint, refresh placeholder.

const en = defaultDisplayTextEn;
const UA = {
  wechat: 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148 MicroMessenger/8.0.49(0x18003129) NetType/WIFI Language/zh_CN',
  safari: 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1',
};
const inMs = (ms: number) => new Date(Date.now() + ms).toISOString();

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

/** Clicks inside act and lets the request and react-query's notify timer run. */
async function click(element: HTMLElement) {
  act(() => {
    fireEvent.click(element);
  });
  await advance(20);
}

const locales = [enLocale, zhCN, zhTW];

describe('outcome views', () => {
  it.each(locales)('verified ($code): title and text of the locale, no button, no link or QR code left', async (locale) => {
    const text = locale.displayText;
    const view = renderComponent({ locale }, { status: [statusReply('verified', { groupId: 'grp_1' })] }, true);
    await advance(20);
    expect(view.root()).toHaveAttribute('data-state', 'verified');
    expect(view.slot('result')).toHaveTextContent(text.verifiedTitle);
    expect(view.slot('result')).toHaveTextContent(text.verifiedText);
    expect(view.container.querySelector('[data-slot="resultIcon"]')).toHaveAttribute('data-status', 'verified');
    expect(view.container.querySelector('button')).toBeNull();
    expect(view.container.querySelector('a, svg')).toBeNull();
    expect(view.container.innerHTML).not.toMatch(/FAKE|h5\.example\.test/);
    expect(view.slot('liveRegion')).toHaveTextContent(text.verifiedTitle);
  });

  it.each(locales)('failed ($code): its text and a "Try again" button that creates exactly one new session', async (locale) => {
    const text = locale.displayText;
    const view = renderComponent({ locale }, { status: [statusReply('failed', { resultCode: '10002' })] }, true);
    await advance(20);
    expect(view.root()).toHaveAttribute('data-state', 'failed');
    expect(view.slot('result')).toHaveTextContent(text.failedTitle);
    expect(view.slot('result')).toHaveTextContent(text.failedText);
    expect(view.container.querySelector('a, svg')).toBeNull();
    view.setStatus(statusReply('pending'));
    const button = screen.getByRole('button', { name: text.retryButton });
    await click(button);
    expect(view.root()).toHaveAttribute('data-state', 'ready');
    expect(view.posts()).toHaveLength(2);
    await advance(10_000);
    expect(view.posts()).toHaveLength(2);
  });

  it.each(locales)('expired ($code): its text and a "Get a new code" button that creates exactly one new session', async (locale) => {
    const text = locale.displayText;
    const view = renderComponent({ locale, maxAutoRefresh: 0 }, { session: () => ({ expiresAt: inMs(30_000) }) }, true);
    await advance(20);
    expect(view.root()).toHaveAttribute('data-state', 'ready');
    await advance(30_000);
    expect(view.root()).toHaveAttribute('data-state', 'expired');
    expect(view.slot('result')).toHaveTextContent(text.expiredTitle);
    expect(view.slot('result')).toHaveTextContent(text.expiredText);
    expect(view.container.querySelector('a, svg')).toBeNull();
    expect(view.container.innerHTML).not.toMatch(/FAKE|h5\.example\.test/);
    expect(view.posts()).toHaveLength(1);
    await click(screen.getByRole('button', { name: text.newCodeButton }));
    expect(view.root()).toHaveAttribute('data-state', 'ready');
    expect(view.container.querySelector('[data-slot="qrCode"] svg')).not.toBeNull();
    expect(view.posts()).toHaveLength(2);
    await advance(5000);
    expect(view.posts()).toHaveLength(2);
  });

  it('the expired button reads "Get a new code" in English', async () => {
    const view = renderComponent({ maxAutoRefresh: 0 }, { status: [statusReply('expired')] });
    await advance(20);
    expect(screen.getByRole('button')).toHaveTextContent('Get a new code');
    expect(view.slot('liveRegion')).toHaveTextContent(en.expiredTitle);
  });
});

describe('countdown', () => {
  it('renders m:ss under the code and announces only at 60, 30 and 10 seconds', async () => {
    const view = renderComponent({ showCountdown: true, maxAutoRefresh: 0 }, { session: () => ({ expiresAt: inMs(90_000) }) });
    await advance(20);
    const countdown = () => view.slot('countdown')!;
    expect(countdown()).toHaveTextContent('Expires in 1:30');
    const live = () => countdown().querySelector('[role="status"]')!.textContent;
    expect(live()).toBe('');
    const announcements: string[] = [];
    const shown: string[] = [];
    for (let i = 0; i < 89; i += 1) {
      await advance(1000);
      shown.push(countdown().querySelector('[aria-hidden="true"]')!.textContent);
      if (live() && announcements.at(-1) !== live()) announcements.push(live());
    }
    expect(shown).toContain('Expires in 1:05');
    expect(shown).toContain('Expires in 0:59');
    expect(shown).toContain('Expires in 0:09');
    expect(shown.every((s) => /^Expires in \d:[0-5]\d$/.test(s))).toBe(true);
    expect(announcements).toEqual([60, 30, 10].map((s) => en.expiringAnnouncement.replace('{seconds}', String(s))));
    expect(view.root()).toHaveAttribute('data-state', 'ready');
  });

  it('is silent between the marks', async () => {
    const view = renderComponent({ showCountdown: true }, { session: () => ({ expiresAt: inMs(90_000) }) });
    await advance(20);
    const live = () => view.slot('countdown')!.querySelector('[role="status"]')!.textContent;
    await advance(28_000); // 62 s left
    expect(live()).toBe('');
    await advance(2000); // 60 s left
    expect(live()).toContain('60');
    await advance(15_000); // 45 s left
    expect(live()).toBe('');
  });

  it('is absent without showCountdown', async () => {
    const view = renderComponent({}, { session: () => ({ expiresAt: inMs(90_000) }) });
    await advance(20);
    expect(view.root()).toHaveAttribute('data-state', 'ready');
    expect(view.slot('countdown')).toBeNull();
  });
});

describe('in-app browser hint', () => {
  it('shows in link mode inside WeChat', async () => {
    vi.spyOn(navigator, 'userAgent', 'get').mockReturnValue(UA.wechat);
    const view = renderComponent({ mode: 'link' });
    await advance(20);
    expect(view.root()).toHaveAttribute('data-state', 'ready');
    expect(view.slot('hint')).toHaveTextContent(en.inAppBrowserHint);
  });

  it('does not show in Safari', async () => {
    vi.spyOn(navigator, 'userAgent', 'get').mockReturnValue(UA.safari);
    const view = renderComponent({ mode: 'link' });
    await advance(20);
    expect(view.root()).toHaveAttribute('data-state', 'ready');
    expect(view.slot('primaryLink')).not.toBeNull();
    expect(view.slot('hint')).toBeNull();
  });

  it('does not show next to a QR code (the phone that scans it is another browser)', async () => {
    vi.spyOn(navigator, 'userAgent', 'get').mockReturnValue(UA.wechat);
    const view = renderComponent({ mode: 'qr' });
    await advance(20);
    expect(view.slot('hint')).toBeNull();
  });
});

describe('automatic refresh keeps the layout', () => {
  it('holds a placeholder of the QR code’s size while the new code is created', async () => {
    const view = renderComponent({ qr: { size: 180 } }, { session: (n) => (n === 1 ? { expiresAt: inMs(30_000) } : { kind: 'hang' }) });
    await advance(20);
    expect(view.container.querySelector('[data-slot="qrCode"] svg')).toHaveAttribute('width', '180');
    await advance(30_000);
    expect(view.root()).toHaveAttribute('data-state', 'creating');
    expect(view.posts()).toHaveLength(2);
    const placeholder = view.root().querySelector<HTMLElement>('[data-slot="placeholder"]');
    expect(placeholder).not.toBeNull();
    expect(placeholder!.style.width).toBe('180px');
    expect(placeholder!.style.height).toBe('180px');
    expect(view.root()).toHaveTextContent(en.refreshingText);
    expect(view.slot('loading')).toBeNull();
    expect(view.container.querySelector('[data-slot="qrCode"], a')).toBeNull();
  });

  it('shows the new code once it arrives, at the default 200 px', async () => {
    const view = renderComponent({}, { session: (n) => ({ expiresAt: inMs(n === 1 ? 10_000 : 600_000) }) });
    await advance(20);
    await advance(10_000);
    await advance(20); // the expiry first asks the status once; the new session lands a round trip later
    expect(view.root()).toHaveAttribute('data-state', 'ready');
    expect(view.posts()).toHaveLength(2);
    expect(view.container.querySelector('[data-slot="qrCode"] svg')).toHaveAttribute('width', '200');
  });

  it('the first creation shows the loading view, not the refresh placeholder', async () => {
    const view = renderComponent({}, { session: () => ({ kind: 'hang' }) });
    await advance(20);
    expect(view.root()).toHaveAttribute('data-state', 'creating');
    expect(view.slot('loading')).not.toBeNull();
    expect(view.root()).not.toHaveTextContent(en.refreshingText);
  });
});

describe('landing after a check finished elsewhere', () => {
  afterEach(() => setResumeParam(undefined));

  it('says so above the start button, creates nothing, and Start creates exactly one session', async () => {
    setResumeParam('sess_from_another_tab');
    const view = renderComponent({}, {}, true);
    await advance(20);
    expect(view.root().dataset.state).toBe('idle');
    expect(view.root().textContent).toContain(defaultDisplayTextEn.finishedElsewhereText);
    expect(view.posts()).toHaveLength(0);
    await click(screen.getByRole('button', { name: defaultDisplayTextEn.startButton }));
    expect(view.posts()).toHaveLength(1);
    expect(view.root().dataset.state).toBe('ready');
    expect(view.root().textContent).not.toContain(defaultDisplayTextEn.finishedElsewhereText);
  });
});
