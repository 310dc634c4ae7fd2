import type { Meta, StoryContext, StoryObj } from '@storybook/react-vite';
import { expect, userEvent, waitFor, within } from 'storybook/test';
import { LivenessSession, type ErrorViewProps } from '../src/index.js';
import { en, zhCN, zhTW } from '../src/locales.js';
import {
  answersTooLate,
  failsOnce,
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
  SESSION_ENDPOINT,
  sessionStatus,
  cancelRoute,
} from './mockBackend.js';
import { FakeUserAgent, WECHAT_USER_AGENT } from './FakeUserAgent.js';
import { decodeQr, expectColorScheme, expectNoLinkLeft, expectRealUserAgent, expectSafeLinks, openHereHref, settles, STATE_TIMEOUT_MS, tapWithoutLeaving, type SessionState } from './play.js';

const text = en.displayText;

type Context = Pick<StoryContext, 'canvasElement' | 'args' | 'globals'>;

/**
 * The checks every story's play function starts with: the component settles in `state` (and `mode`),
 * in the colour scheme the story or the toolbar asks for, showing each of `texts`. Returns the root.
 */
async function shows(context: Context, state: SessionState, options: { mode?: 'qr' | 'link'; texts?: string[] } = {}) {
  const root = await settles(context.canvasElement, state, options.mode);
  await expectColorScheme(root, context);
  // A view loaded lazily shows its text in the commit its part arrives in, which may follow its state.
  for (const part of options.texts ?? []) await waitFor(() => expect(root).toHaveTextContent(part), { timeout: STATE_TIMEOUT_MS });
  return root;
}

