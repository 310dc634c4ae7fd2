import { QueryClient } from '@tanstack/react-query';
import { render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import axe from 'axe-core';
import { QRCodeSVG } from 'qrcode.react';
import { createRef, Profiler, StrictMode, type Ref } from 'react';
import { renderToString } from 'react-dom/server';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { LivenessSession, type LivenessSessionProps } from '../../src/react/LivenessSession';
import { defaultDisplayTextEn } from '../../src/react/text/displayText';
import { en as enLocale, zhCN, zhTW } from '../../src/locales';
import { MIN_PX_PER_MODULE, resetDenseQrWarning } from '../../src/react/views/denseQrWarning';
import { qrErrorCorrection } from '../../src/react/views/qrErrorCorrection';
import type { ErrorViewProps, LoadingViewProps } from '../../src/react/views/views';
import { createFetch, ENDPOINT, errorReply, hydrateServerHtml, LINK, newQueryClient, sessionReply, setResumeParam, type Reply } from './helpers';

const en = defaultDisplayTextEn;

const UA = {
  desktopChrome: 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36',
  macSafari: 'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Safari/605.1.15',
  iPhone: 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1',
  android: 'Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Mobile Safari/537.36',
  // iPadOS 13+ asks for the desktop site and claims to be a Mac; only the touch points give it away.
  iPadOS: 'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Safari/605.1.15',
  // Chrome's "reduced" UA on Android tablets can look like desktop Linux; Client Hints still say mobile.
  reducedLinux: 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36',
};

const ownNavigatorProps: string[] = [];
function stubNavigator({ userAgent, maxTouchPoints, userAgentData }: { userAgent: string; maxTouchPoints?: number; userAgentData?: { mobile: boolean } }) {
  vi.spyOn(navigator, 'userAgent', 'get').mockReturnValue(userAgent);
  // jsdom has no maxTouchPoints / userAgentData: define them on the instance, removed after the test.
  for (const [key, value] of [
    ['maxTouchPoints', maxTouchPoints ?? 0],
    ['userAgentData', userAgentData],
  ] as const) {
    Object.defineProperty(navigator, key, { value, configurable: true });
    ownNavigatorProps.push(key);
  }
}

afterEach(() => {
  for (const key of ownNavigatorProps.splice(0)) delete (navigator as unknown as Record<string, unknown>)[key];
});

function renderSession(props: Partial<LivenessSessionProps> & { ref?: Ref<HTMLDivElement> } = {}, replies: Reply[] = [sessionReply()], options: { strict?: boolean; client?: QueryClient } = {}) {
  const calls = createFetch(...replies);
  const client = options.client ?? newQueryClient();
  const ui = <LivenessSession endpoint={ENDPOINT} fetch={calls.fetch} queryClient={client} {...props} />;
  const view = render(options.strict ? <StrictMode>{ui}</StrictMode> : ui);
  const root = () => view.container.querySelector<HTMLElement>('[data-liveness-session]')!;
  return { ...view, ...calls, client, root };
}

async function untilState(root: () => HTMLElement, state: string) {
  await waitFor(() => expect(root()).toHaveAttribute('data-state', state));
}

async function axeViolations(container: Element) {
  // jsdom does no layout, so colour contrast cannot be computed here; that rule runs in the browser tests only.
  const results = await axe.run(container, { rules: { 'color-contrast': { enabled: false } } });
  return results.violations.map((v) => ({ id: v.id, nodes: v.nodes.map((n) => n.html) }));
}

describe('LivenessSession: states', () => {
  it('shows a busy loading view while creating', async () => {
    const { root, container } = renderSession({}, [{ kind: 'hang' }]);
    expect(root()).toHaveAttribute('data-state', 'creating');
    expect(root()).toHaveAttribute('aria-busy', 'true');
    expect(container.querySelector('[data-slot="loading"]')).not.toBeNull();
    expect(container.querySelector('[data-slot="loading"]')).toHaveTextContent(en.creatingText);
    // Announced once through the live region too.
    expect(screen.getByRole('status')).toHaveTextContent(en.creatingText);
    expect(container.querySelector('a')).toBeNull();
  });

  it('shows a QR code with role img and a label when ready (desktop)', async () => {
    stubNavigator({ userAgent: UA.desktopChrome });
    const { root, container, calls } = renderSession({}, [sessionReply()], { strict: true });
    await untilState(root, 'ready');
    expect(root()).not.toHaveAttribute('aria-busy');
    expect(root()).toHaveAttribute('data-mode', 'qr');
    const qr = screen.getByRole('img', { name: en.qrLabel });
    // The encoder is a lazy chunk: the svg follows the ready state by a module load.
    await waitFor(() => expect(qr.querySelector('svg')).not.toBeNull());
    expect(screen.getByRole('status')).toHaveTextContent(en.readyAnnouncement);
    expect(calls).toHaveLength(1);
    expect(container.querySelector('[data-slot="title"]')).toHaveTextContent(en.title);
  });

  it('shows the start button when idle and creates one session on click', async () => {
    const user = userEvent.setup();
    const { root, calls } = renderSession({ enabled: false });
    expect(root()).toHaveAttribute('data-state', 'idle');
    await new Promise((r) => setTimeout(r, 20));
    expect(calls).toHaveLength(0);
    await user.click(screen.getByRole('button', { name: en.startButton }));
    await untilState(root, 'ready');
    expect(calls).toHaveLength(1);
  });

  const errorCases: Array<[string, Reply[], Partial<LivenessSessionProps>, string]> = [
    ['network', [{ kind: 'reject' }], { retry: 0 }, en.networkError],
    ['timeout', [{ kind: 'hang' }], { retry: 0, timeoutMs: 30 }, en.timeoutError],
    ['HTTP 429', [errorReply(429, 'rate_limited')], { retry: 0 }, en.rateLimitedError],
    ['HTTP 503', [errorReply(503, 'unavailable')], { retry: 0 }, en.rateLimitedError],
    ['HTTP 401', [errorReply(401, 'unauthorized')], {}, en.unauthorizedError],
    ['HTTP 403', [errorReply(403, 'forbidden')], {}, en.unauthorizedError],
    ['HTTP 400', [errorReply(400, 'bad_request')], {}, en.serverError],
    ['HTTP 500', [errorReply(500, 'internal')], { retry: 0 }, en.serverError],
    ['invalid_response', [{ kind: 'json', status: 200, body: '<html>' }], {}, en.invalidResponseError],
    ['invalid_link', [sessionReply({ h5Link: 'http://h5.example.test/?pl=FAKE-not-a-secret' })], {}, en.invalidLinkError],
  ];

  it.each(errorCases)('shows the %s message and a Retry button that creates exactly one new session', async (_name, replies, props, message) => {
    const user = userEvent.setup();
    const { root, calls, container } = renderSession(props, [...replies, sessionReply()]);
    await untilState(root, 'error');
    expect(container.querySelector('[data-slot="error"] [data-slot="title"]')).toHaveTextContent(en.errorTitle);
    expect(container.querySelector('[data-slot="errorMessage"]')).toHaveTextContent(message);
    expect(screen.getByRole('status')).toHaveTextContent(message);
    expect(root()).not.toHaveAttribute('aria-busy');
    const before = calls.length;
    expect(before).toBe(1);
    await user.click(screen.getByRole('button', { name: en.retryButton }));
    await untilState(root, 'ready');
    expect(calls).toHaveLength(2);
  });

  it('never renders an href for a javascript: link; shows the error state instead', async () => {
    stubNavigator({ userAgent: UA.iPhone });
    const { root, container } = renderSession({}, [sessionReply({ h5Link: 'javascript:alert(document.domain)' })]);
    await untilState(root, 'error');
    expect(container.querySelector('a')).toBeNull();
    expect(container.querySelector('[href]')).toBeNull();
    expect(container.innerHTML).not.toMatch(/javascript:/i);
    expect(container.querySelector('[data-slot="errorMessage"]')).toHaveTextContent(en.invalidLinkError);
  });

  it('never writes the link or token to the console', async () => {
    const spies = (['log', 'info', 'warn', 'error', 'debug'] as const).map((m) => vi.spyOn(console, m));
    stubNavigator({ userAgent: UA.desktopChrome });
    const ok = renderSession({}, [{ kind: 'json', status: 200, body: { BytedToken: 'FAKE-TOKEN-not-a-secret', H5Link: LINK } }]);
    await untilState(ok.root, 'ready');
    ok.unmount();
    const bad = renderSession({}, [sessionReply({ h5Link: 'http://h5.example.test/?pl=FAKE-not-a-secret' })]);
    await untilState(bad.root, 'error');
    const logged = JSON.stringify(spies.flatMap((s) => s.mock.calls));
    expect(logged).not.toContain('FAKE-not-a-secret');
    expect(logged).not.toContain('FAKE-TOKEN-not-a-secret');
  });
});

describe('LivenessSession: display mode', () => {
  it.each([
    ['desktop Chrome', { userAgent: UA.desktopChrome }, 'qr'],
    ['a Mac without touch', { userAgent: UA.macSafari, maxTouchPoints: 0 }, 'qr'],
    ['an iPhone', { userAgent: UA.iPhone, maxTouchPoints: 5 }, 'link'],
    ['an Android phone', { userAgent: UA.android, maxTouchPoints: 5 }, 'link'],
    ['iPadOS (Macintosh + 5 touch points)', { userAgent: UA.iPadOS, maxTouchPoints: 5 }, 'link'],
    ['userAgentData.mobile with a desktop-looking UA', { userAgent: UA.reducedLinux, userAgentData: { mobile: true } }, 'link'],
    ['userAgentData.mobile false on desktop', { userAgent: UA.desktopChrome, userAgentData: { mobile: false } }, 'qr'],
  ] as const)('auto picks the right mode on %s', async (_name, nav, mode) => {
    stubNavigator(nav);
    const { root } = renderSession();
    await untilState(root, 'ready');
    expect(root()).toHaveAttribute('data-mode', mode);
    if (mode === 'qr') expect(screen.getByRole('img', { name: en.qrLabel })).toBeInTheDocument();
    else expect(screen.queryByRole('img')).toBeNull();
  });

  it('renders the mobile link as a safe <a> to the validated link', async () => {
    stubNavigator({ userAgent: UA.iPhone, maxTouchPoints: 5 });
    const { root } = renderSession({}, [sessionReply({ h5Link: 'https://h5.example.test/authorization?pl=FAKE-not-a-secret\\u0026lng=en' })]);
    await untilState(root, 'ready');
    const link = screen.getByRole('link', { name: en.linkButton });
    expect(link.tagName).toBe('A');
    expect(link).toHaveAttribute('href', LINK);
    expect(link).toHaveAttribute('rel', 'noopener noreferrer');
    expect(link).toHaveAttribute('referrerpolicy', 'no-referrer');
    // Issue 22: on a phone the check opens in this tab, which comes back here when it is done.
    expect(link).toHaveAttribute('target', '_self');
    expect(link).toHaveAttribute('data-slot', 'primaryLink');
    expect(screen.getByText(en.linkInstruction)).toBeInTheDocument();
  });

  it('honours linkTarget _blank', async () => {
    const { root } = renderSession({ mode: 'link', linkTarget: '_blank' });
    await untilState(root, 'ready');
    expect(screen.getByRole('link', { name: en.linkButton })).toHaveAttribute('target', '_blank');
  });

  it('shows a secondary "open on this device" link under the QR code on desktop', async () => {
    stubNavigator({ userAgent: UA.desktopChrome });
    const { root } = renderSession();
    await untilState(root, 'ready');
    const link = screen.getByRole('link', { name: en.openOnThisDeviceLink });
    expect(link).toHaveAttribute('href', LINK);
    expect(link).toHaveAttribute('rel', 'noopener noreferrer');
    expect(link).toHaveAttribute('referrerpolicy', 'no-referrer');
    expect(link).toHaveAttribute('target', '_blank');
    expect(link).toHaveAttribute('data-slot', 'secondaryLink');
  });

  it('hides the secondary link with showOpenOnThisDevice={false}', async () => {
    const { root, container } = renderSession({ mode: 'qr', showOpenOnThisDevice: false });
    await untilState(root, 'ready');
    expect(container.querySelector('a')).toBeNull();
  });

  it('explicit mode wins over detection', async () => {
    stubNavigator({ userAgent: UA.iPhone, maxTouchPoints: 5 });
    const { root } = renderSession({ mode: 'qr' });
    await untilState(root, 'ready');
    expect(root()).toHaveAttribute('data-mode', 'qr');
  });
});

describe('LivenessSession: QR code', () => {
  function fgPath(container: Element): string {
    const paths = container.querySelectorAll('[data-slot="qrCode"] svg path');
    expect(paths.length).toBeGreaterThanOrEqual(1);
    return paths[paths.length - 1]!.getAttribute('d')!;
  }

  function expectedPath(value: string): string {
    const { container } = render(<QRCodeSVG value={value} size={200} level={qrErrorCorrection(value)} marginSize={4} />);
    const paths = container.querySelectorAll('svg path');
    const d = paths[paths.length - 1]!.getAttribute('d')!;
    return d;
  }

  it('encodes the qrUrl when the backend gives one, and the h5Link otherwise', async () => {
    const qrUrl = 'https://app.example.test/l/abc123';
    const longLink = `https://h5.example.test/authorization?pl=${'FAKE-not-a-secret-'.repeat(40)}`;
    const short = renderSession({ mode: 'qr' }, [sessionReply({ h5Link: longLink, qrUrl })]);
    await untilState(short.root, 'ready');
    const shortPath = fgPath(short.container);
    const shortViewBox = short.container.querySelector('[data-slot="qrCode"] svg')!.getAttribute('viewBox');
    // The secondary link still opens the real link, not the short one.
    expect(screen.getByRole('link', { name: en.openOnThisDeviceLink })).toHaveAttribute('href', longLink);
    short.unmount();

    const long = renderSession({ mode: 'qr' }, [sessionReply({ h5Link: longLink })]);
    await untilState(long.root, 'ready');
    const longPath = fgPath(long.container);
    const longViewBox = long.container.querySelector('[data-slot="qrCode"] svg')!.getAttribute('viewBox');
    long.unmount();

    expect(shortPath).toBe(expectedPath(qrUrl));
    expect(longPath).toBe(expectedPath(longLink));
    const modules = (viewBox: string | null) => Number(viewBox!.split(' ')[2]);
    expect(modules(shortViewBox)).toBeLessThan(modules(longViewBox));
  });

  describe('dense-code warning (development builds)', () => {
    const longLink = `https://h5.example.test/authorization?pl=${'FAKE-not-a-secret-'.repeat(40)}`;
    const cellsOf = (container: Element) => Number(container.querySelector('[data-slot="qrCode"] svg')!.getAttribute('viewBox')!.split(' ')[3]);

    it('warns once per page when a long link without qrUrl makes the code too dense, naming sizes but not the link', async () => {
      resetDenseQrWarning();
      const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
      const first = renderSession({ mode: 'qr' }, [sessionReply({ h5Link: longLink })]);
      await untilState(first.root, 'ready');
      const cells = cellsOf(first.container);
      expect(200 / cells).toBeLessThan(MIN_PX_PER_MODULE);
      expect(warn).toHaveBeenCalledTimes(1);
      const message = String(warn.mock.calls[0]![0]);
      expect(message).toContain(`${cells} modules wide`);
      expect(message).toContain('in 200 px');
      expect(message).toContain('qrUrl');
      expect(message).not.toMatch(/FAKE|h5\.example|authorization/);
      first.unmount();

      const second = renderSession({ mode: 'qr' }, [sessionReply({ h5Link: longLink })]);
      await untilState(second.root, 'ready');
      expect(cellsOf(second.container)).toBe(cells);
      expect(warn).toHaveBeenCalledTimes(1);
      second.unmount();
    });

    it('stays quiet for the short qrUrl, and for the long link drawn large enough', async () => {
      resetDenseQrWarning();
      const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
      const short = renderSession({ mode: 'qr' }, [sessionReply({ h5Link: longLink, qrUrl: 'https://app.example.test/l/abc123' })]);
      await untilState(short.root, 'ready');
      expect(cellsOf(short.container)).toBeLessThan(200 / MIN_PX_PER_MODULE);
      short.unmount();

      const large = renderSession({ mode: 'qr', qr: { size: 320 } }, [sessionReply({ h5Link: longLink })]);
      await untilState(large.root, 'ready');
      expect(320 / cellsOf(large.container)).toBeGreaterThanOrEqual(MIN_PX_PER_MODULE);
      large.unmount();
      expect(warn).not.toHaveBeenCalled();
    });
  });

  it('uses qr.size and qr.level when given', async () => {
    const { root, container } = renderSession({ mode: 'qr', qr: { size: 321, level: 'H', marginSize: 2 } });
    await untilState(root, 'ready');
    const svg = container.querySelector('[data-slot="qrCode"] svg')!;
    expect(svg).toHaveAttribute('width', '321');
    const { container: expected } = render(<QRCodeSVG value={LINK} size={321} level="H" marginSize={2} />);
    expect(svg.getAttribute('viewBox')).toBe(expected.querySelector('svg')!.getAttribute('viewBox'));
    const paths = svg.querySelectorAll('path');
    const expectedPaths = expected.querySelectorAll('svg path');
    expect(paths[paths.length - 1]!.getAttribute('d')).toBe(expectedPaths[expectedPaths.length - 1]!.getAttribute('d'));
  });

  it('uses theme QR colours', async () => {
    const { root, container } = renderSession({ mode: 'qr', theme: { qrForeground: '#112233', qrBackground: '#fafafa' } });
    await untilState(root, 'ready');
    const fills = [...container.querySelectorAll('[data-slot="qrCode"] svg path')].map((p) => p.getAttribute('fill'));
    expect(fills).toContain('#112233');
    expect(fills).toContain('#fafafa');
  });

  it.each([
    [1, 'Q'],
    [46, 'Q'],
    [47, 'M'],
    [62, 'M'],
    [63, 'L'],
    [1000, 'L'],
  ] as const)('qrErrorCorrection picks %i characters → %s', (length, level) => {
    expect(qrErrorCorrection('x'.repeat(length))).toBe(level);
  });
});

describe('LivenessSession: customisation', () => {
  it('turns theme props into --liveness-* CSS variables on the root style', async () => {
    const { root } = renderSession({
      theme: { accent: '#ff0000', accentForeground: '#000', foreground: '#111', background: '#222', muted: '#333', danger: '#444', radius: '4px', font: 'serif' },
    });
    const style = root().style;
    expect(style.getPropertyValue('--liveness-accent')).toBe('#ff0000');
    expect(style.getPropertyValue('--liveness-accent-foreground')).toBe('#000');
    expect(style.getPropertyValue('--liveness-foreground')).toBe('#111');
    expect(style.getPropertyValue('--liveness-background')).toBe('#222');
    expect(style.getPropertyValue('--liveness-muted')).toBe('#333');
    expect(style.getPropertyValue('--liveness-danger')).toBe('#444');
    expect(style.getPropertyValue('--liveness-radius')).toBe('4px');
    expect(style.getPropertyValue('--liveness-font')).toBe('serif');
  });

  it('applies className, classNames per slot, style, unstyled and colorScheme', async () => {
    const { root, container } = renderSession({
      mode: 'qr',
      className: 'app-class',
      classNames: { root: 'root-class', qrCode: 'qr-class', secondaryLink: 'link-class', title: 'title-class', liveRegion: 'live-class' },
      style: { maxWidth: 500, ['--liveness-accent' as string]: 'blue' },
      theme: { accent: 'red' },
      unstyled: true,
      colorScheme: 'dark',
    });
    await untilState(root, 'ready');
    expect(root()).toHaveClass('root-class', 'app-class');
    expect(root().style.maxWidth).toBe('500px');
    // `style` is applied after `theme`, so it wins.
    expect(root().style.getPropertyValue('--liveness-accent')).toBe('blue');
    expect(root()).toHaveAttribute('data-unstyled', '');
    expect(root()).toHaveAttribute('data-color-scheme', 'dark');
    expect(container.querySelector('[data-slot="qrCode"]')).toHaveClass('qr-class');
    expect(container.querySelector('[data-slot="secondaryLink"]')).toHaveClass('link-class');
    expect(container.querySelector('[data-slot="title"]')).toHaveClass('title-class');
    expect(container.querySelector('[data-slot="liveRegion"]')).toHaveClass('live-class');
  });

  it('defaults: light colour scheme, styled, no class', async () => {
    const { root } = renderSession();
    expect(root()).toHaveAttribute('data-color-scheme', 'light');
    expect(root()).not.toHaveAttribute('data-unstyled');
    expect(root()).not.toHaveAttribute('class');
  });

  it('uses components.Loading while creating', async () => {
    const Loading = vi.fn(({ displayText }: LoadingViewProps) => <div data-testid="my-loading">{displayText.creatingText}!</div>);
    renderSession({ components: { Loading } }, [{ kind: 'hang' }]);
    expect(screen.getByTestId('my-loading')).toHaveTextContent(`${en.creatingText}!`);
  });

  it('passes { error, onRetry } to components.Error, and onRetry creates exactly one session', async () => {
    const user = userEvent.setup();
    const seen: ErrorViewProps[] = [];
    function MyError(props: ErrorViewProps) {
      seen.push(props);
      return (
        <button type="button" onClick={props.onRetry}>
          custom retry ({props.error.code} {props.error.status})
        </button>
      );
    }
    const { root, calls } = renderSession({ components: { Error: MyError } }, [errorReply(404, 'not_found'), sessionReply()]);
    await untilState(root, 'error');
    expect(screen.queryByText(en.errorTitle)).toBeNull();
    const last = seen[seen.length - 1]!;
    expect(last.error).toMatchObject({ name: 'LivenessError', code: 'http', status: 404, serverCode: 'not_found' });
    expect(typeof last.onRetry).toBe('function');
    await user.click(screen.getByRole('button', { name: 'custom retry (http 404)' }));
    await untilState(root, 'ready');
    expect(calls).toHaveLength(2);
  });

  it.each([
    ['en', 'en' as const, defaultDisplayTextEn],
    ['en data', enLocale, defaultDisplayTextEn],
    ['zh-CN', zhCN, zhCN.displayText],
    ['zh-TW', zhTW, zhTW.displayText],
  ] as const)('shows the %s text and sets lang', async (_name, locale, text) => {
    const { root } = renderSession({ locale, mode: 'qr' });
    await untilState(root, 'ready');
    expect(root()).toHaveAttribute('lang', typeof locale === 'string' ? locale : locale.code);
    expect(screen.getByText(text.title)).toBeInTheDocument();
    expect(screen.getByText(text.qrInstruction)).toBeInTheDocument();
    expect(screen.getByRole('img', { name: text.qrLabel })).toBeInTheDocument();
    expect(screen.getByRole('link', { name: text.openOnThisDeviceLink })).toBeInTheDocument();
  });

  it('lets displayText override single keys of the chosen locale', async () => {
    const { root } = renderSession({ locale: zhCN, mode: 'link', displayText: { linkButton: 'Go now', title: 'Custom title' } });
    await untilState(root, 'ready');
    expect(screen.getByRole('link', { name: 'Go now' })).toBeInTheDocument();
    expect(screen.getByText('Custom title')).toBeInTheDocument();
    expect(screen.getByText(zhCN.displayText.linkInstruction)).toBeInTheDocument();
  });

  it('forwards its ref to the root div', async () => {
    const ref = createRef<HTMLDivElement>();
    const { root } = renderSession({ ref });
    expect(ref.current).toBeInstanceOf(HTMLDivElement);
    expect(ref.current).toBe(root());
  });

  it('passes DOM props through to the root', async () => {
    const onClick = vi.fn();
    const { root } = renderSession({ id: 'verify', 'aria-label': 'Identity check', 'data-testid': 'liveness', title: 'tip', onClick } as Partial<LivenessSessionProps>);
    expect(root()).toHaveAttribute('id', 'verify');
    expect(root()).toHaveAttribute('aria-label', 'Identity check');
    expect(root()).toHaveAttribute('title', 'tip');
    expect(screen.getByTestId('liveness')).toBe(root());
    root().click();
    expect(onClick).toHaveBeenCalledTimes(1);
  });

  it('keeps its own data attributes even when the app passes the same names', async () => {
    const { root } = renderSession({ 'data-state': 'bogus' } as Partial<LivenessSessionProps>, [{ kind: 'hang' }]);
    expect(root()).toHaveAttribute('data-state', 'creating');
  });
});

describe('LivenessSession: SSR and hydration', () => {
  it('renders on the server without data-mode, then hydrates without warnings and decides the mode', async () => {
    stubNavigator({ userAgent: UA.desktopChrome });
    const { fetch, calls } = createFetch(sessionReply());
    const ui = <LivenessSession endpoint={ENDPOINT} fetch={fetch} locale="en" id="ssr" />;
    const html = renderToString(ui);
    expect(html).toContain('data-liveness-session');
    expect(html).toContain('data-state="creating"');
    expect(html).not.toContain('data-mode');
    expect(calls).toHaveLength(0);

    await hydrateServerHtml(html, ui, async (root) => {
      await waitFor(() => expect(root).toHaveAttribute('data-mode', 'qr'));
      await waitFor(() => expect(root).toHaveAttribute('data-state', 'ready'));
    });
    expect(calls).toHaveLength(1);
  });

  it('hydrates into link mode on a phone without warnings', async () => {
    stubNavigator({ userAgent: UA.android, maxTouchPoints: 5 });
    const { fetch } = createFetch(sessionReply());
    const client = newQueryClient();
    const ui = <LivenessSession endpoint={ENDPOINT} fetch={fetch} queryClient={client} />;
    const html = renderToString(<LivenessSession endpoint={ENDPOINT} fetch={fetch} queryClient={newQueryClient()} />);
    await hydrateServerHtml(html, ui, async (root, container) => {
      await waitFor(() => expect(root).toHaveAttribute('data-state', 'ready'));
      expect(root).toHaveAttribute('data-mode', 'link');
      expect(within(container).getByRole('link', { name: en.linkButton })).toHaveAttribute('href', LINK);
    });
  });
});

describe('LivenessSession: a strict Content-Security-Policy (nonce)', () => {
  const THEME = { accent: '#7c3aed', radius: '4px' };

  it('without nonce, the server HTML carries style attributes (which a strict style-src drops)', () => {
    const html = renderToString(<LivenessSession endpoint={ENDPOINT} fetch={createFetch(sessionReply()).fetch} theme={THEME} queryClient={newQueryClient()} />);
    expect(html).toMatch(/style="[^"]*--liveness-accent:#7c3aed/);
    expect(html).not.toContain('<style');
  });

  it('with nonce, the server HTML has no style attribute at all: one <style nonce> scoped to the root holds the theme and the hidden live region', () => {
    stubNavigator({ userAgent: UA.desktopChrome });
    const { fetch } = createFetch(sessionReply());
    const html = renderToString(<LivenessSession endpoint={ENDPOINT} fetch={fetch} theme={THEME} nonce="n0nce-FAKE" queryClient={newQueryClient()} />);
    expect(html).not.toMatch(/\sstyle="/);
    const sheet = /<style nonce="n0nce-FAKE">([^<]*)<\/style>/.exec(html)?.[1];
    const scope = /data-liveness-scope="([^"]+)"/.exec(html)?.[1];
    expect(scope).toBeTruthy();
    expect(sheet).toContain(`[data-liveness-scope="${scope}"]{--liveness-accent:#7c3aed;--liveness-radius:4px}`);
    expect(sheet).toContain(`[data-liveness-scope="${scope}"] [data-slot=liveRegion]{position:absolute;width:1px`);
  });

  it('hides the live region with the same declarations in the <style nonce> rule as in its style attribute without nonce', () => {
    stubNavigator({ userAgent: UA.desktopChrome });
    const render = (nonce?: string) => renderToString(<LivenessSession endpoint={ENDPOINT} fetch={createFetch(sessionReply()).fetch} nonce={nonce} queryClient={newQueryClient()} />);
    const inline = /<p data-slot="liveRegion"[^>]* style="([^"]+)"/.exec(render())?.[1];
    const rule = /\[data-slot=liveRegion\]\{([^}]+)\}/.exec(render('n0nce-FAKE'))?.[1];
    expect(inline).toBe('position:absolute;width:1px;height:1px;margin:-1px;padding:0;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap;border:0');
    expect(rule).toBe(inline);
  });

  it('with nonce, hydrates without warnings and the theme and hidden live region apply in the browser', async () => {
    stubNavigator({ userAgent: UA.desktopChrome });
    const { fetch } = createFetch(sessionReply());
    const client = newQueryClient();
    const ui = <LivenessSession endpoint={ENDPOINT} fetch={fetch} theme={THEME} nonce="n0nce-FAKE" queryClient={client} />;
    const html = renderToString(<LivenessSession endpoint={ENDPOINT} fetch={fetch} theme={THEME} nonce="n0nce-FAKE" queryClient={newQueryClient()} />);
    await hydrateServerHtml(html, ui, async (root) => {
      await waitFor(() => expect(root).toHaveAttribute('data-state', 'ready'));
      expect(getComputedStyle(root).getPropertyValue('--liveness-accent').trim()).toBe('#7c3aed');
      const live = root.querySelector('[data-slot="liveRegion"]')!;
      expect(getComputedStyle(live).position).toBe('absolute');
      expect(live.getAttribute('style')).toBeNull();
    });
  });

  it('drops a theme value that would write CSS or HTML of its own', () => {
    const hostile = { accent: 'red;}</style><script>alert(1)</script>', radius: '8px' };
    for (const nonce of [undefined, 'n0nce-FAKE']) {
      const html = renderToString(<LivenessSession endpoint={ENDPOINT} fetch={createFetch(sessionReply()).fetch} theme={hostile} queryClient={newQueryClient()} {...(nonce ? { nonce } : {})} />);
      expect(html).not.toContain('<script');
      expect(html).not.toContain('--liveness-accent');
      expect(html).toContain('--liveness-radius:8px');
    }
  });
});

