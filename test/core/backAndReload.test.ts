import { QueryClient } from '@tanstack/react-query';
import { describe, expect, it, vi } from 'vitest';
import type { LivenessSessionOptions } from '../../src/core/lifecycle/LivenessSessionController';
import { urlOf } from '../fetchInput.js';
import { advance, NOW, installPageClock } from './pageClock.js';

// Issue 22: a phone's tab that leaves for the check and comes back without finishing it, restored
// from the back/forward cache (WebKit) or reloaded (Firefox), keeps its session: it never creates a
// second upstream session for the same person, and the outcome it learns is the server's.

const ENDPOINT = 'https://app.example.test/api/liveness/sessions';
installPageClock();

interface Call {
  method: string;
  url: string;
  headers: Record<string, string>;
  body: Record<string, unknown> | undefined;
}

/**
 * A backend that keeps its promise on `Idempotency-Key` (a repeated key gets the same session, as the
 * library's server does) unless `honoursKeys` is false; the status of each session from `status`.
 */
function backend(status: (sessionId: string) => Record<string, unknown> = () => ({ status: 'pending' }), honoursKeys = true) {
  const calls: Call[] = [];
  const byKey = new Map<string, string>();
  let sessions = 0;
  const fetch = vi.fn(async (input: string | URL | Request, init: RequestInit = {}) => {
    const method = init.method ?? 'GET';
    const headers = { ...(init.headers as Record<string, string>) };
    calls.push({ method, url: urlOf(input), headers, body: typeof init.body === 'string' ? JSON.parse(init.body) : undefined });
    if (method === 'POST') {
      const key = headers['Idempotency-Key']!;
      const id = (honoursKeys && byKey.get(key)) || `sess_${(sessions += 1)}`;
      byKey.set(key, id);
      const body = { sessionId: id, h5Link: `https://h5.example.test/a?pl=FAKE-${id}`, expiresAt: new Date(NOW + 120_000).toISOString(), statusUrl: `${ENDPOINT}/${id}` };
      return new Response(JSON.stringify(body), { status: 201, headers: { 'Content-Type': 'application/json' } });
    }
    const id = urlOf(input).split('/').pop()!;
    if (!id.startsWith('sess_')) return new Response('{"error":{"code":"not_found","message":"x"}}', { status: 404 });
    return new Response(JSON.stringify({ sessionId: id, expiresAt: new Date(NOW + 120_000).toISOString(), ...status(id) }), { status: 200, headers: { 'Content-Type': 'application/json' } });
  });
  return { fetch: fetch as unknown as typeof globalThis.fetch, calls, posts: () => calls.filter((c) => c.method === 'POST'), gets: () => calls.filter((c) => c.method === 'GET') };
}

/**
 * Mounts a controller as a page load does: fresh modules and a fresh QueryClient (nothing in memory
 * survives a reload; sessionStorage does).
 */
async function load(options: Partial<LivenessSessionOptions> & { fetch: typeof globalThis.fetch }) {
  vi.resetModules();
  const { LivenessSessionController } = await import('../../src/core/lifecycle/LivenessSessionController');
  const onVerified = vi.fn();
  const onStateChange = vi.fn();
  const controller = new LivenessSessionController({ endpoint: ENDPOINT, transport: 'poll', onVerified, onStateChange, ...options }, new QueryClient());
  controller.subscribe(() => undefined);
  return { controller, onVerified, onStateChange, snap: () => controller.getSnapshot() };
}

/** The first load of a page: its session created, the person tapped the link and left (a navigation: nothing is torn down). */
async function tappedThenLeft(server: ReturnType<typeof backend>) {
  const first = await load({ fetch: server.fetch });
  await advance(10);
  first.controller.markOpened();
}

/** This tab's resume entries that name `sessionId`. */
const entriesOf = (sessionId: string) => Object.keys(sessionStorage).filter((key) => key.includes(sessionId));

function pageTransition(type: 'pagehide' | 'pageshow', persisted: boolean) {
  const event = new Event(type);
  Object.defineProperty(event, 'persisted', { value: persisted });
  window.dispatchEvent(event);
}

