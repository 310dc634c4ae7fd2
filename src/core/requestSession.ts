import { resolveEndpoint, type Endpoint } from './endpoint.js';
import { fetchJson } from './fetchJson.js';
import { parseSessionResponse, type ParseSessionOptions, type SessionData } from './parseSessionResponse.js';
import type { CreateSessionRequest } from './protocol.js';

export interface RequestSessionOptions extends ParseSessionOptions {
  endpoint: Endpoint;
  body?: CreateSessionRequest | undefined;
  fetch?: typeof globalThis.fetch | undefined;
  signal?: AbortSignal | undefined;
  /** @default 15000 */
  timeoutMs?: number | undefined;
}

/** Asks the app's backend for a new session and returns it parsed and validated. No React. */
export async function requestSession(options: RequestSessionOptions): Promise<SessionData> {
  const endpoint = resolveEndpoint(options.endpoint);
  const json = await fetchJson(endpoint.url, {
    method: endpoint.method,
    headers: endpoint.headers,
    credentials: endpoint.credentials,
    body: JSON.stringify(options.body ?? {}),
    timeoutMs: options.timeoutMs ?? 15_000,
    fetch: options.fetch,
    signal: options.signal,
  });
  const session = parseSessionResponse(json, options);
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