describe('LivenessSession: commits and the resume decision', () => {
  afterEach(() => setResumeParam(undefined));

  // Without `?livenessSessionId=` there is nothing to decide after mount: the request starts in the
  // mount's effects, so the only commits are the mount (creating) and the answer (ready).
  it('commits twice from mount to ready (mount, answer) when the URL names no session', async () => {
    const commits: string[] = [];
    const { fetch, calls } = createFetch(sessionReply());
    const state = () => document.querySelector('[data-liveness-session]')?.getAttribute('data-state');
    const { container } = render(
      <Profiler id="liveness" onRender={(_id, phase) => commits.push(`${phase}:${state()}`)}>
        <LivenessSession endpoint={ENDPOINT} fetch={fetch} mode="link" queryClient={newQueryClient()} />
      </Profiler>,
    );
    await waitFor(() => expect(container.querySelector('[data-state="ready"]')).not.toBeNull());
    // Up to the first `ready` (later commits belong to polling).
    expect(commits.slice(0, commits.indexOf('update:ready') + 1)).toEqual(['mount:creating', 'update:ready']);
    expect(calls).toHaveLength(1);
  });

  it('server-renders creating with a session id in the URL, hydrates without warnings, then stays idle (finished elsewhere)', async () => {
    setResumeParam('sess_someone_else');
    const { fetch, calls } = createFetch(sessionReply());
    const ui = <LivenessSession endpoint={ENDPOINT} fetch={fetch} mode="link" queryClient={newQueryClient()} />;
    const html = renderToString(<LivenessSession endpoint={ENDPOINT} fetch={fetch} mode="link" queryClient={newQueryClient()} />);
    expect(html).toContain('data-state="creating"');
    await hydrateServerHtml(html, ui, async (root) => {
      await waitFor(() => expect(root).toHaveAttribute('data-state', 'idle'));
      expect(root).toHaveTextContent(en.finishedElsewhereText);
    });
    // Nothing created; that session's status read once, to be shown (issue 22).
    expect(calls.map((c) => `${c.init.method ?? 'GET'} ${c.url}`)).toEqual([`GET ${ENDPOINT}/sess_someone_else`]);
  });
});

