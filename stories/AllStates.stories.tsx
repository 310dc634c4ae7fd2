import type { Meta, StoryObj } from '@storybook/react-vite';
import type { ReactNode } from 'react';
import { http } from 'msw';
import { expect, waitFor } from 'storybook/test';
import { LivenessSession, type LivenessSessionProps } from '../src/index.js';
import { zhCN, zhTW } from '../src/locales.js';
import {
  answersTooLate,
  FAKE_LONG_LINK,
  FAKE_QR_URL,
  FAKE_SHORT_LINK,
  htmlInsteadOfJson,
  httpError,
  networkError,
  neverAnswers,
  readySession,
  scriptLink,
  secondsAgo,
  sessionStatus,
} from './mockBackend.js';
import { FakeUserAgent, WECHAT_USER_AGENT } from './FakeUserAgent.js';
import { expectRealUserAgent, expectSafeLinks, settles, STATE_TIMEOUT_MS, tapWithoutLeaving } from './play.js';

interface Cell {
  label: string;
  /** The `data-state` this cell must settle in (checked by the Grid story's play function). */
  expect: 'idle' | 'creating' | 'ready' | 'opened' | 'error' | 'verified' | 'failed' | 'expired';
  /** The `data-reason` a failed cell must show. */
  reason?: 'device' | 'liveness' | 'unconfirmed' | 'unknown';
  /** The play function taps this cell's link first (link mode's `opened`). */
  tap?: boolean;
  props: Omit<LivenessSessionProps, 'endpoint'> & { endpoint?: string };
  dark?: boolean;
  /** A User-Agent this cell's component sees at mount (the others keep the real one). */
  userAgent?: string;
}

// Each cell has its own endpoint, served by its own handler below, so all states show at once.
const cells: Cell[] = [
  { label: 'idle (enabled: false)', expect: 'idle', props: { enabled: false } },
  { label: 'creating', expect: 'creating', props: { endpoint: '/api/state/creating', timeoutMs: 0 } },
  { label: 'ready · qr (long link)', expect: 'ready', props: { endpoint: '/api/state/ready' } },
  { label: 'ready · qr (short qrUrl)', expect: 'ready', props: { endpoint: '/api/state/ready-short-qr' } },
  { label: 'ready · link', expect: 'ready', props: { endpoint: '/api/state/ready-link', mode: 'link' } },
  { label: 'ready · dark', expect: 'ready', props: { endpoint: '/api/state/ready-dark', colorScheme: 'dark' }, dark: true },
  { label: 'error · network', expect: 'error', props: { endpoint: '/api/state/network' } },
  { label: 'error · timeout', expect: 'error', props: { endpoint: '/api/state/timeout', timeoutMs: 300 } },
  { label: 'error · 429 rate limited', expect: 'error', props: { endpoint: '/api/state/rate-limited' } },
  { label: 'error · 401 unauthorized', expect: 'error', props: { endpoint: '/api/state/unauthorized' } },
  { label: 'error · 500 server', expect: 'error', props: { endpoint: '/api/state/server' } },
  { label: 'error · invalid response', expect: 'error', props: { endpoint: '/api/state/invalid-response' } },
  { label: 'error · invalid link', expect: 'error', props: { endpoint: '/api/state/invalid-link' } },
  { label: 'error · dark', expect: 'error', props: { endpoint: '/api/state/server-dark', colorScheme: 'dark' }, dark: true },
  { label: 'ready · zh-CN · link', expect: 'ready', props: { endpoint: '/api/state/ready-zh', locale: zhCN, mode: 'link' } },
  { label: 'ready · unstyled · link', expect: 'ready', props: { endpoint: '/api/state/ready-unstyled', unstyled: true, mode: 'link' } },
  { label: 'ready · countdown', expect: 'ready', props: { endpoint: '/api/state/countdown', showCountdown: true } },
  { label: 'ready · link · in-app browser', expect: 'ready', props: { endpoint: '/api/state/in-app', mode: 'link' }, userAgent: WECHAT_USER_AGENT },
  { label: 'verified', expect: 'verified', props: { endpoint: '/api/state/verified' } },
  { label: 'failed · unknown', expect: 'failed', reason: 'unknown', props: { endpoint: '/api/state/failed' } },
  { label: 'failed · device', expect: 'failed', reason: 'device', props: { endpoint: '/api/state/failed-device' } },
  { label: 'failed · liveness', expect: 'failed', reason: 'liveness', props: { endpoint: '/api/state/failed-liveness' } },
  { label: 'failed · unconfirmed', expect: 'failed', reason: 'unconfirmed', props: { endpoint: '/api/state/failed-unconfirmed' } },
  { label: 'failed · device · zh-TW · dark', expect: 'failed', reason: 'device', props: { endpoint: '/api/state/failed-device-zh', locale: zhTW, colorScheme: 'dark' }, dark: true },
  { label: 'opened · qr (phone has it)', expect: 'opened', props: { endpoint: '/api/state/opened' } },
  { label: 'opened · checking', expect: 'opened', props: { endpoint: '/api/state/opened-checking' } },
  { label: 'opened · link (tapped, came back)', expect: 'opened', tap: true, props: { endpoint: '/api/state/opened-link', mode: 'link' } },
  { label: 'opened · link (new tab)', expect: 'opened', tap: true, props: { endpoint: '/api/state/opened-link-new-tab', mode: 'link', linkTarget: '_blank' } },
  { label: 'opened · zh-CN · dark', expect: 'opened', props: { endpoint: '/api/state/opened-zh', locale: zhCN, colorScheme: 'dark' }, dark: true },
  { label: 'consent', expect: 'idle', props: { endpoint: '/api/state/consent', consent: { policyUrl: 'https://app.example.test/privacy' } } },
  { label: 'consent · zh-TW', expect: 'idle', props: { endpoint: '/api/state/consent', locale: zhTW, consent: { policyUrl: 'https://app.example.test/privacy' } } },
  { label: 'expired', expect: 'expired', props: { endpoint: '/api/state/expired', maxAutoRefresh: 0 } },
  { label: 'verified · zh-CN · dark', expect: 'verified', props: { endpoint: '/api/state/verified-dark', locale: zhCN, colorScheme: 'dark' }, dark: true },
];

