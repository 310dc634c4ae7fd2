import type { Meta, StoryObj } from '@storybook/react-vite';
import type { ReactNode } from 'react';
import { expect } from 'storybook/test';
import { LivenessSession, type LivenessSessionProps } from '../src/index.js';
import { zhCN } from '../src/locales.js';
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
  sessionStatus,
} from './mockBackend.js';
import { FakeUserAgent, WECHAT_USER_AGENT } from './FakeUserAgent.js';
import { expectRealUserAgent, expectSafeLinks, settles } from './play.js';

interface Cell {
  label: string;
  /** The `data-state` this cell must settle in (checked by the Grid story's play function). */
  expect: 'idle' | 'creating' | 'ready' | 'error' | 'verified' | 'failed' | 'expired';
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
  { label: 'failed', expect: 'failed', props: { endpoint: '/api/state/failed' } },
  { label: 'expired', expect: 'expired', props: { endpoint: '/api/state/expired', maxAutoRefresh: 0 } },
  { label: 'verified · zh-CN · dark', expect: 'verified', props: { endpoint: '/api/state/verified-dark', locale: zhCN, colorScheme: 'dark' }, dark: true },
];

function Frame({ label, expect, dark, children }: { label: string; expect: string; dark?: boolean; children: ReactNode }) {
  return (
    <figure
      data-expected-state={expect}
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
      <figcaption style={{ font: '600 12px/1.3 ui-monospace, SFMono-Regular, Menlo, monospace', color: dark ? '#9ca3af' : '#374151' }}>
        {label}
      </figcaption>
      <div style={{ display: 'flex', justifyContent: 'center' }}>{children}</div>
    </figure>
  );
}

function AllStates() {
  return (
    <div style={{ display: 'grid', gridTemplateColumns: 'repeat(auto-fill, minmax(300px, 1fr))', gap: 16, alignItems: 'start' }}>
      {cells.map((cell) => (
        <Frame key={cell.label} label={cell.label} expect={cell.expect} {...(cell.dark ? { dark: true } : {})}>
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
      readySession('/api/state/expired', { statusBase: '/api/state/expired' }),
      sessionStatus('/api/state/expired', () => ({ status: 'expired' })),
      readySession('/api/state/verified-dark', { statusBase: '/api/state/verified-dark', expectLocale: 'zh' }),
      sessionStatus('/api/state/verified-dark', () => ({ status: 'verified', groupId: 'story-group-2' })),
    );
  },
  async play({ canvasElement }) {
    const figures = [...canvasElement.querySelectorAll<HTMLElement>('figure[data-expected-state]')];
    await expect(figures).toHaveLength(cells.length);
    // Every cell settles in the state it is there to show.
    for (const figure of figures) {
      const want = figure.dataset.expectedState as Cell['expect'];
      await settles(figure, want);
    }
    const shown = new Set(figures.map((figure) => figure.dataset.expectedState));
    for (const state of ['idle', 'creating', 'ready', 'error', 'verified', 'failed', 'expired']) {
      await expect(shown.has(state), `a "${state}" cell`).toBe(true);
    }
    for (const root of canvasElement.querySelectorAll<HTMLElement>('[data-liveness-session]')) await expectSafeLinks(root);
    // The faked WeChat User-Agent reaches its own cell only, and is gone once the grid has mounted.
    const hinted = figures.filter((figure) => figure.querySelector('[data-slot="hint"]')).map((figure) => figure.querySelector('figcaption')?.textContent);
    await expect(hinted).toEqual(['ready · link · in-app browser']);
    await expectRealUserAgent();
    await expect(canvasElement.querySelector('[data-slot="countdown"]'), 'a countdown').not.toBeNull();
  },
};
