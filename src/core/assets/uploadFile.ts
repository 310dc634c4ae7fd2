import { isObject } from '../isObject.js';
import { livenessError, LivenessErrorCode, type LivenessError } from '../LivenessError.js';
import type { AssetRejectionReason, CreateAssetResponse } from '../wire/assetProtocol.js';
import { parseRetryAfter } from '../wire/parseRetryAfter.js';
import { IDEMPOTENCY_KEY_HEADER } from '../wire/protocol.js';

export interface UploadRequest {
  url: string;
  method: string;
  headers: Record<string, string>;
  credentials: RequestCredentials;
  file: Blob;
  /** The same on every retry of this file, so the server makes one asset of it. */
  idempotencyKey: string;
  /** How long the upload may make no progress before it is abandoned (`timeout`). */
  stallTimeoutMs: number;
  /** Fraction of the file sent, 0–1. */
  onProgress: (sent: number) => void;
  signal: AbortSignal;
}

export type UploadResult = { ok: true; value: CreateAssetResponse } | { ok: false; error: LivenessError; reason?: AssetRejectionReason };

const MAX_ANSWER_CHARS = 64 * 1024;

function parseCreated(text: string): CreateAssetResponse | undefined {
  try {
    const json: unknown = JSON.parse(text);
    if (!isObject(json) || typeof json.assetId !== 'string' || typeof json.statusUrl !== 'string') return undefined;
    if (!/^[\w.:-]{1,128}$/.test(json.assetId)) return undefined;
    return {
      assetId: json.assetId,
      statusUrl: json.statusUrl,
      ...(typeof json.eventsUrl === 'string' ? { eventsUrl: json.eventsUrl } : {}),
    };
  } catch {
    return undefined;
  }
}

/**
 * Sends one file as `multipart/form-data` (part `file`) with `XMLHttpRequest`, whose `upload.onprogress`
 * reports the bytes as they leave, in every engine and over HTTP/1.1. A streamed `fetch` body could
 * count them too, but only Chromium sends one, and only over HTTP/2 (with `duplex: 'half'`): on most
 * backends and in Safari and Firefox there would be no progress bar at all.
 *
 * Never throws: errors are `LivenessError`s built from the status and the server's error code, never
 * from its text; a refused file also brings the server's `reason`.
 */
export function uploadFile(request: UploadRequest): Promise<UploadResult> {
  return new Promise((resolve) => {
    const xhr = new XMLHttpRequest();
    let stall: ReturnType<typeof setTimeout> | undefined;
    let settled = false;
    const finish = (result: UploadResult) => {
      if (settled) return;
      settled = true;
      clearTimeout(stall);
      request.signal.removeEventListener('abort', onAbort);
      resolve(result);
    };
    const fail = (code: LivenessErrorCode, message: string | false) => finish({ ok: false, error: livenessError(code, message) });
    const watch = () => {
      clearTimeout(stall);
      stall = setTimeout(() => {
        xhr.abort();
        fail(LivenessErrorCode.timeout, process.env.NODE_ENV !== 'production' && 'The upload stopped making progress.');
      }, request.stallTimeoutMs);
    };
    const onAbort = () => {
      xhr.abort();
      fail(LivenessErrorCode.aborted, process.env.NODE_ENV !== 'production' && 'The upload was cancelled.');
    };
    if (request.signal.aborted) return onAbort();
    request.signal.addEventListener('abort', onAbort);

    xhr.open(request.method, request.url);
    xhr.withCredentials = request.credentials === 'include';
    for (const [name, value] of Object.entries(request.headers)) xhr.setRequestHeader(name, value);
    xhr.setRequestHeader('Accept', 'application/json');
    xhr.setRequestHeader(IDEMPOTENCY_KEY_HEADER, request.idempotencyKey);
    xhr.upload.onprogress = (event) => {
      watch();
      if (event.lengthComputable && event.total > 0) request.onProgress(Math.min(1, event.loaded / event.total));
    };
    // Sent: the server now checks the file and calls the upstream, which may take a while. Its own
    // deadline (and the connection) bounds that wait, not the stall timer.
    xhr.upload.onload = () => {
      clearTimeout(stall);
      request.onProgress(1);
    };
    xhr.onerror = () => fail(LivenessErrorCode.network, process.env.NODE_ENV !== 'production' && 'The upload could not reach the server.');
    xhr.onload = () => {
      const text = typeof xhr.responseText === 'string' ? xhr.responseText.slice(0, MAX_ANSWER_CHARS) : '';
      if (xhr.status >= 200 && xhr.status < 300) {
        const created = parseCreated(text);
        if (created) finish({ ok: true, value: created });
        else fail(LivenessErrorCode.invalidResponse, process.env.NODE_ENV !== 'production' && 'The answer to the upload was not understood.');
        return;
      }
      let serverCode: string | undefined;
      let reason: AssetRejectionReason | undefined;
      try {
        const error = (JSON.parse(text) as { error?: { code?: unknown; reason?: unknown } }).error;
        if (typeof error?.code === 'string' && error.code.length <= 128) serverCode = error.code;
        if (typeof error?.reason === 'string' && /^[a-z_]{1,40}$/.test(error.reason)) reason = error.reason as AssetRejectionReason;
      } catch {
        // Not JSON: the status alone says what happened.
      }
      const retryAfterMs = parseRetryAfter(xhr.getResponseHeader('Retry-After'));
      const error = livenessError(LivenessErrorCode.http, process.env.NODE_ENV !== 'production' && `The server answered the upload with HTTP ${xhr.status}.`, {
        status: xhr.status,
        ...(retryAfterMs === undefined ? {} : { retryAfterMs }),
        ...(serverCode === undefined ? {} : { serverCode }),
      });
      finish({ ok: false, error, ...(reason ? { reason } : {}) });
    };
    const form = new FormData();
    form.append('file', request.file, (request.file as File).name || 'file');
    watch();
    xhr.send(form);
  });
}