function Frame({ label, expect, reason, tap, dark, children }: Omit<Cell, 'props' | 'userAgent'> & { children: ReactNode }) {
  return (
    <figure
      data-expected-state={expect}
      data-expected-reason={reason}
      data-tap={tap ? '' : undefined}
      style={{
        margin: 0,
        display: 'flex',
        flexDirection: 'column',
        gap: 8,
        padding: 12,
        borderRadius: 16,
        background: dark ? '#030712' : '#e5e7eb',
      }}
    >
      <figcaption style={{ font: '600 12px/1.3 ui-monospace, SFMono-Regular, Menlo, monospace', color: dark ? '#9ca3af' : '#374151' }}>{label}</figcaption>
      <div style={{ display: 'flex', justifyContent: 'center' }}>{children}</div>
    </figure>
  );
}

function AllStates() {
  return (
    <div style={{ display: 'grid', gridTemplateColumns: 'repeat(auto-fill, minmax(300px, 1fr))', gap: 16, alignItems: 'start' }}>
      {cells.map((cell) => (
        <Frame key={cell.label} label={cell.label} expect={cell.expect} reason={cell.reason} tap={cell.tap} {...(cell.dark ? { dark: true } : {})}>
          {cell.userAgent ? (
            <FakeUserAgent userAgent={cell.userAgent}>
              <LivenessSession endpoint="/api/state/unused" locale="en" mode="qr" retry={0} qr={{ size: 176 }} {...cell.props} />
            </FakeUserAgent>
          ) : (
            <LivenessSession endpoint="/api/state/unused" locale="en" mode="qr" retry={0} qr={{ size: 176 }} {...cell.props} />
          )}
        </Frame>
      ))}
    </div>
  );
}

