import { vi } from 'vitest';
import { urlOf } from '../fetchInput.js';

// A stand-in for the app's backend with a clock of its own, `skewMs` off the browser's (server time =
// browser time + skewMs), that judges expiry the way the `/server` handler does: a session is
// `pending` until its `expiresAt` on the server's clock (or for as long as `holdPending` says), then
// `expired`. It tells its time the way the wire protocol allows: a `Date` header (to the second),
// `expiresInMs` (to the millisecond), both, or neither (an old backend).

export const SKEW_LINK = 'https://h5.example.test/authorization?pl=FAKE-skew-not-a-secret';
export const SKEW_ENDPOINT = 'https://app.example.test/api/liveness/sessions';

export type ClockSignal = 'date' | 'expiresInMs' | 'both' | 'none';

export interface SkewedBackendOptions {
  /** Server time minus browser time, in ms. */
  skewMs: number;
  /** Lifetime of each link on the server's clock. @default 120000 */
  ttlMs?: number;
  /** How answers carry the server's time. @default 'date' */
  clock?: ClockSignal;
  /** Keep answering `pending` for this session although it is past `expiresAt` (the server is confirming a result). */
  holdPending?: (sessionId: string) => boolean;
  /** The outcome to report instead of pending/expired, when it returns one. */
  outcome?: (sessionId: string) => Record<string, unknown> | undefined;
}

export interface SkewedCall {
  method: string;
  url: string;
  /** Browser time of the request (the fake clock under fake timers). */
  at: number;
  headers: Record<string, string>;
}

export function createSkewedBackend(options: SkewedBackendOptions) {
  const ttl = options.ttlMs ?? 120_000;
  const signal = options.clock ?? 'date';
  const serverNow = () => Date.now() + options.skewMs;
  const expiries = new Map<string, number>();
  const calls: SkewedCall[] = [];

  const respond = (status: number, body: Record<string, unknown>, expiresAt: number | undefined) => {
    const now = serverNow();
    const headers: Record<string, string> = { 'Content-Type': 'application/json' };
    if (signal === 'date' || signal === 'both') headers.Date = new Date(now).toUTCString();
    const payload = { ...body };
    if (expiresAt !== undefined && (signal === 'expiresInMs' || signal === 'both')) payload.expiresInMs = Math.max(0, expiresAt - now);
    return new Response(JSON.stringify(payload), { status, headers });
  };

  const fetch = vi.fn(async (input: string | URL | Request, init: RequestInit = {}): Promise<Response> => {
    const method = (init.method ?? 'GET').toUpperCase();
    const url = urlOf(input);
    calls.push({ method, url, at: Date.now(), headers: { ...(init.headers as Record<string, string>) } });
    if (init.signal?.aborted) throw new DOMException('The operation was aborted.', 'AbortError');
    if (method === 'POST') {
      const sessionId = `sess_${calls.filter((c) => c.method === 'POST').length}`;
      const expiresAt = serverNow() + ttl;
      expiries.set(sessionId, expiresAt);
      return respond(201, { sessionId, h5Link: SKEW_LINK, expiresAt: new Date(expiresAt).toISOString(), statusUrl: `${SKEW_ENDPOINT}/${sessionId}` }, expiresAt);
    }
    const sessionId = url.slice(url.lastIndexOf('/') + 1);
    const expiresAt = expiries.get(sessionId);
    if (expiresAt === undefined) return respond(404, { error: { code: 'not_found', message: 'fake' } }, undefined);
    const decided = options.outcome?.(sessionId);
    const status = decided ? decided : { status: serverNow() < expiresAt || options.holdPending?.(sessionId) ? 'pending' : 'expired' };
    return respond(200, { sessionId, expiresAt: new Date(expiresAt).toISOString(), ...status }, expiresAt);
  });

  return {
    fetch: fetch as unknown as typeof globalThis.fetch,
    calls,
    posts: () => calls.filter((c) => c.method === 'POST'),
    gets: () => calls.filter((c) => c.method === 'GET'),
    serverNow,
    /** When the session's link runs out, on the browser's clock. */
    localExpiryOf: (sessionId: string) => expiries.get(sessionId)! - options.skewMs,
  };
}
