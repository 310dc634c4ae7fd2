import { createLivenessHandler, type LivenessHandler, type LivenessHandlerOptions, type LivenessServerEvent, type StoredSession } from '../../src/server.js';
import { createMockUpstream, type MockUpstream, type MockUpstreamOptions } from '../../src/testing.js';
import type { AssetErrorResponseBody } from '../../src/core/wire/assetProtocol.js';
import type { CreateSessionResponse, SessionStatusResponse } from '../../src/core/wire/protocol.js';
import { expect } from 'vitest';

/** Looks like a real key on purpose, so the secret scans have something distinctive to look for. */
export const API_KEY = 'sk-anyfast-TESTKEY-8d1f3c9a7b6e5d4c';
export const PUBLIC_URL = 'https://app.example.test';
export const UPSTREAM_URL = 'https://upstream.example.test';
export const BASE = '/api/liveness';

export interface Setup {
  mock: MockUpstream;
  handler: LivenessHandler;
  events: LivenessServerEvent[];
}

/** A handler wired to a fresh mock upstream through an injected fetch (no network). */
export function setup(options: Partial<LivenessHandlerOptions> = {}, mockOptions: MockUpstreamOptions = {}): Setup {
  const mock = createMockUpstream({ apiKey: API_KEY, ...mockOptions });
  const events: LivenessServerEvent[] = [];
  const handler = createLivenessHandler({
    apiKey: API_KEY,
    upstreamUrl: UPSTREAM_URL,
    publicUrl: PUBLIC_URL,
    fetch: (input, init) => mock(new Request(input, init)),
    // Most tests create many sessions quickly; the limiter has its own tests.
    upstreamRateLimit: false,
    onEvent: (event) => events.push(event),
    ...options,
  });
  return { mock, handler, events };
}

export function request(path: string, init?: RequestInit): Request {
  return new Request(new URL(path, PUBLIC_URL), init);
}

export function postSession(handler: LivenessHandler, body: unknown = {}, headers: Record<string, string> = {}): Promise<Response> {
  return handler(
    request(`${BASE}/sessions`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', ...headers },
      body: typeof body === 'string' ? body : JSON.stringify(body),
    }),
  );
}

export async function createSession(handler: LivenessHandler, body: unknown = {}): Promise<CreateSessionResponse> {
  const response = await postSession(handler, body);
  if (response.status !== 201) throw new Error(`expected 201, got ${response.status}: ${await response.text()}`);
  return (await response.json()) as CreateSessionResponse;
}

export async function getStatus(handler: LivenessHandler, id: string): Promise<SessionStatusResponse> {
  const response = await handler(request(`${BASE}/sessions/${id}`));
  if (response.status !== 200) throw new Error(`expected 200, got ${response.status}`);
  return (await response.json()) as SessionStatusResponse;
}

/**
 * A create answer's body, as the wire protocol types it, with every optional field: this handler fills
 * them all in (test/server/routes/createSession.test.ts checks the list).
 */
export async function createdBody(response: Response): Promise<Required<CreateSessionResponse>> {
  return (await response.json()) as Required<CreateSessionResponse>;
}

/** A status answer's body, as the wire protocol types it. */
export async function statusBody(response: Response): Promise<SessionStatusResponse> {
  return (await response.json()) as SessionStatusResponse;
}

/** What an error answer says: `{ code, message }`, and the asset routes' `reason`. */
export type ErrorInBody = AssetErrorResponseBody['error'];

/** The `error` of an error answer's body. */
export async function errorBody(response: Response): Promise<ErrorInBody> {
  return errorInText(await response.text());
}

/** The `error` of an error answer's body, from its text. */
export function errorInText(text: string): ErrorInBody {
  return (JSON.parse(text) as AssetErrorResponseBody).error;
}

/** Largest number of timestamps inside any window of `ms` starting at one of them. */
export function busiestWindow(times: readonly number[], ms: number): number {
  const sorted = [...times].sort((a, b) => a - b);
  let most = 0;
  for (let i = 0, j = 0; i < sorted.length; i += 1) {
    while (sorted[j]! <= sorted[i]! - ms) j += 1;
    most = Math.max(most, i - j + 1);
  }
  return most;
}

/**
 * What a budget shared by several instances must show, whatever the instances answered: every upstream
 * create the mock saw succeeded (the mock enforces the documented limit itself: a call over it would
 * have come back 429), never more than 3 in any second, one 201 per upstream create, and nothing but
 * 201 and 429 answered.
 */
export function expectSharedBudget(mock: MockUpstream, statuses: readonly number[]): void {
  const creates = mock.calls.filter((call) => call.action === 'create');
  expect(creates.every((call) => call.status === 200)).toBe(true);
  expect(
    busiestWindow(
      creates.map((call) => call.at),
      1000,
    ),
  ).toBeLessThanOrEqual(3);
  expect(statuses.filter((status) => status === 201)).toHaveLength(creates.length);
  expect(statuses.filter((status) => status !== 201 && status !== 429)).toEqual([]);
}

