import { resolveEndpoint, type Endpoint } from './endpoint.js';
import { fetchJson } from './fetchJson.js';
import { isOwnSessionShape, parseOwnSession, type ParseSessionOptions, type SessionData } from './parseOwnSession.js';
import { IDEMPOTENCY_KEY_HEADER, type CreateSessionRequest } from './protocol.js';
import type { ServerClock } from '../lifecycle/ServerClock.js';

/**
 * Default time a create request may take. A relaying gateway can hold the connection 12 s and more,
 * and the server's own upstream timeout is 30 s: the browser must outwait the server, or it gives up
 * on (and retries) a session the upstream already made and billed.
 */
export const DEFAULT_CREATE_TIMEOUT_MS = 40_000;

export interface RequestSessionOptions extends ParseSessionOptions {
  endpoint: Endpoint;
  body?: CreateSessionRequest | undefined;
  fetch?: typeof globalThis.fetch | undefined;
  signal?: AbortSignal | undefined;
  /** @default 40000 */
  timeoutMs?: number | undefined;
  /** Sent as `Idempotency-Key`: the same for every try of one session attempt, so the server makes one session. */
  idempotencyKey?: string | undefined;
  clock?: ServerClock | undefined;
}

/** Asks the app's backend for a new session and returns it parsed and validated. No React. */
export async function requestSession(options: RequestSessionOptions): Promise<SessionData> {
  const endpoint = resolveEndpoint(options.endpoint);
  const json = await fetchJson(endpoint.url, {
    method: endpoint.method,
    headers: options.idempotencyKey ? { ...endpoint.headers, [IDEMPOTENCY_KEY_HEADER]: options.idempotencyKey } : endpoint.headers,
    credentials: endpoint.credentials,
    body: JSON.stringify(options.body ?? {}),
    timeoutMs: options.timeoutMs ?? DEFAULT_CREATE_TIMEOUT_MS,
    fetch: options.fetch,
    signal: options.signal,
    clock: options.clock,
  });
  // Another backend's shape (a proxy, a gateway) is parsed by code loaded only for it.
  const session = isOwnSessionShape(json) ? parseOwnSession(json, options) : (await import('./parseGatewaySession.js')).parseGatewaySession(json, options);
  // A relative statusUrl is relative to the endpoint, not to the page.
  if (session.statusUrl && !/^https?:\/\//i.test(session.statusUrl)) {
    const base = typeof location === 'undefined' ? undefined : location.href;
    try {
      session.statusUrl = new URL(session.statusUrl, new URL(endpoint.url, base)).toString();
    } catch {
      // Leave it relative; fetch resolves it against the page.
    }
  }
  return session;
}
