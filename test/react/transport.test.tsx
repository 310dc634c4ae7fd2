import { render, waitFor } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import '../../src/core/lifecycle/eventStreamSource';
import { LivenessSession, type LivenessSessionProps } from '../../src/react/LivenessSession';
import { createFetch, ENDPOINT, newQueryClient, sessionReply } from './helpers';

// Issue 14, what a person's device does: on a desktop showing the QR code, the outcome comes over the
// event stream; a phone in link mode polls (its page is hidden while the person is on the check), and
// so does `transport="poll"`. jsdom has no EventSource: a recording stand-in counts the streams.

const opened: string[] = [];
class RecordingEventSource {
  readyState = 0;
  onopen = null;
  onmessage: ((event: MessageEvent) => void) | null = null;
  onerror = null;
  constructor(readonly url: string) {
    opened.push(url);
    // Connects at once and sends the status, then says nothing: the person has not finished.
    setTimeout(() => {
      if (this.readyState !== 0) return;
      this.readyState = 1;
      this.onmessage?.(new MessageEvent('message', { data: JSON.stringify({ sessionId: 'sess_1', status: 'pending', expiresAt: '2030-01-01T00:00:00.000Z' }) }));
    });
  }
  close() {
    this.readyState = 2;
  }
}

beforeEach(() => {
  opened.length = 0;
  vi.stubGlobal('EventSource', RecordingEventSource);
});
afterEach(() => {
  vi.unstubAllGlobals();
});

const IPHONE = 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1';

async function show(props: Partial<LivenessSessionProps>) {
  const calls = createFetch(sessionReply({ statusUrl: `${ENDPOINT}/sess_1`, eventsUrl: `${ENDPOINT}/sess_1/events` }), {
    kind: 'json',
    status: 200,
    body: { sessionId: 'sess_1', status: 'pending', expiresAt: '2030-01-01T00:00:00.000Z' },
  });
  const view = render(<LivenessSession endpoint={ENDPOINT} fetch={calls.fetch} queryClient={newQueryClient()} pollIntervalMs={50} {...props} />);
  const root = () => view.container.querySelector<HTMLElement>('[data-liveness-session]')!;
  await waitFor(() => expect(root()).toHaveAttribute('data-state', 'ready'));
  const statusRequests = () => calls.calls.filter((call) => (call.init.method ?? 'GET') === 'GET').length;
  return { view, root, statusRequests };
}

describe('<LivenessSession> transport', () => {
  it('QR mode: the outcome is awaited on the event stream (no status request in the first poll intervals)', async () => {
    const { view, statusRequests } = await show({ mode: 'qr' });
    await waitFor(() => expect(opened).toEqual([`${ENDPOINT}/sess_1/events`]));
    // Several poll intervals (50 ms here) go by without a status request.
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(statusRequests()).toBe(0);
    view.unmount();
  });

  it('link mode polls and never opens a stream', async () => {
    const { view, statusRequests } = await show({ mode: 'link' });
    await waitFor(() => expect(statusRequests()).toBeGreaterThanOrEqual(2));
    expect(opened).toEqual([]);
    view.unmount();
  });

  it('a phone (mode auto) polls from its first render on', async () => {
    vi.spyOn(navigator, 'userAgent', 'get').mockReturnValue(IPHONE);
    const { view, statusRequests, root } = await show({});
    await waitFor(() => expect(statusRequests()).toBeGreaterThanOrEqual(2));
    expect(root()).toHaveAttribute('data-mode', 'link');
    expect(opened).toEqual([]);
    view.unmount();
  });

  it('transport="poll" polls in QR mode too, and is not passed to the DOM', async () => {
    const { view, statusRequests, root } = await show({ mode: 'qr', transport: 'poll' });
    await waitFor(() => expect(statusRequests()).toBeGreaterThanOrEqual(2));
    expect(opened).toEqual([]);
    expect(root().hasAttribute('transport')).toBe(false);
    view.unmount();
  });
});