/** Every visible state side by side: for design review and a quick visual check after CSS changes. */
const meta = {
  title: 'Components/All states',
  component: AllStates,
  parameters: { layout: 'padded' },
} satisfies Meta<typeof AllStates>;

export default meta;
type Story = StoryObj<typeof meta>;

export const Grid: Story = {
  beforeEach({ msw }) {
    msw.use(
      neverAnswers('/api/state/creating'),
      readySession('/api/state/ready', { h5Link: FAKE_LONG_LINK }),
      readySession('/api/state/ready-short-qr', { h5Link: FAKE_LONG_LINK, qrUrl: FAKE_QR_URL }),
      readySession('/api/state/ready-link', { h5Link: FAKE_SHORT_LINK }),
      readySession('/api/state/ready-dark', { h5Link: FAKE_LONG_LINK }),
      networkError('/api/state/network'),
      answersTooLate('/api/state/timeout'),
      httpError('/api/state/rate-limited', 429, 'rate_limited', { 'Retry-After': '30' }),
      httpError('/api/state/unauthorized', 401, 'unauthorized'),
      httpError('/api/state/server', 500, 'internal_error'),
      htmlInsteadOfJson('/api/state/invalid-response'),
      scriptLink('/api/state/invalid-link'),
      httpError('/api/state/server-dark', 500, 'internal_error'),
      readySession('/api/state/ready-zh', { h5Link: FAKE_SHORT_LINK, expectLocale: 'zh' }),
      readySession('/api/state/ready-unstyled', { h5Link: FAKE_SHORT_LINK }),
      readySession('/api/state/countdown', { h5Link: FAKE_LONG_LINK, statusBase: '/api/state/countdown', expiresInMs: 90_000 }),
      sessionStatus('/api/state/countdown', () => ({ status: 'pending' })),
      readySession('/api/state/in-app', { h5Link: FAKE_SHORT_LINK }),
      readySession('/api/state/verified', { statusBase: '/api/state/verified' }),
      sessionStatus('/api/state/verified', () => ({ status: 'verified', groupId: 'story-group-1' })),
      readySession('/api/state/failed', { statusBase: '/api/state/failed' }),
      sessionStatus('/api/state/failed', () => ({ status: 'failed', resultCode: '10002' })),
      // A backend that sends only the result code: the component maps it.
      readySession('/api/state/failed-device', { statusBase: '/api/state/failed-device' }),
      sessionStatus('/api/state/failed-device', () => ({ status: 'failed', resultCode: '40003' })),
      readySession('/api/state/failed-liveness', { statusBase: '/api/state/failed-liveness' }),
      sessionStatus('/api/state/failed-liveness', () => ({ status: 'failed', resultCode: '41002', reason: 'liveness' })),
      readySession('/api/state/failed-unconfirmed', { statusBase: '/api/state/failed-unconfirmed' }),
      sessionStatus('/api/state/failed-unconfirmed', () => ({ status: 'failed', reason: 'unconfirmed' })),
      readySession('/api/state/failed-device-zh', { statusBase: '/api/state/failed-device-zh', expectLocale: 'zh-Hant' }),
      sessionStatus('/api/state/failed-device-zh', () => ({ status: 'failed', reason: 'device' })),
      readySession('/api/state/opened', { statusBase: '/api/state/opened' }),
      sessionStatus('/api/state/opened', () => ({ status: 'pending', openedAt: secondsAgo(3) })),
      readySession('/api/state/opened-checking', { statusBase: '/api/state/opened-checking' }),
      sessionStatus('/api/state/opened-checking', () => ({ status: 'pending', openedAt: secondsAgo(40), checkingSince: secondsAgo(2) })),
      readySession('/api/state/opened-link', { h5Link: FAKE_SHORT_LINK, statusBase: '/api/state/opened-link' }),
      sessionStatus('/api/state/opened-link', () => ({ status: 'pending' })),
      readySession('/api/state/opened-link-new-tab', { h5Link: FAKE_SHORT_LINK, statusBase: '/api/state/opened-link-new-tab' }),
      sessionStatus('/api/state/opened-link-new-tab', () => ({ status: 'pending' })),
      readySession('/api/state/opened-zh', { statusBase: '/api/state/opened-zh', expectLocale: 'zh' }),
      sessionStatus('/api/state/opened-zh', () => ({ status: 'pending', openedAt: secondsAgo(3) })),
      // Consent cells never reach this: nothing is sent before acceptance.
      http.post('/api/state/consent', () => {
        throw new Error('a consent cell sent a create request before acceptance');
      }),
      readySession('/api/state/expired', { statusBase: '/api/state/expired' }),
      sessionStatus('/api/state/expired', () => ({ status: 'expired' })),
      readySession('/api/state/verified-dark', { statusBase: '/api/state/verified-dark', expectLocale: 'zh' }),
      sessionStatus('/api/state/verified-dark', () => ({ status: 'verified', groupId: 'story-group-2' })),
    );
  },
  async play({ canvasElement }) {
    const figures = [...canvasElement.querySelectorAll<HTMLElement>('figure[data-expected-state]')];
    await expect(figures).toHaveLength(cells.length);
    // Link mode's `opened` needs a tap: the person opened the link on this device.
    for (const figure of figures.filter((f) => f.dataset.tap !== undefined)) {
      await settles(figure, 'ready', 'link');
      await tapWithoutLeaving(figure.querySelector<HTMLElement>('[data-slot="primaryLink"]')!);
    }
    // Every cell settles in the state it is there to show (and a failure in its reason).
    for (const figure of figures) {
      const want = figure.dataset.expectedState as Cell['expect'];
      const root = await settles(figure, want);
      if (figure.dataset.expectedReason) await expect(root).toHaveAttribute('data-reason', figure.dataset.expectedReason);
    }
    // The views drawn by lazily loaded parts are there, not their placeholders (the picture shows them).
    for (const figure of figures.filter((f) => ['opened', 'verified', 'failed', 'expired', 'error'].includes(f.dataset.expectedState!))) {
      await waitFor(() => expect(figure.querySelector('[data-slot="placeholder"]'), figure.querySelector('figcaption')?.textContent ?? '').toBeNull(), { timeout: STATE_TIMEOUT_MS });
      if (figure.dataset.expectedState === 'error') await waitFor(() => expect(figure.querySelector('[data-slot="errorMessage"]')).not.toBeNull(), { timeout: STATE_TIMEOUT_MS });
    }
    // Consent cells show the accept button (a lazily loaded part: once it has loaded) and never asked
    // the backend (its handler throws).
    await waitFor(() => expect(canvasElement.querySelectorAll('[data-slot="consentAccept"]')).toHaveLength(2), { timeout: STATE_TIMEOUT_MS });
    for (const root of canvasElement.querySelectorAll('figure [data-liveness-session]:has([data-slot="consentAccept"])')) {
      await expect(root).toHaveAttribute('data-state', 'idle');
    }
    const shown = new Set(figures.map((figure) => figure.dataset.expectedState));
    for (const state of ['idle', 'creating', 'ready', 'opened', 'error', 'verified', 'failed', 'expired']) {
      await expect(shown.has(state), `a "${state}" cell`).toBe(true);
    }
    for (const root of canvasElement.querySelectorAll<HTMLElement>('[data-liveness-session]')) await expectSafeLinks(root);
    // The faked WeChat User-Agent reaches its own cell only, and is gone once the grid has mounted.
    const hinted = () => figures.filter((figure) => figure.querySelector('[data-slot="hint"]')).map((figure) => figure.querySelector('figcaption')?.textContent);
    await waitFor(() => expect(hinted()).toEqual(['ready · link · in-app browser']), { timeout: STATE_TIMEOUT_MS });
    await expectRealUserAgent();
    await waitFor(() => expect(canvasElement.querySelector('[data-slot="countdown"]'), 'a countdown').not.toBeNull(), { timeout: STATE_TIMEOUT_MS });
  },
};