/** A ready QR code that encodes the H5 link offered behind "open on this device". */
async function qrEncodesTheLink(root: HTMLElement) {
  const decoded = await decodeQr(root);
  await expect(openHereHref(root), 'the link behind "open on this device"').toMatch(/^https:\/\/h5\.example\.test\//);
  await expect(decoded, 'what the QR code encodes').toBe(openHereHref(root));
}

/**
 * Each story mocks the app's backend (`POST /api/liveness/sessions`) with msw, so the component runs
 * its real request, parsing and link validation. Error stories pass `retry: 0` so they settle at once
 * instead of after the automatic back-off.
 */
const meta = {
  title: 'Components/LivenessSession',
  component: LivenessSession,
  // The docs page with the props table, from the component's JSDoc.
  tags: ['autodocs'],
  args: {
    endpoint: SESSION_ENDPOINT,
    locale: 'en',
    mode: 'qr',
  },
  argTypes: {
    mode: { control: 'inline-radio', options: ['auto', 'qr', 'link'] },
    locale: { control: 'inline-radio', options: ['en', 'zh-CN', 'zh-TW'], mapping: { en, 'zh-CN': zhCN, 'zh-TW': zhTW } },
    colorScheme: { control: 'inline-radio', options: ['light', 'dark', 'system'] },
    linkTarget: { control: 'inline-radio', options: ['_blank', '_self'] },
    fetch: { table: { disable: true } },
    queryClient: { table: { disable: true } },
    components: { table: { disable: true } },
  },
  decorators: [
    // A fixed-width frame, as an app's page column would give: the panel fills up to its 360 px cap.
    (Story) => (
      <div style={{ width: 'min(360px, calc(100vw - 32px))' }}>
        <Story />
      </div>
    ),
  ],
  beforeEach({ msw }) {
    // The happy path; stories that need another answer add a handler, which msw tries first.
    msw.use(readySession(SESSION_ENDPOINT));
  },
} satisfies Meta<typeof LivenessSession>;

export default meta;
type Story = StoryObj<typeof meta>;

/** Waiting for the backend. `timeoutMs: 0` turns the request timeout off so the spinner stays. */
export const Creating: Story = {
  args: { timeoutMs: 0 },
  beforeEach({ msw }) {
    msw.use(neverAnswers(SESSION_ENDPOINT));
  },
  async play(context) {
    const root = await shows(context, 'creating', { texts: [text.creatingText] });
    await expect(root).toHaveAttribute('aria-busy', 'true');
    // The request never answers and has no timeout: nothing may move the component on.
    await new Promise((done) => setTimeout(done, 1_500));
    await expect(root).toHaveAttribute('data-state', 'creating');
  },
};

/** Desktop: a QR code of a real-length (~900 character) link, plus a link to open it here. */
export const QrDesktop: Story = {
  args: { mode: 'qr' },
  async play(context) {
    const root = await shows(context, 'ready', { mode: 'qr', texts: [text.qrInstruction, text.openOnThisDeviceLink] });
    await qrEncodesTheLink(root);
    await expectSafeLinks(root);
  },
};

/** Phone or tablet: one large button that opens the check in this tab (which comes back here when it is done). */
export const LinkMobile: Story = {
  args: { mode: 'link' },
  parameters: { layout: 'padded' },
  async play(context) {
    const root = await shows(context, 'ready', { mode: 'link', texts: [text.linkInstruction] });
    const button = within(root).getByRole('link', { name: text.linkButton });
    await expect(button).toHaveAttribute('target', '_self');
    await expect(button.getAttribute('rel')).toMatch(/\bnoopener\b/);
    await expect(root.querySelector('svg, [data-slot="qrCode"]'), 'a QR code in link mode').toBeNull();
    await expectSafeLinks(root);
  },
};

/** The backend offers a short `qrUrl`: the code is far less dense (and gets a higher error-correction level). */
export const ShortQrUrl: Story = {
  beforeEach({ msw }) {
    msw.use(readySession(SESSION_ENDPOINT, { h5Link: FAKE_LONG_LINK, qrUrl: FAKE_QR_URL }));
  },
  async play(context) {
    const root = await shows(context, 'ready', { mode: 'qr' });
    await expect(await decodeQr(root), 'what the QR code encodes').toBe(FAKE_QR_URL);
    await expectSafeLinks(root);
  },
};

/** The request never reached the server (offline, DNS, CORS). */
export const NetworkError: Story = {
  args: { retry: 0 },
  beforeEach({ msw }) {
    msw.use(networkError(SESSION_ENDPOINT));
  },
  async play(context) {
    await shows(context, 'error', { texts: [text.networkError, text.retryButton] });
  },
};

/** The server did not answer within `timeoutMs`. */
export const Timeout: Story = {
  args: { retry: 0, timeoutMs: 300 },
  beforeEach({ msw }) {
    msw.use(answersTooLate(SESSION_ENDPOINT));
  },
  async play(context) {
    await shows(context, 'error', { texts: [text.timeoutError] });
  },
};

/** HTTP 429 with `Retry-After`. */
export const RateLimited: Story = {
  args: { retry: 0 },
  beforeEach({ msw }) {
    msw.use(httpError(SESSION_ENDPOINT, 429, 'rate_limited', { 'Retry-After': '30' }));
  },
  async play(context) {
    await shows(context, 'error', { texts: [text.rateLimitedError] });
  },
};

/** HTTP 500 (or a 502/504 from the library's own handler when the upstream fails). */
export const ServerError: Story = {
  args: { retry: 0 },
  beforeEach({ msw }) {
    msw.use(httpError(SESSION_ENDPOINT, 500, 'internal_error'));
  },
  async play(context) {
    await shows(context, 'error', { texts: [text.serverError] });
  },
};

/** HTTP 401: the app's session expired or the person may not verify here. */
export const Unauthorized: Story = {
  args: { retry: 0 },
  beforeEach({ msw }) {
    msw.use(httpError(SESSION_ENDPOINT, 401, 'unauthorized'));
  },
  async play(context) {
    await shows(context, 'error', { texts: [text.unauthorizedError] });
  },
};

/** HTTP 200 with an HTML page instead of JSON (a misrouted request hitting a SPA fallback). */
export const InvalidResponse: Story = {
  args: { retry: 0 },
  beforeEach({ msw }) {
    msw.use(htmlInsteadOfJson(SESSION_ENDPOINT));
  },
  async play(context) {
    await shows(context, 'error', { texts: [text.invalidResponseError] });
  },
};

/** The backend returned a `javascript:` link: it is withheld, never rendered as an `href` or a QR code. */
export const InvalidLink: Story = {
  args: { retry: 0 },
  beforeEach({ msw }) {
    msw.use(scriptLink(SESSION_ENDPOINT));
  },
  async play(context) {
    const root = await shows(context, 'error', { texts: [text.invalidLinkError] });
    // The withheld link is neither an href nor a QR code.
    await expect(root.querySelector('a, [data-slot="qrCode"]')).toBeNull();
    await expectSafeLinks(root);
  },
};

/** The first request fails; pressing Retry creates exactly one new session, which succeeds. */
export const RetryRecovers: Story = {
  args: { retry: 0, mode: 'link' },
  beforeEach({ msw }) {
    msw.use(failsOnce(SESSION_ENDPOINT));
  },
  async play(context) {
    const root = await shows(context, 'error', { texts: [text.serverError] });
    await userEvent.click(within(root).getByRole('button', { name: text.retryButton }));
    await shows(context, 'ready', { mode: 'link' });
    await expect(within(root).getByRole('link', { name: text.linkButton })).toBeVisible();
    await expectSafeLinks(root);
  },
};

/** `enabled: false`: nothing is requested until the person presses Start. */
export const Idle: Story = {
  args: { enabled: false },
  async play(context) {
    const root = await shows(context, 'idle');
    await userEvent.click(within(root).getByRole('button', { name: text.startButton }));
    await shows(context, 'ready', { mode: 'qr' });
  },
};

/** `colorScheme: 'dark'`. The QR code keeps dark modules on a light quiet zone, which phone cameras need. */
export const Dark: Story = {
  args: { colorScheme: 'dark' },
  globals: { backgrounds: { value: 'dark' } },
  async play(context) {
    const root = await shows(context, 'ready', { mode: 'qr' });
    await expect(getComputedStyle(root).backgroundColor, 'dark panel background').toBe('rgb(17, 24, 39)');
    await qrEncodesTheLink(root);
  },
};

/** `theme` props become `--liveness-*` CSS variables on the root. */
export const CustomTheme: Story = {
  args: {
    mode: 'link',
    theme: {
      accent: '#0f766e',
      accentForeground: '#ffffff',
      foreground: '#134e4a',
      background: '#f0fdfa',
      muted: '#115e59',
      radius: '4px',
      font: "Georgia, 'Times New Roman', serif",
    },
  },
  async play(context) {
    const root = await shows(context, 'ready', { mode: 'link' });
    const button = root.querySelector<HTMLElement>('[data-slot="primaryLink"]');
    await expect(getComputedStyle(root).backgroundColor, 'theme.background').toBe('rgb(240, 253, 250)');
    await expect(button && getComputedStyle(button).backgroundColor, 'theme.accent').toBe('rgb(15, 118, 110)');
    await expect(button && getComputedStyle(button).borderRadius, 'theme.radius').toBe('4px');
  },
};

/** `unstyled`: none of styles.css applies; structure, slots and data attributes stay for the app's own CSS. */
export const Unstyled: Story = {
  args: { unstyled: true },
  async play(context) {
    const root = await shows(context, 'ready', { mode: 'qr' });
    await expect(root).toHaveAttribute('data-unstyled');
    await expect(getComputedStyle(root).paddingTop, 'padding of an unstyled root').toBe('0px');
  },
};

/** Simplified Chinese text; the backend is asked for the H5 page in `zh` (the mock rejects anything else). */
export const ZhCN: Story = {
  args: { locale: zhCN },
  beforeEach({ msw }) {
    msw.use(readySession(SESSION_ENDPOINT, { expectLocale: 'zh' }));
  },
  async play(context) {
    const root = await shows(context, 'ready', { mode: 'qr', texts: [zhCN.displayText.title, zhCN.displayText.qrInstruction] });
    await expect(root).toHaveAttribute('lang', 'zh-CN');
  },
};

/** Traditional Chinese text; the backend is asked for `zh-Hant` (the mock rejects anything else). */
export const ZhTW: Story = {
  args: { locale: zhTW },
  beforeEach({ msw }) {
    msw.use(readySession(SESSION_ENDPOINT, { expectLocale: 'zh-Hant' }));
  },
  async play(context) {
    const root = await shows(context, 'ready', { mode: 'qr', texts: [zhTW.displayText.title, zhTW.displayText.qrInstruction] });
    await expect(root).toHaveAttribute('lang', 'zh-TW');
  },
};

function BrandedError({ error, onRetry }: ErrorViewProps) {
  return (
    // Its own background: the view sits inside the component's panel, which is dark in the dark scheme.
    <div role="alert" style={{ display: 'grid', gap: 8, padding: 16, border: '2px dashed #b45309', borderRadius: 8, color: '#78350f', background: '#fffbeb' }}>
      <strong>Custom error view</strong>
      <span>
        Code <code>{error.code}</code>
        {error.status === undefined ? null : (
          <>
            , HTTP <code>{error.status}</code>
          </>
        )}
      </span>
      <button type="button" onClick={onRetry}>
        Start over
      </button>
    </div>
  );
}

/** `components.Error` replaces the built-in error view; it receives `{ error, onRetry, displayText }`. */
export const CustomErrorComponent: Story = {
  args: { retry: 0, components: { Error: BrandedError } },
  beforeEach({ msw }) {
    msw.use(httpError(SESSION_ENDPOINT, 503, 'unavailable', { 'Retry-After': '5' }));
  },
  async play(context) {
    await shows(context, 'error', { texts: ['Custom error view', 'HTTP 503'] });
  },
};

/** Where the waiting stories' sessions answer `GET` with their status (`statusUrl` in the create answer). */
const STATUS_BASE = '/api/liveness/sessions';

// What the hand-off stories' backends saw: DELETEs (cancel) and create requests (consent).
let cancelled: string[] = [];
let posts = 0;

/** The backend reports the check as passed: the result view, with no link or code left on the page. */
export const Verified: Story = {
  beforeEach({ msw }) {
    msw.use(
      readySession(SESSION_ENDPOINT, { statusBase: STATUS_BASE }),
      sessionStatus(STATUS_BASE, () => ({ status: 'verified', groupId: 'story-group-1', resultCode: '10000' })),
    );
  },
  async play(context) {
    const root = await shows(context, 'verified', { texts: [text.verifiedTitle] });
    await expectNoLinkLeft(root);
  },
};

/** The check did not pass: "Try again" creates one new session. */
export const Failed: Story = {
  beforeEach({ msw }) {
    msw.use(
      readySession(SESSION_ENDPOINT, { statusBase: STATUS_BASE }),
      sessionStatus(STATUS_BASE, (_id, nth) => (nth === 1 ? { status: 'failed', resultCode: '10002' } : { status: 'pending' })),
    );
  },
  async play(context) {
    const root = await shows(context, 'failed', { texts: [text.failedTitle, text.failedText, text.retryButton] });
    // A result code outside the documented ranges: the generic text, never a guess.
    await expect(root).toHaveAttribute('data-reason', 'unknown');
    await expectNoLinkLeft(root);
  },
};

/**
 * A failure caused by the phone (camera refused or missing, no WebRTC: result codes 40001–40011). The
 * backend here sends only the `resultCode`; the component maps it to `reason: 'device'` itself.
 */
export const FailedDevice: Story = {
  beforeEach({ msw }) {
    msw.use(
      readySession(SESSION_ENDPOINT, { statusBase: STATUS_BASE }),
      sessionStatus(STATUS_BASE, () => ({ status: 'failed', resultCode: '40003' })),
    );
  },
  async play(context) {
    const root = await shows(context, 'failed', { texts: [text.failedDeviceTitle, text.failedDeviceText, text.retryButton] });
    await expect(root).toHaveAttribute('data-reason', 'device');
    await expect(root).not.toHaveTextContent(text.failedTitle);
    await expectNoLinkLeft(root);
  },
};

/** The face check itself did not pass (result codes 41000–41009, or the server's `reason: 'liveness'`): advice on light and framing. */
export const FailedLiveness: Story = {
  beforeEach({ msw }) {
    msw.use(
      readySession(SESSION_ENDPOINT, { statusBase: STATUS_BASE }),
      sessionStatus(STATUS_BASE, () => ({ status: 'failed', resultCode: '41002', reason: 'liveness' })),
    );
  },
  async play(context) {
    const root = await shows(context, 'failed', { texts: [text.failedLivenessTitle, text.failedLivenessText] });
    await expect(root).toHaveAttribute('data-reason', 'liveness');
  },
};

/** The server could not obtain the result in time (`reason: 'unconfirmed'`): the person may have passed, so the text never says the face check failed. */
export const FailedUnconfirmed: Story = {
  beforeEach({ msw }) {
    msw.use(
      readySession(SESSION_ENDPOINT, { statusBase: STATUS_BASE }),
      sessionStatus(STATUS_BASE, () => ({ status: 'failed', reason: 'unconfirmed' })),
    );
  },
  async play(context) {
    const root = await shows(context, 'failed', { texts: [text.failedUnconfirmedTitle, text.failedUnconfirmedText] });
    await expect(root).toHaveAttribute('data-reason', 'unconfirmed');
    await expect(root).not.toHaveTextContent(text.failedLivenessTitle);
    await expect(root).not.toHaveTextContent(text.failedTitle);
  },
};

/** The device failure in Simplified Chinese (the CJK font of the test machine shows in the screenshots). */
export const FailedDeviceZhCN: Story = {
  args: { locale: zhCN },
  beforeEach({ msw }) {
    msw.use(
      readySession(SESSION_ENDPOINT, { statusBase: STATUS_BASE, expectLocale: 'zh' }),
      sessionStatus(STATUS_BASE, () => ({ status: 'failed', resultCode: '40001' })),
    );
  },
  async play(context) {
    const zh = zhCN.displayText;
    const root = await shows(context, 'failed', { texts: [zh.failedDeviceTitle, zh.failedDeviceText, zh.retryButton] });
    await expect(root).toHaveAttribute('data-reason', 'device');
  },
};

/** A phone opened the QR code (the status says `openedAt`): the code gives way to "Continue on your phone". */
export const OpenedOnPhone: Story = {
  beforeEach({ msw }) {
    msw.use(
      readySession(SESSION_ENDPOINT, { statusBase: STATUS_BASE, qrUrl: FAKE_QR_URL }),
      sessionStatus(STATUS_BASE, () => ({ status: 'pending', openedAt: secondsAgo(3) })),
    );
  },
  async play(context) {
    const root = await shows(context, 'opened', { mode: 'qr', texts: [text.openedTitle, text.openedText, text.notYouText, text.startAgainButton] });
    await expect(root.querySelector('[data-slot="qrCode"], a'), 'a code or link once the phone has it').toBeNull();
    await expect(within(root).getByRole('status')).toHaveTextContent(text.openedTitle);
  },
};

/** "Not you? Start again" cancels the session (`DELETE {statusUrl}`) and shows a fresh code. */
export const NotYouStartAgain: Story = {
  beforeEach({ msw }) {
    const cancel = cancelRoute(STATUS_BASE);
    cancelled = cancel.cancelled;
    msw.use(
      readySession(SESSION_ENDPOINT, { statusBase: STATUS_BASE, qrUrl: FAKE_QR_URL }),
      // Only the first session was opened by a phone; the fresh one waits for a scan.
      sessionStatus(STATUS_BASE, (_id, nth) => (nth === 1 ? { status: 'pending', openedAt: secondsAgo(3) } : { status: 'pending' })),
      cancel.handler,
    );
  },
  async play(context) {
    const root = await shows(context, 'opened', { mode: 'qr', texts: [text.openedTitle, text.openedText, text.notYouText] });
    await expect(root.querySelector('[data-slot="qrCode"], a'), 'a code or link once the phone has it').toBeNull();
    const first = cancelled.length;
    await userEvent.click(within(root).getByRole('button', { name: text.startAgainButton }));
    await expect(await decodeQr(await shows(context, 'ready', { mode: 'qr' })), 'the fresh code').toBe(FAKE_QR_URL);
    await waitFor(() => expect(cancelled.length, 'DELETE requests').toBe(first + 1));
  },
};

/** The phone passed and the backend is confirming the result (`checkingSince`): the outcome comes next, nothing to cancel. */
export const OpenedChecking: Story = {
  beforeEach({ msw }) {
    msw.use(
      readySession(SESSION_ENDPOINT, { statusBase: STATUS_BASE }),
      sessionStatus(STATUS_BASE, () => ({ status: 'pending', openedAt: secondsAgo(40), checkingSince: secondsAgo(2) })),
    );
  },
  async play(context) {
    const root = await shows(context, 'opened', { mode: 'qr', texts: [text.openedTitle, text.checkingText] });
    await expect(root).not.toHaveTextContent(text.openedText);
    // The result is fetched whatever happens now (the server no longer cancels it): no "Start again".
    await expect(within(root).queryByRole('button', { name: text.startAgainButton })).toBeNull();
  },
};

/** Link mode with `linkTarget="_blank"`: tapping the link moves to `opened` at once ("Finish the check in the new tab"), the link kept. */
export const OpenedLink: Story = {
  args: { mode: 'link', linkTarget: '_blank' },
  beforeEach({ msw }) {
    msw.use(
      readySession(SESSION_ENDPOINT, { h5Link: FAKE_SHORT_LINK, statusBase: STATUS_BASE }),
      sessionStatus(STATUS_BASE, () => ({ status: 'pending' })),
    );
  },
  async play(context) {
    const root = await shows(context, 'ready', { mode: 'link', texts: [text.linkInstructionNewTab] });
    await tapWithoutLeaving(within(root).getByRole('link', { name: text.linkButton }));
    await shows(context, 'opened', { mode: 'link', texts: [text.openedLinkTitle, text.openedText, text.startAgainButton] });
    await expect(root).not.toHaveTextContent(text.notYouText);
    // The new tab may be gone: the way back into the check stays.
    await expect(within(root).getByRole('link', { name: text.continueLinkButton })).toHaveAttribute('target', '_blank');
  },
};

/**
 * Link mode, the default on phones (the check opens in this tab): what the page shows when the person
 * comes back without finishing (Back, or a reload): the same session, "Continue the check", "Start again".
 */
export const OpenedCameBack: Story = {
  args: { mode: 'link' },
  beforeEach({ msw }) {
    msw.use(
      readySession(SESSION_ENDPOINT, { h5Link: FAKE_SHORT_LINK, statusBase: STATUS_BASE }),
      sessionStatus(STATUS_BASE, () => ({ status: 'pending' })),
    );
  },
  async play(context) {
    const root = await shows(context, 'ready', { mode: 'link' });
    await tapWithoutLeaving(within(root).getByRole('link', { name: text.linkButton }));
    await shows(context, 'opened', { mode: 'link', texts: [text.openedReturnTitle, text.openedReturnText, text.startAgainButton] });
    await expect(root).not.toHaveTextContent(/new tab/i);
    const link = within(root).getByRole('link', { name: text.continueLinkButton });
    await expect(link).toHaveAttribute('target', '_self');
    await expect(link).toHaveAttribute('data-slot', 'primaryLink');
  },
};

/** Opened, in Traditional Chinese. */
export const OpenedZhTW: Story = {
  args: { locale: zhTW },
  beforeEach({ msw }) {
    msw.use(
      readySession(SESSION_ENDPOINT, { statusBase: STATUS_BASE, expectLocale: 'zh-Hant' }),
      sessionStatus(STATUS_BASE, () => ({ status: 'pending', openedAt: secondsAgo(3) })),
    );
  },
  async play(context) {
    const zh = zhTW.displayText;
    await shows(context, 'opened', { mode: 'qr', texts: [zh.openedTitle, zh.openedText, zh.notYouText, zh.startAgainButton] });
  },
};

/**
 * `consent`: what will happen, who processes the face data, the app's policy, and an accept button.
 * Nothing is requested before the person accepts.
 */
export const Consent: Story = {
  args: { consent: { policyUrl: 'https://app.example.test/privacy' } },
  beforeEach({ msw }) {
    posts = 0;
    msw.use(readySession(SESSION_ENDPOINT, { onRequest: () => (posts += 1) }));
  },
  async play(context) {
    const root = await shows(context, 'idle', { texts: [text.title, text.consentText] });
    await expect(within(root).getByRole('link', { name: text.consentPolicyLink })).toHaveAttribute('href', 'https://app.example.test/privacy');
    // Give a request every chance to leave: none may.
    await new Promise((done) => setTimeout(done, 1_000));
    await expect(posts, 'create requests before acceptance').toBe(0);
    const accept = within(root).getByRole('button', { name: text.consentAcceptButton });
    await expect(accept).toHaveAttribute('data-slot', 'consentAccept');
    await userEvent.click(accept);
    await shows(context, 'ready', { mode: 'qr' });
    await expect(posts, 'create requests after acceptance').toBe(1);
  },
};

/** The consent step in Simplified Chinese, dark. */
export const ConsentZhCN: Story = {
  args: { locale: zhCN, colorScheme: 'dark', consent: { policyUrl: 'https://app.example.test/privacy' } },
  async play(context) {
    const zh = zhCN.displayText;
    await shows(context, 'idle', { texts: [zh.title, zh.consentText, zh.consentPolicyLink, zh.consentAcceptButton] });
  },
};

/**
 * The code expired and no automatic refresh is left (`maxAutoRefresh: 0`): "Get a new code" creates one
 * new session. Only the first session answers `expired`, so the new one stays ready.
 */
export const Expired: Story = {
  args: { maxAutoRefresh: 0 },
  beforeEach({ msw }) {
    msw.use(
      readySession(SESSION_ENDPOINT, { statusBase: STATUS_BASE }),
      sessionStatus(STATUS_BASE, (_id, nth) => (nth === 1 ? { status: 'expired' } : { status: 'pending' })),
    );
  },
  async play(context) {
    const root = await shows(context, 'expired', { texts: [text.expiredTitle, text.newCodeButton] });
    await expectNoLinkLeft(root);
    await userEvent.click(within(root).getByRole('button', { name: text.newCodeButton }));
    await qrEncodesTheLink(await shows(context, 'ready', { mode: 'qr' }));
  },
};

/** `showCountdown`: how long the code stays valid, as `m:ss`; screen readers hear it at 60, 30 and 10 s. */
export const Countdown: Story = {
  args: { showCountdown: true },
  beforeEach({ msw }) {
    msw.use(
      readySession(SESSION_ENDPOINT, { statusBase: STATUS_BASE, expiresInMs: 90_000 }),
      sessionStatus(STATUS_BASE, () => ({ status: 'pending' })),
    );
  },
  async play(context) {
    const root = await shows(context, 'ready', { mode: 'qr' });
    await qrEncodesTheLink(root);
    const read = () => root.querySelector('[data-slot="countdown"] [aria-hidden="true"]')?.textContent ?? '';
    // The countdown is a lazily loaded part: it shows once it has loaded.
    await waitFor(() => expect(read()).not.toBe(''), { timeout: STATE_TIMEOUT_MS });
    const first = read();
    const match = /^Expires in (\d):(\d\d)$/.exec(first);
    await expect(first, 'the countdown').toMatch(/^Expires in \d:\d\d$/);
    // The code lives 90 s: the countdown starts near 1:30 and goes down.
    const seconds = Number(match?.[1]) * 60 + Number(match?.[2]);
    await expect(seconds).toBeGreaterThanOrEqual(80);
    await expect(seconds).toBeLessThanOrEqual(90);
    await waitFor(() => expect(read()).not.toBe(first), { timeout: 5_000 });
  },
};

/** Link mode inside WeChat's browser (faked User-Agent): a hint to open the page in Safari or Chrome. */
export const InAppBrowserHint: Story = {
  args: { mode: 'link' },
  decorators: [
    (Story) => (
      <FakeUserAgent userAgent={WECHAT_USER_AGENT}>
        <Story />
      </FakeUserAgent>
    ),
  ],
  beforeEach({ msw }) {
    msw.use(readySession(SESSION_ENDPOINT, { h5Link: FAKE_SHORT_LINK }));
  },
  async play(context) {
    const root = await shows(context, 'ready', { mode: 'link', texts: [text.inAppBrowserHint] });
    await expectSafeLinks(root);
    await expectRealUserAgent();
  },
};
