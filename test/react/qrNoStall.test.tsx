// Issue 27, item 1: the QR code could appear about 300 ms after its encoder had loaded. The encoder is a
// lazily loaded chunk; rendered through React.lazy under <Suspense>, a code shown before the chunk is
// there commits the fallback, and React 19 then holds the boundary's content back for its reveal
// throttle (300 ms after the fallback was shown). The encoder is
// now a lazy part read synchronously: no Suspense boundary at all, a placeholder of the code's size
// while it loads, the code in the commit that follows its arrival. The encoder's module is held back
// here behind a gate, as a slow network would hold it.
import { render, waitFor } from '@testing-library/react';
import { describe, expect, it, vi } from 'vitest';
import { LivenessSession, type LivenessSessionProps } from '../../src/react/LivenessSession';
import { qrCodeImage } from '../../src/react/lazyParts';
import { createFetch, ENDPOINT, flushMicrotasks, newQueryClient, sessionReply } from './helpers';

const gate = vi.hoisted(() => {
  let open!: () => void;
  const opened = new Promise<void>((resolve) => (open = resolve));
  return { open, opened };
});

vi.mock('../../src/react/views/QrCodeImage', async (importOriginal) => {
  await gate.opened;
  return importOriginal();
});

function renderQr(props: Partial<LivenessSessionProps> = {}) {
  const { fetch } = createFetch(sessionReply());
  const view = render(<LivenessSession endpoint={ENDPOINT} fetch={fetch} queryClient={newQueryClient()} mode="qr" {...props} />);
  const root = () => view.container.querySelector<HTMLElement>('[data-liveness-session]')!;
  const code = () => view.container.querySelector<HTMLElement>('[data-slot="qrCode"]');
  const svg = () => code()?.querySelector('svg') ?? null;
  // Every state the DOM goes through: the root's state and data-qr, and what the code's slot holds.
  const seen: string[] = [];
  const observer = new MutationObserver(() => {
    const element = root();
    if (!element) return;
    const slot = code();
    const holds = !slot ? 'no slot' : svg() ? 'svg' : slot.firstElementChild ? 'placeholder' : 'empty';
    seen.push(`${element.getAttribute('data-state')}/${element.getAttribute('data-qr')}/${holds}`);
  });
  observer.observe(view.container, { subtree: true, childList: true, attributes: true });
  return { ...view, root, code, svg, seen, stop: () => observer.disconnect() };
}

// In order: the first test sees the encoder still loading, the second sees it loaded.
describe('the QR code, drawn without a stall (issue 27)', () => {
  it('a slow encoder: a placeholder keeps the code’s footprint, then the code replaces it as soon as the encoder is there (no Suspense reveal throttle)', async () => {
    const { root, code, svg, seen, stop } = renderQr({ qr: { size: 180 }, theme: { qrBackground: '#fafafa' } });
    await waitFor(() => expect(root()).toHaveAttribute('data-qr', 'pending'));
    const placeholder = code()!.firstElementChild as HTMLElement;
    expect(svg()).toBeNull();
    expect(placeholder.style.width).toBe('180px');
    expect(placeholder.style.height).toBe('180px');
    expect(placeholder.style.display).toBe('inline-block');
    expect(placeholder.style.background).toBe('rgb(250, 250, 250)');

    gate.open();
    // Outside act(), as in a browser: the code must be in the DOM once the microtasks queued by the
    // encoder's arrival have run, before any task or timer. A Suspense boundary that showed its
    // fallback reveals its content in a later task, held back by React's reveal throttle (300 ms).
    const actEnvironment = (globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean }).IS_REACT_ACT_ENVIRONMENT;
    (globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean }).IS_REACT_ACT_ENVIRONMENT = false;
    try {
      await qrCodeImage.load();
      await flushMicrotasks();
      expect(svg()).not.toBeNull();
      expect(root()).toHaveAttribute('data-qr', 'drawn');
    } finally {
      (globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean }).IS_REACT_ACT_ENVIRONMENT = actEnvironment;
    }
    stop();
    expect(seen.filter((entry) => entry.endsWith('/drawn/placeholder') || entry.endsWith('/pending/svg'))).toEqual([]);
  });

  it('the encoder already loaded: ready and the drawn code come in one commit, and no placeholder is ever in the DOM', async () => {
    await qrCodeImage.load();
    const { root, seen, stop } = renderQr();
    await waitFor(() => expect(root()).toHaveAttribute('data-qr', 'drawn'));
    stop();
    const ready = seen.filter((entry) => entry.startsWith('ready/'));
    expect(ready[0]).toBe('ready/drawn/svg');
    expect(seen.filter((entry) => entry.includes('placeholder'))).toEqual([]);
  });
});
