import { act, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { LivenessSession, type LivenessSessionProps } from '../../src/react/LivenessSession';
import { defaultDisplayTextEn as en } from '../../src/react/text/displayText';
import { en as enLocale, zhCN, zhTW } from '../../src/locales';
import { createBackend, ENDPOINT, LINK, newQueryClient, statusReply, statusUrlOf, type BackendOptions } from './helpers';

// Issue 22: the phone's flow as the person sees it. The check opens in this tab by default on a phone
// (one tab, back to the app when done), the create request says it comes from a phone and names the
// page, and a tab that comes back without finishing offers the check again beside "Start again".

const IPHONE = 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1';
const DESKTOP = 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36';

afterEach(() => {
  vi.restoreAllMocks();
  sessionStorage.clear();
  window.history.replaceState(null, '', '/');
});

function renderOn(userAgent: string, props: Partial<LivenessSessionProps> = {}, backend: BackendOptions = {}) {
  vi.spyOn(navigator, 'userAgent', 'get').mockReturnValue(userAgent);
  const server = createBackend(backend);
  const view = render(<LivenessSession endpoint={ENDPOINT} fetch={server.fetch} queryClient={newQueryClient()} {...props} />);
  const root = () => view.container.querySelector<HTMLElement>('[data-liveness-session]')!;
  const slot = (name: string) => view.container.querySelector<HTMLElement>(`[data-slot="${name}"]`);
  return { ...view, ...server, root, slot };
}

const until = (root: () => HTMLElement, state: string) => waitFor(() => expect(root()).toHaveAttribute('data-state', state));

describe('on a phone, by default', () => {
  it('the check opens in this tab (_self), and the instruction does not promise a new tab', async () => {
    const view = renderOn(IPHONE);
    await until(view.root, 'ready');
    expect(view.root()).toHaveAttribute('data-mode', 'link');
    expect(view.slot('primaryLink')).toHaveAttribute('target', '_self');
    expect(view.root()).toHaveTextContent(en.linkInstruction);
    expect(view.root()).not.toHaveTextContent(/new tab/i);
  });

  it('the create request says "mobile" and names this page (without livenessSessionId) as where to come back', async () => {
    window.history.replaceState(null, '', '/checkout?step=3#verify');
    const view = renderOn(IPHONE);
    await until(view.root, 'ready');
    expect(view.posts()[0]!.body).toEqual({ locale: 'en', device: 'mobile', pageUrl: `${location.origin}/checkout?step=3#verify` });
  });

  it('linkTarget="_blank" still opens a new tab, and says so', async () => {
    const view = renderOn(IPHONE, { linkTarget: '_blank' });
    await until(view.root, 'ready');
    expect(view.slot('primaryLink')).toHaveAttribute('target', '_blank');
    expect(view.root()).toHaveTextContent(en.linkInstructionNewTab);
  });
});

describe('on a desktop, by default', () => {
  it('"open on this device" under the code opens a new tab; the create request says "desktop"', async () => {
    const view = renderOn(DESKTOP);
    await until(view.root, 'ready');
    expect(view.root()).toHaveAttribute('data-mode', 'qr');
    expect(view.slot('secondaryLink')).toHaveAttribute('target', '_blank');
    expect(view.posts()[0]!.body).toMatchObject({ device: 'desktop' });
  });
});

describe('opened by a tap on this device: the link stays, so the person can get back into the check', () => {
  it.each([
    ['_self', () => en.openedReturnTitle],
    ['_blank', () => en.openedLinkTitle],
  ] as const)('%s: the title fits, "Continue the check" (primaryLink, the same link) beside "Start again"', async (target, title) => {
    const view = renderOn(IPHONE, { linkTarget: target });
    await until(view.root, 'ready');
    act(() => {
      fireEvent.click(view.slot('primaryLink')!);
    });
    await until(view.root, 'opened');
    expect(view.root()).toHaveTextContent(title());
    const link = view.slot('primaryLink')!;
    expect(link).toHaveTextContent(en.continueLinkButton);
    expect(link).toHaveAttribute('href', LINK);
    expect(link).toHaveAttribute('target', target);
    expect(link).toHaveAttribute('rel', 'noopener noreferrer');
    expect(view.slot('startAgain')).toHaveTextContent(en.startAgainButton);
    if (target === '_self') expect(view.root()).not.toHaveTextContent(/new tab/i);
  });

  it('a phone that scanned a desktop’s code has the check: no link on the desktop', async () => {
    const view = renderOn(DESKTOP, {}, { status: [statusReply('pending', { openedAt: '2026-01-01T00:00:01.000Z' })], session: () => ({ eventsUrl: undefined }) });
    await until(view.root, 'opened');
    expect(view.slot('primaryLink')).toBeNull();
    expect(view.slot('secondaryLink')).toBeNull();
  });

  it.each([zhCN, zhTW, enLocale].map((locale) => [locale.code, locale] as const))('every new text exists in %s', (_code, locale) => {
    for (const key of ['linkInstructionNewTab', 'openedReturnTitle', 'openedReturnText', 'continueLinkButton', 'finishedElsewhereVerifiedText', 'finishedElsewhereFailedText'] as const) {
      expect(locale.displayText[key]).toBeTruthy();
    }
  });
});

describe('a tab sent back with a session it did not create', () => {
  it.each([
    ['verified', () => en.finishedElsewhereVerifiedText],
    ['failed', () => en.finishedElsewhereFailedText],
  ] as const)('shows the %s outcome read from the server, stays idle, creates nothing', async (status, text) => {
    window.history.replaceState(null, '', '/?livenessSessionId=sess_elsewhere');
    const view = renderOn(
      IPHONE,
      {},
      { statusOf: (url) => (url === statusUrlOf('sess_elsewhere') ? statusReply(status, status === 'verified' ? { groupId: 'grp_x' } : { reason: 'liveness' }) : undefined) },
    );
    await waitFor(() => expect(view.root()).toHaveTextContent(text()));
    expect(view.root()).toHaveAttribute('data-state', 'idle');
    expect(view.posts()).toHaveLength(0);
    expect(view.root()).not.toHaveTextContent('grp_x');
  });

  it('an outcome it cannot read: the plain "finished elsewhere" text', async () => {
    window.history.replaceState(null, '', '/?livenessSessionId=sess_elsewhere');
    const view = renderOn(IPHONE, {}, { statusOf: () => ({ kind: 'json', status: 404, body: { error: { code: 'not_found', message: 'x' } } }) });
    await until(view.root, 'idle');
    await act(() => new Promise((done) => setTimeout(done, 20)));
    expect(screen.getByText(en.finishedElsewhereText)).toBeInTheDocument();
  });
});