describe('restored from the back/forward cache (pageshow with persisted)', () => {
  it('reads the status at once, not at the next poll, and shows the outcome reached meanwhile', async () => {
    let outcome: Record<string, unknown> = { status: 'pending' };
    const server = backend(() => outcome);
    const page = await load({ fetch: server.fetch, pollIntervalMs: 60_000 });
    await advance(10);
    page.controller.markOpened();
    expect(page.snap().status).toBe('opened');
    pageTransition('pagehide', true);
    const readsBefore = server.gets().length;
    // The person finished the check in the same tab, then came Back: the page is restored as it was.
    outcome = { status: 'verified', groupId: 'grp_1' };
    await advance(5_000);
    expect(server.gets().length).toBe(readsBefore);
    pageTransition('pageshow', true);
    await advance(10);
    expect(server.gets().length).toBe(readsBefore + 1);
    expect(page.snap().state).toEqual({ status: 'verified', sessionId: 'sess_1', groupId: 'grp_1' });
    expect(server.posts()).toHaveLength(1);
  });

  it('a pageshow that is not a restore (the first load) asks nothing more', async () => {
    const server = backend();
    await load({ fetch: server.fetch, pollIntervalMs: 60_000 });
    await advance(10);
    const reads = server.gets().length;
    pageTransition('pageshow', false);
    await advance(10);
    expect(server.gets().length).toBe(reads);
  });
});

