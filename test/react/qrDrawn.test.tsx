// Issue 29, item 4: the QR encoder is a lazy chunk, so `data-state="ready"` can come before the code
// is drawn (a production build shows the placeholder for a moment). The root's `data-qr` says which:
// `pending` while the encoder loads, `drawn` once the code's SVG is in the DOM, absent when no code is
// shown. Here the encoder's module is held back behind a gate, as a slow network would.
import { render, waitFor } from '@testing-library/react';
import { renderToString } from 'react-dom/server';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { LivenessSession, type LivenessSessionProps } from '../../src/react/LivenessSession';
import { createFetch, ENDPOINT, newQueryClient, sessionReply, statusReply } from './helpers';

const gate = vi.hoisted(() => {
  let open!: () => void;
  const opened = new Promise<void>((resolve) => (open = resolve));
  return { open, opened };
});

vi.mock('../../src/react/views/QrCodeImage', async (importOriginal) => {
  await gate.opened;
  return importOriginal();
});

afterEach(() => {
  vi.restoreAllMocks();
});

function renderSession(props: Partial<LivenessSessionProps> = {}, replies = [sessionReply()]) {
  const { fetch } = createFetch(...replies);
  const view = render(<LivenessSession endpoint={ENDPOINT} fetch={fetch} queryClient={newQueryClient()} {...props} />);
  const root = () => view.container.querySelector<HTMLElement>('[data-liveness-session]')!;
  const svg = () => view.container.querySelector('[data-slot="qrCode"] svg');
  return { ...view, root, svg };
}

// The tests run in order: the first sees the encoder still loading, the later ones see it loaded.
describe('data-qr on the root', () => {
  it('is absent on the server and in link mode', async () => {
    const html = renderToString(<LivenessSession endpoint={ENDPOINT} fetch={createFetch(sessionReply()).fetch} queryClient={newQueryClient()} />);
    expect(html).not.toContain('data-qr');
    const { root, unmount } = renderSession({ mode: 'link' });
    await waitFor(() => expect(root()).toHaveAttribute('data-state', 'ready'));
    expect(root()).not.toHaveAttribute('data-qr');
    unmount();
  });

  it('is pending while the encoder loads (ready, no code yet), then drawn with the code in the same commit', async () => {
    const seen: string[] = [];
    const { root, svg, container } = renderSession({ mode: 'qr' });
    // Every state of the root the DOM goes through, with whether the code is there at that moment.
    const observer = new MutationObserver(() => {
      const element = root();
      if (element) seen.push(`${element.getAttribute('data-state')}/${element.getAttribute('data-qr')}/${svg() ? 'svg' : 'none'}`);
    });
    observer.observe(container, { subtree: true, childList: true, attributes: true });
    await waitFor(() => expect(root()).toHaveAttribute('data-state', 'ready'));
    expect(root()).toHaveAttribute('data-qr', 'pending');
    expect(svg()).toBeNull();
    gate.open();
    await waitFor(() => expect(root()).toHaveAttribute('data-qr', 'drawn'));
    expect(svg()).not.toBeNull();
    observer.disconnect();
    // Never "drawn" without the code, never the code while "pending".
    expect(seen.filter((entry) => entry.includes('/drawn/none') || entry.includes('/pending/svg'))).toEqual([]);
    expect(seen).toContain('ready/drawn/svg');
  });

  it('is drawn in the very commit that shows ready once the encoder is loaded', async () => {
    const seen: string[] = [];
    const { root, svg, container } = renderSession({ mode: 'qr' });
    const observer = new MutationObserver(() => {
      const element = root();
      if (element?.getAttribute('data-state') === 'ready') seen.push(`${element.getAttribute('data-qr')}/${svg() ? 'svg' : 'none'}`);
    });
    observer.observe(container, { subtree: true, childList: true, attributes: true });
    await waitFor(() => expect(root()).toHaveAttribute('data-qr', 'drawn'));
    observer.disconnect();
    expect(seen[0]).toBe('drawn/svg');
  });

  it('goes away with the code (opened)', async () => {
    const { root } = renderSession({ mode: 'qr', pollIntervalMs: 50, transport: 'poll' }, [
      sessionReply({ statusUrl: `${ENDPOINT}/sess_1` }),
      statusReply('pending', { openedAt: '2026-07-02T12:00:00.000Z' }),
    ]);
    await waitFor(() => expect(root()).toHaveAttribute('data-state', 'opened'));
    expect(root()).not.toHaveAttribute('data-qr');
  });
});
