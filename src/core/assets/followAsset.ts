import { isObject } from '../isObject.js';
import type { LivenessError } from '../LivenessError.js';
import type { AssetFailureReason, AssetStatusResponse } from '../wire/assetProtocol.js';
import { fetchJson } from '../wire/fetchJson.js';

export interface FollowAssetOptions {
  statusUrl: string;
  /** Server-Sent Events of the status, used instead of polling while they flow. */
  eventsUrl: string | undefined;
  headers: Record<string, string>;
  credentials: RequestCredentials;
  fetch: typeof globalThis.fetch | undefined;
  intervalMs: number;
  /** Each status read or pushed; the follower stops by itself once it is `active` or `failed`. */
  onStatus: (status: AssetStatusResponse) => void;
  /** The asset cannot be read (404: another user signed in, or it was forgotten): the follower stops. */
  onGone: (error: LivenessError) => void;
}

const REASONS: readonly AssetFailureReason[] = ['face_mismatch', 'invalid_media', 'unknown'];

/** A status answer, or `undefined` when it is not one. */
export function parseAssetStatus(json: unknown): AssetStatusResponse | undefined {
  if (!isObject(json) || typeof json.assetId !== 'string') return undefined;
  const { status, reason } = json;
  if (status !== 'processing' && status !== 'active' && status !== 'failed') return undefined;
  return {
    assetId: json.assetId,
    status,
    ...(status === 'failed' ? { reason: REASONS.includes(reason as AssetFailureReason) ? (reason as AssetFailureReason) : 'unknown' } : {}),
  };
}

/**
 * Follows one asset until the server says `active` or `failed`: over its event stream when there is
 * one (and `EventSource`, and no custom headers, which it cannot send), with a status read at the poll
 * interval while the stream is down; by polling otherwise. Failed reads back off (doubling, up to 30 s,
 * honouring `Retry-After`). A hidden tab asks nothing; it reads once when it is shown again. The server
 * shares one upstream listing per group, so following costs the upstream nothing per browser.
 */
export function followAsset(options: FollowAssetOptions): () => void {
  let stopped = false;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let reading: AbortController | undefined;
  let stream: EventSource | undefined;
  let streaming = false;
  let failures = 0;

  const hidden = () => typeof document !== 'undefined' && document.visibilityState === 'hidden';

  function stop(): void {
    if (stopped) return;
    stopped = true;
    clearTimeout(timer);
    reading?.abort();
    stream?.close();
    if (typeof document !== 'undefined') document.removeEventListener('visibilitychange', onVisibility);
  }

  function heard(json: unknown): void {
    const status = parseAssetStatus(json);
    if (!status || stopped) return;
    options.onStatus(status);
    if (status.status !== 'processing') stop();
  }

  function schedule(delay: number): void {
    clearTimeout(timer);
    if (!stopped && !hidden()) timer = setTimeout(read, streaming ? Math.max(delay, 30_000) : delay);
  }

  function read(): void {
    if (stopped || reading) return;
    const abort = (reading = new AbortController());
    fetchJson(options.statusUrl, { method: 'GET', headers: options.headers, credentials: options.credentials, fetch: options.fetch, signal: abort.signal, timeoutMs: 15_000 })
      .then(
        (json) => {
          failures = 0;
          heard(json);
          return options.intervalMs;
        },
        (error: LivenessError) => {
          if (error.status === 404) {
            stop();
            options.onGone(error);
          }
          failures += 1;
          return Math.min(Math.max(Math.min(options.intervalMs * 2 ** failures, 30_000), error.retryAfterMs ?? 0), 60_000);
        },
      )
      .then((delay) => {
        reading = undefined;
        schedule(delay);
      });
  }

  function onVisibility(): void {
    if (hidden()) {
      clearTimeout(timer);
      stream?.close();
      stream = undefined;
      streaming = false;
    } else {
      open();
      read();
    }
  }

  function open(): void {
    if (!options.eventsUrl || stopped || typeof EventSource === 'undefined' || Object.keys(options.headers).length > 0) return;
    const source = (stream = new EventSource(options.eventsUrl, { withCredentials: options.credentials === 'include' }));
    source.onmessage = (event) => {
      streaming = true;
      try {
        heard(JSON.parse(event.data as string));
      } catch {
        // Not a status: polling decides from here.
        source.close();
        streaming = false;
      }
    };
    // Dropped or refused: poll (the browser reconnects on its own, and the next event ends the polling).
    source.onerror = () => {
      if (streaming) {
        streaming = false;
        schedule(options.intervalMs);
      }
    };
  }

  if (typeof document !== 'undefined') document.addEventListener('visibilitychange', onVisibility);
  open();
  // The upload's answer said `processing` a moment ago: the first read (or the stream) comes after an interval.
  schedule(options.intervalMs);
  return stop;
}