/** The byted token the mock issued for a link. */
export function tokenOf(h5Link: string): string {
  const token = new URL(h5Link).searchParams.get('bytedToken');
  if (!token) throw new Error('link without bytedToken');
  return token;
}

/**
 * What a phone does: open the short QR URL, follow it to the simulated H5 page, press a button, follow
 * the mock's redirect to the handler's callback. Returns every response along the way.
 */
export async function phoneFlow(
  { mock, handler }: Pick<Setup, 'mock' | 'handler'>,
  created: CreateSessionResponse,
  outcome: 'pass' | 'fail',
  /** `qr`: the phone scanned the QR code (short link); `link`: the person tapped the H5 link on this device. */
  via: 'qr' | 'link' = 'qr',
  /** The phone's device cookie, when it opened the short link before (the link works for that phone only). */
  cookie?: string,
): Promise<{ responses: Response[]; callback: Response; callbackUrl: string }> {
  const responses: Response[] = [];
  let pageUrl = created.h5Link;
  if (via === 'qr') {
    const short = await handler(new Request(created.qrUrl!, cookie ? { headers: { Cookie: cookie } } : {}));
    responses.push(short);
    if (short.status !== 302) throw new Error(`qr redirect answered ${short.status}`);
    pageUrl = short.headers.get('Location')!;
  }
  const page = await mock(new Request(pageUrl));
  responses.push(page);
  const html = await page.clone().text();
  if (!html.includes('value="pass"')) throw new Error('H5 page has no Pass button');
  // Submit the form the way a browser would: its action resolved against the page URL.
  const action = /<form method="post" action="([^"]+)">/.exec(html)?.[1];
  if (!action) throw new Error('H5 page has no form');
  const decide = await mock(
    new Request(new URL(action.replace(/&amp;/g, '&'), pageUrl), {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ bytedToken: tokenOf(pageUrl), outcome }).toString(),
    }),
  );
  responses.push(decide);
  const callbackUrl = decide.headers.get('Location');
  if (decide.status !== 302 || !callbackUrl) throw new Error(`decide answered ${decide.status}`);
  const callback = await handler(new Request(callbackUrl));
  responses.push(callback);
  return { responses, callback, callbackUrl };
}

/** A controllable clock for expiry tests. */
export function fakeClock(start = Date.UTC(2026, 6, 2, 12, 0, 0)) {
  let now = start;
  return {
    now: () => now,
    advance(ms: number) {
      now += ms;
    },
  };
}

/**
 * A pending session as a store holds it, created at `now`: it expires 1 s later and is purged 2 s later
 * (the memory store's tests count on both); `overrides` replace any field.
 */
export function session(id: string, now: number, overrides: Partial<StoredSession> = {}): StoredSession {
  return {
    id,
    version: 0,
    qrUrl: `https://app.example.test/api/liveness/l/${id}`,
    status: 'pending',
    bytedToken: `token-${id}`,
    h5Link: `https://h5.example.test/?t=${id}`,
    createdAt: now,
    expiresAt: now + 1000,
    purgeAt: now + 2000,
    ...overrides,
  };
}

// The real setImmediate, taken before any test fakes the timers: one turn of it lets work that waits
// on no timer (crypto.subtle digests on libuv's thread pool, stream reads) move on.
const realSetImmediate = globalThis.setImmediate;
const realTurn = () => new Promise<void>((done) => realSetImmediate(done));

/**
 * With fake timers on: advances them in `stepMs` steps until `promise` settles (at most `maxMs` of fake
 * time), so an await inside the handler that waits on a timer (a timeout, a back-off) can finish.
 * Fake time moves only while a timer is pending, and every step gives real work a turn: otherwise a
 * loaded machine whose SHA-256 digest is slow spends all of `maxMs` before the handler has set the
 * timer it waits on, and the test hangs until its timeout.
 */
export async function settle<T>(promise: Promise<T>, { stepMs = 100, maxMs = 120_000 } = {}): Promise<T> {
  const { vi } = await import('vitest');
  let done = false;
  promise.then(
    () => (done = true),
    () => (done = true),
  );
  for (let spent = 0; !done && spent < maxMs;) {
    if (vi.getTimerCount() > 0) {
      await vi.advanceTimersByTimeAsync(stepMs);
      spent += stepMs;
    }
    await realTurn();
  }
  return promise;
}

/** With fake timers on: lets `ms` of fake time pass, in steps, running every timer due on the way. */
export async function elapse(ms: number, stepMs = 250): Promise<void> {
  const { vi } = await import('vitest');
  for (let spent = 0; spent < ms; spent += stepMs) await vi.advanceTimersByTimeAsync(Math.min(stepMs, ms - spent));
}

/** Result calls that got a GroupId: each one spends its token, so this counts the spent tokens. */
export function successfulResults(mock: MockUpstream): number {
  return [...mock.sessions.values()].filter((session) => session.state === 'consumed').length;
}
