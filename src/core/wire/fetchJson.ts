import { defined } from '../defined.js';
import { isObject } from '../isObject.js';
import { livenessError, LivenessErrorCode, type LivenessError } from '../LivenessError.js';
import { parseRetryAfter } from './parseRetryAfter.js';
import { readCappedText } from './readCappedText.js';
import type { ServerClock } from '../lifecycle/ServerClock.js';

/** Largest answer body read from the backend; real answers are under 2 KiB. */
export const MAX_RESPONSE_BYTES = 64 * 1024;

export interface FetchJsonInit {
  method: string;
  headers?: Record<string, string> | undefined;
  credentials?: RequestCredentials | undefined;
  body?: string | undefined;
  fetch?: typeof globalThis.fetch | undefined;
  /** Aborts the request when the caller goes away (unmount, reset). */
  signal?: AbortSignal | undefined;
  /** Request timeout in ms; 0 or less disables it. */
  timeoutMs: number;
  /** Learns the backend's time from a successful answer (its `Date` header, `expiresAt` and `expiresInMs`). */
  clock?: ServerClock | undefined;
}

async function readCapped(response: Response): Promise<string> {
  const declared = Number(response.headers.get('content-length'));
  if (Number.isFinite(declared) && declared > MAX_RESPONSE_BYTES) throw new Error('too large');
  const text = await readCappedText(response.body, MAX_RESPONSE_BYTES);
  if (text === null) throw new Error('too large');
  return text;
}

/**
 * One JSON request to the app's backend with a timeout, an abort signal, a size cap and typed errors.
 * Errors never carry the response body: a hostile backend cannot push text into the UI or logs.
 */
export async function fetchJson(url: string, init: FetchJsonInit): Promise<unknown> {
  const controller = new AbortController();
  let timedOut = false;
  const onAbort = () => controller.abort();
  if (init.signal?.aborted) throw livenessError(LivenessErrorCode.aborted, process.env.NODE_ENV !== 'production' && 'The request was cancelled.');
  init.signal?.addEventListener('abort', onAbort, { once: true });
  const timer =
    init.timeoutMs > 0
      ? setTimeout(() => {
          timedOut = true;
          controller.abort();
        }, init.timeoutMs)
      : undefined;
  const failure = (error: unknown): LivenessError => {
    if (timedOut) return livenessError(LivenessErrorCode.timeout, process.env.NODE_ENV !== 'production' && 'The server took too long to answer.', { cause: error });
    if (init.signal?.aborted) return livenessError(LivenessErrorCode.aborted, process.env.NODE_ENV !== 'production' && 'The request was cancelled.', { cause: error });
    return livenessError(LivenessErrorCode.network, process.env.NODE_ENV !== 'production' && 'The server could not be reached.', { cause: error });
  };
  try {
    const doFetch = init.fetch ?? globalThis.fetch;
    const sentAt = Date.now();
    let receivedAt = sentAt;
    let response: Response;
    try {
      const headers: Record<string, string> = { Accept: 'application/json', ...init.headers };
      if (init.body !== undefined) headers['Content-Type'] = 'application/json';
      const requestInit = defined<RequestInit>({
        method: init.method,
        headers,
        signal: controller.signal,
        cache: 'no-store',
        credentials: init.credentials || undefined,
        body: init.body,
      });
      response = await doFetch(url, requestInit);
      receivedAt = Date.now();
    } catch (error) {
      throw failure(error);
    }
    let text: string;
    try {
      text = await readCapped(response);
    } catch (error) {
      if (timedOut || init.signal?.aborted) throw failure(error);
      if (!response.ok) text = '';
      else throw livenessError(LivenessErrorCode.invalidResponse, process.env.NODE_ENV !== 'production' && 'The server answer was too large or unreadable.', { cause: error });
    }
    let json: unknown;
    let parsed = false;
    try {
      json = text === '' ? undefined : JSON.parse(text);
      parsed = text !== '';
    } catch {
      parsed = false;
    }
    if (!response.ok) {
      const retryAfterMs = parseRetryAfter(response.headers.get('retry-after'));
      const errorBody = parsed && isObject(json) ? (json.error as { code?: unknown } | undefined) : undefined;
      const serverCode = typeof errorBody?.code === 'string' && errorBody.code.length <= 128 ? errorBody.code : undefined;
      // LivenessError leaves out the options that are undefined.
      throw livenessError(LivenessErrorCode.http, process.env.NODE_ENV !== 'production' && `The server answered with HTTP ${response.status}.`, {
        status: response.status,
        retryAfterMs,
        serverCode,
      });
    }
    if (!parsed) throw livenessError(LivenessErrorCode.invalidResponse, process.env.NODE_ENV !== 'production' && 'The server answer was not JSON.');
    init.clock?.learn(sentAt, receivedAt, response.headers.get('date'), json);
    return json;
  } finally {
    if (timer !== undefined) clearTimeout(timer);
    init.signal?.removeEventListener('abort', onAbort);
  }
}