describe('reloaded while its session is pending (Firefox reloads on Back)', () => {
  it('the same session comes back: the create repeats this tab’s Idempotency-Key, and a tapped link is opened again', async () => {
    const server = backend();
    await tappedThenLeft(server);
    const second = await load({ fetch: server.fetch });
    await advance(10);
    const [original, repeat] = server.posts();
    expect(repeat!.headers['Idempotency-Key']).toBe(original!.headers['Idempotency-Key']);
    expect(second.snap().state).toMatchObject({ status: 'opened', session: { sessionId: 'sess_1' } });
    expect(second.snap().session?.h5Link).toContain('FAKE-sess_1');
  });

  it('a link never tapped comes back ready, the same session', async () => {
    const server = backend();
    await load({ fetch: server.fetch });
    await advance(10);
    const second = await load({ fetch: server.fetch });
    await advance(10);
    expect(second.snap().state).toMatchObject({ status: 'ready', session: { sessionId: 'sess_1' } });
  });

  it('the session was decided meanwhile: the reloaded tab shows the server’s outcome', async () => {
    let outcome: Record<string, unknown> = { status: 'pending' };
    const server = backend(() => outcome);
    await tappedThenLeft(server);
    outcome = { status: 'verified', groupId: 'grp_1' };
    const second = await load({ fetch: server.fetch });
    await advance(10);
    expect(second.snap().state).toEqual({ status: 'verified', sessionId: 'sess_1', groupId: 'grp_1' });
    expect(second.onVerified).toHaveBeenCalledTimes(1);
  });

  it('a backend that ignores the key: the new session is shown as new (not opened), the old entry is forgotten', async () => {
    const server = backend(undefined, false);
    await tappedThenLeft(server);
    const second = await load({ fetch: server.fetch });
    await advance(10);
    expect(second.snap().state).toMatchObject({ status: 'ready', session: { sessionId: 'sess_2' } });
    expect(entriesOf('sess_1')).toEqual([]);
  });

  it('the repeated key refused (422: the body changed): the entry is forgotten and one new session is made', async () => {
    const server = backend();
    await tappedThenLeft(server);
    const refusing = vi.fn(async (input: string | URL | Request, init: RequestInit = {}) =>
      init.method === 'POST' && refusing.mock.calls.length === 1
        ? new Response('{"error":{"code":"idempotency_key_reused","message":"x"}}', { status: 422, headers: { 'Content-Type': 'application/json' } })
        : server.fetch(input, init),
    );
    const second = await load({ fetch: refusing });
    await advance(10);
    expect(second.snap().state).toMatchObject({ status: 'ready', session: { sessionId: 'sess_2' } });
    expect(entriesOf('sess_1')).toEqual([]);
  });

  // Seen in Firefox (issue 22): Back loaded the page, its create repeated the key, and the test reloaded
  // while the answer's body was still arriving. Firefox cut it (an unreadable answer), the controller took
  // that as the key's refusal, forgot the tapped session and made a second upstream session as the page
  // went away; the next load then showed that one, ready, not the person's check.
  it('the repeated create’s answer breaks off (a reload cut it): the entry stays and nothing more is created; the next load gets the session back, opened', async () => {
    const server = backend();
    await tappedThenLeft(server);
    const cut = vi.fn(async (input: string | URL | Request, init: RequestInit = {}) => {
      if (init.method !== 'POST') return server.fetch(input, init);
      await server.fetch(input, init);
      const body = new ReadableStream({ pull: (controller) => controller.error(new TypeError('NetworkError when attempting to fetch resource.')) });
      return new Response(body, { status: 201, headers: { 'Content-Type': 'application/json' } });
    });
    const second = await load({ fetch: cut });
    await advance(10);
    expect(server.posts()).toHaveLength(2);
    expect(second.snap().status).toBe('error');
    expect(entriesOf('sess_1')).toHaveLength(1);
    const third = await load({ fetch: server.fetch });
    await advance(10);
    expect(server.posts()).toHaveLength(3);
    expect(new Set(server.posts().map((c) => c.headers['Idempotency-Key'])).size).toBe(1);
    expect(third.snap().state).toMatchObject({ status: 'opened', session: { sessionId: 'sess_1' } });
  });

  it('only its own sessionKey’s entry: another component’s pending session is not taken', async () => {
    const server = backend();
    await load({ fetch: server.fetch, sessionKey: 'checkout' });
    await advance(10);
    const other = await load({ fetch: server.fetch, sessionKey: 'profile' });
    await advance(10);
    const [original, repeat] = server.posts();
    expect(repeat!.headers['Idempotency-Key']).not.toBe(original!.headers['Idempotency-Key']);
    expect(other.snap().session?.sessionId).toBe('sess_2');
  });

  it('the resume entry never holds the link or the token', async () => {
    const server = backend();
    const page = await load({ fetch: server.fetch });
    await advance(10);
    page.controller.markOpened();
    const stored = Object.values({ ...sessionStorage }).join(' ');
    expect(stored).not.toContain('h5.example.test');
    expect(stored).not.toContain('FAKE');
  });

  it('Start again after a reload makes one new session with a new key', async () => {
    const server = backend();
    await tappedThenLeft(server);
    const second = await load({ fetch: server.fetch });
    await advance(10);
    second.controller.retry();
    await advance(10);
    expect(server.posts()).toHaveLength(3);
    expect(new Set(server.posts().map((c) => c.headers['Idempotency-Key'])).size).toBe(2);
    expect(second.snap().session?.sessionId).toBe('sess_2');
  });
});

describe('what the create request says about the page', () => {
  it('sends the page it runs on (without livenessSessionId) as pageUrl, and the device it is told', async () => {
    // A round trip's session of another component: not this one's to pick up, so it creates.
    sessionStorage.setItem('react-liveness-session:sess_old', JSON.stringify({ statusUrl: `${ENDPOINT}/sess_old`, owner: 'other' }));
    window.history.replaceState(null, '', '/checkout?step=3&livenessSessionId=sess_old#verify');
    const server = backend();
    await load({ fetch: server.fetch, device: 'mobile', sessionKey: 'mine' });
    await advance(10);
    expect(server.posts()[0]!.body).toEqual({ locale: 'en', device: 'mobile', pageUrl: `${window.location.origin}/checkout?step=3#verify` });
  });

  it('an explicit returnUrl goes instead of pageUrl', async () => {
    const server = backend();
    await load({ fetch: server.fetch, returnUrl: 'https://app.example.test/done' });
    await advance(10);
    expect(server.posts()[0]!.body).toEqual({ locale: 'en', returnUrl: 'https://app.example.test/done' });
  });
});