describe('LivenessSession: keyboard and accessibility', () => {
  it('the Retry button is reachable with Tab and activates with Enter', async () => {
    const user = userEvent.setup();
    const { root, calls } = renderSession({}, [errorReply(400, 'bad'), sessionReply()]);
    await untilState(root, 'error');
    await user.tab();
    expect(screen.getByRole('button', { name: en.retryButton })).toHaveFocus();
    await user.keyboard('{Enter}');
    await untilState(root, 'ready');
    expect(calls).toHaveLength(2);
  });

  it('the mobile link is reachable with Tab', async () => {
    const user = userEvent.setup();
    const { root } = renderSession({ mode: 'link' });
    await untilState(root, 'ready');
    await user.tab();
    expect(screen.getByRole('link', { name: en.linkButton })).toHaveFocus();
  });

  it('the desktop secondary link is reachable with Tab; the QR image is not a tab stop', async () => {
    const user = userEvent.setup();
    const { root } = renderSession({ mode: 'qr' });
    await untilState(root, 'ready');
    await user.tab();
    expect(screen.getByRole('link', { name: en.openOnThisDeviceLink })).toHaveFocus();
    await user.tab();
    expect(document.body).toHaveFocus();
  });

  it.each([
    ['ready (qr)', { mode: 'qr' as const }, [sessionReply()], 'ready'],
    ['ready (link)', { mode: 'link' as const }, [sessionReply()], 'ready'],
    ['ready (zh-TW qr)', { mode: 'qr' as const, locale: zhTW }, [sessionReply()], 'ready'],
    ['error', {}, [errorReply(400, 'bad')], 'error'],
    ['creating', {}, [{ kind: 'hang' } satisfies Reply], 'creating'],
    ['idle', { enabled: false }, [sessionReply()], 'idle'],
  ])('has no axe violations in the %s state', async (_name, props, replies, state) => {
    const { root, container } = renderSession(props, replies);
    await untilState(root, state);
    expect(await axeViolations(container)).toEqual([]);
  });
});
