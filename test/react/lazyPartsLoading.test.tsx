// Which state loads which lazily loaded part (issue 25, item 4), counted behind gates that stay shut:
// nothing alongside the first code but the encoder, the outcome and error views once a code or link is
// shown and the page is idle, the error view for a create still in flight after 300 ms, the in-app
// check in link mode, no English for a locale of its own, and each part loaded once.
import { render, waitFor } from '@testing-library/react';
import { describe, expect, it, vi } from 'vitest';
import { LivenessSession, type LivenessSessionProps } from '../../src/react/LivenessSession';
import { zhCN } from '../../src/locales';
import * as parts from '../../src/react/lazyParts';
import { loadsOf, type Gates } from './gatedParts';
import { createBackend, ENDPOINT, newQueryClient, statusReply, type BackendOptions } from './helpers';

const gates = vi.hoisted((): Gates => ({}));

vi.mock('../../src/react/lazyParts', async (original) => (await import('./gatedParts')).gatedParts(gates, await original()));

const loads = () => loadsOf(gates, parts);

function renderComponent(props: Partial<LivenessSessionProps> = {}, backend: BackendOptions = {}) {
  const server = createBackend(backend);
  const view = render(<LivenessSession endpoint={ENDPOINT} fetch={server.fetch} queryClient={newQueryClient()} {...props} />);
  const root = () => view.container.querySelector<HTMLElement>('[data-liveness-session]')!;
  return { ...view, ...server, root };
}

describe('which state loads which part', () => {
  it('each state loads the parts it makes likely, from its effects: a code or link shown its outcome and error views (once the page is idle), a slow create its error view, link mode the in-app check, a locale of its own no English', async () => {
    // Chinese, link mode: no encoder, no English; the views status requests can end in, the in-app check.
    const zh = renderComponent({ locale: zhCN, mode: 'link' }, { status: [statusReply('pending')] });
    await waitFor(() => expect(zh.root()).toHaveAttribute('data-state', 'ready'));
    // Link mode: the in-app check and the opened view (a phone reloaded after a tap opens on it) at once.
    expect(loads()).toMatchObject({ qrCodeImage: 0, laterText: 0, inAppBrowser: 1, openedView: 1, consentView: 0, countdown: 0 });
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
    expect(loads()).toMatchObject({ qrCodeImage: 1, laterText: 1, openedView: 1, outcomeView: 1, errorMessage: 1, inAppBrowser: 1 });
  });

  it('the send-link offer (issue 24) loads with a code whose session has sendUrl: not without sendUrl, not with sendLink={false}, not in link mode', async () => {
    const sendable = { session: (n: number) => ({ sendUrl: `${ENDPOINT}/sess_${n}/send`, ownerKey: 'FAKE-owner-key-0000000' }) };
    for (const [props, backend] of [
      [{ mode: 'qr' }, {}],
      [{ mode: 'qr', sendLink: false }, sendable],
      [{ mode: 'link' }, sendable],
    ] as [Partial<LivenessSessionProps>, BackendOptions][]) {
      const view = renderComponent(props, backend);
      await waitFor(() => expect(view.root()).toHaveAttribute('data-state', 'ready'));
      expect(view.root().querySelector('[data-slot="sendLinkOpen"]')).toBeNull();
      view.unmount();
    }
    expect(loads().sendLinkOffer).toBe(0);
    const offered = renderComponent({ mode: 'qr' }, sendable);
    await waitFor(() => expect(offered.root()).toHaveAttribute('data-state', 'ready'));
    // Its place is held at once; the part loads after the commit that shows it.
    expect(offered.root().querySelector('[data-slot="sendLinkOpen"]')).toBeEmptyDOMElement();
    await waitFor(() => expect(loads().sendLinkOffer).toBe(1));
  });
});