describe('a tab handed a session it did not create (the check’s own tab, sent back to the app)', () => {
  it.each(['verified', 'failed'] as const)('reads its outcome once (%s) and shows it, without adopting it or creating anything', async (status) => {
    window.history.replaceState(null, '', '/?livenessSessionId=sess_9');
    const server = backend(() => (status === 'verified' ? { status, groupId: 'grp_9' } : { status, reason: 'liveness' }));
    const page = await load({ fetch: server.fetch });
    await advance(10);
    expect(page.snap()).toMatchObject({ status: 'idle', finishedElsewhere: true, elsewhereOutcome: status });
    expect(server.gets().map((c) => c.url)).toEqual([`${ENDPOINT}/sess_9`]);
    expect(server.posts()).toHaveLength(0);
    expect(page.onVerified).not.toHaveBeenCalled();
    expect(JSON.stringify(page.snap())).not.toContain('grp_9');
    await advance(60_000);
    expect(server.calls).toHaveLength(1);
  });

  it('a status it cannot read leaves the plain "finished elsewhere"', async () => {
    window.history.replaceState(null, '', '/?livenessSessionId=unknown_1');
    const server = backend();
    const page = await load({ fetch: server.fetch });
    await advance(10);
    expect(page.snap()).toMatchObject({ status: 'idle', finishedElsewhere: true, elsewhereOutcome: undefined });
  });

  it('uses statusEndpoint when the app gives one', async () => {
    window.history.replaceState(null, '', '/?livenessSessionId=sess_9');
    const server = backend(() => ({ status: 'verified', groupId: 'grp_9' }));
    await load({ fetch: server.fetch, statusEndpoint: 'https://app.example.test/api/status/:id' });
    await advance(10);
    expect(server.gets().map((c) => c.url)).toEqual(['https://app.example.test/api/status/sess_9']);
  });
});

// Last in the file: once a module has been mocked and unmocked, Vitest resolves it again on every later
// import, which takes real time; the tests above expect it to settle within a few microtasks.
describe('the code that picks a session up fails to load', () => {
  it('the code that picks the session up fails to load once: asked for again a second later, the same session, still opened', async () => {
    const server = backend();
    await tappedThenLeft(server);
    let tries = 0;
    vi.doMock('../../src/core/lifecycle/resumeEntries', async (importOriginal) => {
      tries += 1;
      if (tries === 1) throw new TypeError('error loading dynamically imported module');
      return importOriginal();
    });
    try {
      const second = await load({ fetch: server.fetch });
      await advance(1_500);
      expect(tries).toBe(2);
      // The module's second load is real work (not a timer): waited for.
      await vi.waitFor(() => expect(server.posts()).toHaveLength(2));
      await advance(10);
      const [original, repeat] = server.posts();
      expect(repeat!.headers['Idempotency-Key']).toBe(original!.headers['Idempotency-Key']);
      expect(second.snap().state).toMatchObject({ status: 'opened', session: { sessionId: 'sess_1' } });
      expect(entriesOf('sess_2')).toEqual([]);
    } finally {
      vi.doUnmock('../../src/core/lifecycle/resumeEntries');
    }
  });

  it('it cannot load at all (Firefox fails a page’s loads once the next navigation starts; or a deploy replaced it): nothing is created for a second (a page going away is gone by then), then a new session', async () => {
    const server = backend();
    await tappedThenLeft(server);
    let tries = 0;
    vi.doMock('../../src/core/lifecycle/resumeEntries', () => {
      tries += 1;
      throw new TypeError('error loading dynamically imported module');
    });
    try {
      const second = await load({ fetch: server.fetch });
      await advance(900);
      expect(tries).toBe(1);
      expect(server.posts()).toHaveLength(1);
      expect(second.snap().status).toBe('creating');
      await advance(600);
      expect(tries).toBe(2);
      expect(second.snap().state).toMatchObject({ status: 'ready', session: { sessionId: 'sess_2' } });
    } finally {
      vi.doUnmock('../../src/core/lifecycle/resumeEntries');
    }
  });
});
