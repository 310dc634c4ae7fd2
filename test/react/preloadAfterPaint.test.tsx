// Issue 27: once a code is shown, the views its page may need next (opened, outcome, error) load when the
// page is idle after the frame that paints the code. An idle callback alone came first in Chromium: the
// trace of the time-to-QR bench showed these chunks loading between the code's commit and its paint,
// 2.5 ms each. So the wait starts from a requestAnimationFrame (it runs before that paint, a task it
// queues after it): while no frame has come, nothing loads.
import { render, waitFor } from '@testing-library/react';
import { afterEach, expect, it, vi } from 'vitest';
import { LivenessSession } from '../../src/react/LivenessSession';
import * as parts from '../../src/react/lazyParts';
import { loadsOf, type Gates } from './gatedParts';
import { createBackend, ENDPOINT, newQueryClient, statusReply } from './helpers';

const gates = vi.hoisted((): Gates => ({}));

vi.mock('../../src/react/lazyParts', async (original) => (await import('./gatedParts')).gatedParts(gates, await original()));

afterEach(() => {
  vi.unstubAllGlobals();
});

/** `requestAnimationFrame` held: frames run only when the test says (cancelled ones never). */
function heldFrames() {
  const frames: (FrameRequestCallback | undefined)[] = [];
  vi.stubGlobal('requestAnimationFrame', (callback: FrameRequestCallback) => frames.push(callback));
  vi.stubGlobal('cancelAnimationFrame', (id: number) => (frames[id - 1] = undefined));
  return {
    pending: () => frames.filter(Boolean).length,
    run: () => frames.splice(0).forEach((callback) => callback?.(performance.now())),
  };
}

// First in the file: the parts load once per module, so this one must see them not loaded yet.
it('a code gone before its frame (unmounted) leaves nothing behind: the frame is cancelled and nothing loads', async () => {
  const frames = heldFrames();
  const server = createBackend({ status: [statusReply('pending')] });
  const view = render(<LivenessSession endpoint={ENDPOINT} fetch={server.fetch} queryClient={newQueryClient()} mode="qr" />);
  await waitFor(() => expect(view.container.querySelector('[data-liveness-session]')).toHaveAttribute('data-state', 'ready'));
  view.unmount();
  expect(frames.pending()).toBe(0);
  frames.run();
  await new Promise((resolve) => setTimeout(resolve, 100));
  expect(loadsOf(gates, parts)).toMatchObject({ openedView: 0, outcomeView: 0, errorMessage: 0 });
});

it('the views a shown code may lead to load after the frame that paints it, not in an idle moment before', async () => {
  const frames = heldFrames();
  const server = createBackend({ status: [statusReply('pending')] });
  const view = render(<LivenessSession endpoint={ENDPOINT} fetch={server.fetch} queryClient={newQueryClient()} mode="qr" />);
  const root = () => view.container.querySelector<HTMLElement>('[data-liveness-session]')!;
  await waitFor(() => expect(root()).toHaveAttribute('data-state', 'ready'));
  // Tasks and idle moments, but no frame yet: the code is not painted, nothing of the next views loads.
  await new Promise((resolve) => setTimeout(resolve, 100));
  const loads = () => loadsOf(gates, parts);
  expect(loads()).toMatchObject({ openedView: 0, outcomeView: 0, errorMessage: 0 });
  // The frame comes (its callbacks run before its paint); the page is idle after it: they load, once.
  expect(frames.pending()).toBeGreaterThan(0);
  frames.run();
  await waitFor(() => expect(loads()).toMatchObject({ openedView: 1, outcomeView: 1, errorMessage: 1 }));
  view.unmount();
});
