import { isObject } from '../../core/isObject.js';
import { parseRetryAfter } from '../../core/wire/parseRetryAfter.js';
import { readCappedText } from '../../core/wire/readCappedText.js';
import { MAX_UPSTREAM_BODY_BYTES, MAX_UPSTREAM_LIST_BYTES } from '../limits.js';

/** Why an upstream call did not give a usable answer. Carries no upstream text. */
export type UpstreamFailure =
  | { kind: 'timeout' }
  | { kind: 'unreachable' }
  | { kind: 'unavailable'; status: number; retryAfterMs: number }
  | { kind: 'unauthorized'; status: number; wrongKeyGroup: boolean }
  | { kind: 'not_found'; status: number }
  /** `ValidateNotReady`: the check is not finished (or expired); asking again later may succeed. */
  | { kind: 'not_ready'; status: number }
  | { kind: 'http'; status: number }
  | { kind: 'bad_response'; status: number };

export type UpstreamResult<T> = ({ ok: true; value: T } | { ok: false; failure: UpstreamFailure }) & {
  status?: number;
  durationMs: number;
};

export interface CreatedUpstreamSession {
  bytedToken: string;
  /** Raw link as received; may still hold literal `\u0026`. */
  h5Link: string;
}

/** An asset as `ListAssets` reports it: only what the status needs. */
export interface ListedAsset {
  id: string;
  name?: string;
  /** The upstream's `Status`, as it was sent (`Active`, `Failed`, or a state in between). */
  status: string;
  /** `Error.Code`, when the item carries one (`FaceMismatch`). */
  errorCode?: string;
}

/** One page of `ListAssets`. */
export interface AssetPage {
  items: ListedAsset[];
  /** `TotalCount`: how many assets match, over every page. */
  total: number;
}

export interface UpstreamClientOptions {
  apiKey: string;
  upstreamUrl: string;
  fetch: typeof globalThis.fetch;
  timeoutMs: number;
  clock: () => number;
}

type Json = Record<string, unknown>;

const TIMEOUT = Symbol('timeout');
// What an asset id may be: `asset-20260320120147-pqwhc` is the documented shape; anything that could
// break a URL path, a store key or a log line is not the API talking.
export const ASSET_ID = /^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$/;
const DEFAULT_RETRY_AFTER_MS = 1000;

/** BytePlus wraps answers as `{ ResponseMetadata, Result }`; Anyfast answers flat. Accept both. */
function unwrap(body: Json): { payload: Json; errorCode?: string } {
  const metadata = isObject(body.ResponseMetadata) ? body.ResponseMetadata : undefined;
  const error = metadata && isObject(metadata.Error) ? metadata.Error : undefined;
  const errorCode = error && typeof error.Code === 'string' ? error.Code : undefined;
  const payload = isObject(body.Result) ? body.Result : body;
  return errorCode === undefined ? { payload } : { payload, errorCode };
}

/**
 * The error code of an answer, in any of the shapes Anyfast uses: the BytePlus envelope's
 * `ResponseMetadata.Error.Code`, the gateway's `{ error: { type, code, message } }`, a relayed upstream
 * error `{ code, message: "<the upstream's JSON, as a string>", data: null }` (the useful code is inside
 * `message`), and the plain `{ code: "Name", message }`. Numeric codes are statuses, not names. The doctor
 * (src/cli) reads answers with this too, so that it classifies them as the handler does.
 */
export function errorCodeOf(body: Json, depth = 0): string | undefined {
  const unwrapped = unwrap(body).errorCode;
  if (unwrapped) return unwrapped;
  const error = isObject(body.error) ? body.error : undefined;
  if (typeof error?.code === 'string' && error.code !== '') return error.code;
  if (depth === 0 && typeof body.message === 'string' && body.message.trimStart().startsWith('{')) {
    try {
      const nested: unknown = JSON.parse(body.message);
      const inner = isObject(nested) ? errorCodeOf(nested, depth + 1) : undefined;
      if (inner) return inner;
    } catch {
      // Not JSON after all: the plain shape, with a text message.
    }
  }
  for (const name of ['code', 'Code'] as const) {
    const code = body[name];
    // "0", "200", "success": gateways that wrap a good answer say so in `code` too.
    if (typeof code === 'string' && code !== '' && !/^(\d+|ok|success)$/i.test(code)) return code;
  }
  return undefined;
}

/** A numeric `code` in the body of a 200 (`{ code: 401, message }`): the status the answer really has. */
export function bodyStatusOf(body: Json | undefined): number | undefined {
  const code = body?.code;
  const value = typeof code === 'number' ? code : typeof code === 'string' && /^\d{3}$/.test(code) ? Number(code) : undefined;
  return value !== undefined && value >= 400 && value <= 599 ? value : undefined;
}

export function mentionsKeyGroup(body: Json | undefined): boolean {
  const error = body && isObject(body.error) ? body.error : undefined;
  return [error?.message, body?.message].some((message) => typeof message === 'string' && message.includes('GroupType'));
}

function nonEmptyString(value: unknown, max: number): string | undefined {
  return typeof value === 'string' && value.trim() !== '' && value.length <= max ? value.trim() : undefined;
}

/**
 * Talks to Anyfast. Owns the timeout, the bearer header and the mapping of every odd answer (HTML error
 * pages, truncated JSON, envelopes with an error inside a 200) to a small failure type, so routes
 * never see upstream text and so nothing upstream said can be echoed to a browser.
 */
export class UpstreamClient {
  constructor(private readonly options: UpstreamClientOptions) {}

  /** `CreateVisualValidateSession`; `CallbackURL` is always sent because BytePlus requires it. */
  async createSession(callbackUrl: string): Promise<UpstreamResult<CreatedUpstreamSession>> {
    return this.call('CreateVisualValidateSession', { CallbackURL: callbackUrl }, (payload) => {
      const bytedToken = nonEmptyString(payload.BytedToken, 1024);
      const h5Link = nonEmptyString(payload.H5Link, 16 * 1024);
      return bytedToken && h5Link ? { bytedToken, h5Link } : undefined;
    });
  }

  /**
   * `CreateAsset` with a body built by `createAssetBody` (the file as a `data:` URI), under its own
   * deadline: Anyfast uploads the file to object storage before it answers (a public client allows 300 s
   * for video creates). Answers the new asset's `Id` (`asset-20260320120147-pqwhc`: documented).
   */
  async createAsset(body: Blob, timeoutMs: number): Promise<UpstreamResult<{ id: string }>> {
    return this.call(
      'CreateAsset',
      body,
      (payload) => {
        const id = nonEmptyString(payload.Id, 128);
        return id && ASSET_ID.test(id) ? { id } : undefined;
      },
      { timeoutMs },
    );
  }

  /**
   * `ListAssets` of one group (`Filter.GroupIds`): the way to read the assets of a LivenessFace group,
   * whose `GetAsset` answers `NotFound.asset_id` (reported by public clients). The shape is documented
   * (`{ PageNumber, PageSize, TotalCount, Items: [{ Id, Name, Status, … }] }`); an item's `Error.Code`
   * (`FaceMismatch`) is reported by public clients, not documented. Queries are not billed (documented).
   */
  async listAssets(groupId: string, pageNumber: number, pageSize: number, name?: string): Promise<UpstreamResult<AssetPage>> {
    // `Filter.Name` is documented; it finds an asset this server created but heard no answer for.
    return this.call(
      'ListAssets',
      { model: 'volc-asset', PageNumber: pageNumber, PageSize: pageSize, Filter: { GroupIds: [groupId], ...(name === undefined ? {} : { Name: name }) } },
      (payload) => {
        if (!Array.isArray(payload.Items)) return undefined;
        const items: ListedAsset[] = [];
        for (const item of payload.Items as unknown[]) {
          if (!isObject(item)) continue;
          const id = nonEmptyString(item.Id, 128);
          if (!id || !ASSET_ID.test(id)) continue;
          const error = isObject(item.Error) ? item.Error : undefined;
          const errorCode = nonEmptyString(error?.Code, 128);
          const name = nonEmptyString(item.Name, 256);
          items.push({ id, status: nonEmptyString(item.Status, 64) ?? '', ...(name ? { name } : {}), ...(errorCode ? { errorCode } : {}) });
        }
        const total = typeof payload.TotalCount === 'number' && payload.TotalCount >= 0 ? payload.TotalCount : items.length;
        return { items, total };
      },
      // A page of items with their (signed, long) object-storage URLs is far more than a liveness answer.
      { maxBytes: MAX_UPSTREAM_LIST_BYTES },
    );
  }

  /**
   * `GetVisualValidateResult`. The token is single-use, so callers must make sure this runs once per
   * session. An empty `GroupId` is a valid "not verified" answer, hence `groupId` may be undefined.
   */
  async getResult(bytedToken: string): Promise<UpstreamResult<{ groupId: string | undefined }>> {
    return this.call('GetVisualValidateResult', { BytedToken: bytedToken }, (payload) => {
      // Only text is an answer: an empty one says "not verified", anything else is not the API talking.
      if (typeof payload.GroupId !== 'string' || payload.GroupId.length > 512) return undefined;
      return { groupId: nonEmptyString(payload.GroupId, 512) };
    });
  }

  /** The request and its answer's body, read under the caller's deadline (its `signal`) and with a byte cap. */
  private async exchange(action: string, body: Json | Blob, signal: AbortSignal, maxBytes: number): Promise<{ response: Response; text: string | null }> {
    const response = await this.options.fetch(`${this.options.upstreamUrl}/volc/asset/${action}`, {
      method: 'POST',
      headers: {
        Authorization: `Bearer ${this.options.apiKey}`,
        'Content-Type': 'application/json',
        Accept: 'application/json',
      },
      body: body instanceof Blob ? body : JSON.stringify(body),
      signal,
      // Never follow: a redirect from the API is not an answer, and following it could resend the body elsewhere.
      redirect: 'manual',
    });
    // The body is read under the same deadline (a stalled body is as bad as a stalled answer) and with
    // a byte cap (an endless one must not fill memory); `null` means it was too large to be an answer.
    return { response, text: await readCappedText(response.body, maxBytes) };
  }

  private async call<T>(action: string, body: Json | Blob, read: (payload: Json) => T | undefined, limits: { timeoutMs?: number; maxBytes?: number } = {}): Promise<UpstreamResult<T>> {
    const { clock } = this.options;
    const timeoutMs = limits.timeoutMs ?? this.options.timeoutMs;
    const started = clock();
    const controller = new AbortController();
    let timer: ReturnType<typeof setTimeout> | undefined;
    const done = (result: { ok: true; value: T } | { ok: false; failure: UpstreamFailure }, status?: number): UpstreamResult<T> => {
      const out = result as UpstreamResult<T>;
      if (status !== undefined) out.status = status;
      out.durationMs = clock() - started;
      return out;
    };
    try {
      const settled = await new Promise<{ response: Response; text: string | null } | typeof TIMEOUT>((resolve, reject) => {
        // Racing a timer as well as aborting: a fetch implementation that ignores its signal must still time out.
        timer = setTimeout(() => {
          controller.abort();
          resolve(TIMEOUT);
        }, timeoutMs);
        this.exchange(action, body, controller.signal, limits.maxBytes ?? MAX_UPSTREAM_BODY_BYTES).then(resolve, reject);
      });
      if (settled === TIMEOUT) return done({ ok: false, failure: { kind: 'timeout' } });
      const { response, text } = settled;
      let json: Json | undefined;
      if (text !== null) {
        try {
          const parsed: unknown = JSON.parse(text);
          if (isObject(parsed)) json = parsed;
        } catch {
          json = undefined;
        }
      }
      const code = json ? errorCodeOf(json) : undefined;
      const httpStatus = response.status;
      const status = httpStatus >= 200 && httpStatus <= 299 ? (bodyStatusOf(json) ?? httpStatus) : httpStatus;
      if (status === 429 || status === 503 || code === 'Throttling' || code === 'RateLimitExceeded') {
        const retryAfterMs = parseRetryAfter(response.headers.get('Retry-After'), clock()) ?? DEFAULT_RETRY_AFTER_MS;
        return done({ ok: false, failure: { kind: 'unavailable', status, retryAfterMs } }, httpStatus);
      }
      if (status === 401 || status === 403 || code === 'AccessDenied' || code === 'InvalidAccessKeyId') {
        return done({ ok: false, failure: { kind: 'unauthorized', status, wrongKeyGroup: mentionsKeyGroup(json) } }, httpStatus);
      }
      if (code === 'ValidateNotReady') return done({ ok: false, failure: { kind: 'not_ready', status } }, httpStatus);
      if (status === 404 || (code !== undefined && code.startsWith('NotFound'))) {
        return done({ ok: false, failure: { kind: 'not_found', status } }, httpStatus);
      }
      if (status < 200 || status > 299 || code !== undefined) {
        return done({ ok: false, failure: { kind: 'http', status } }, httpStatus);
      }
      const value = json ? read(unwrap(json).payload) : undefined;
      if (value === undefined) return done({ ok: false, failure: { kind: 'bad_response', status } }, httpStatus);
      return done({ ok: true, value }, httpStatus);
    } catch {
      return done({ ok: false, failure: { kind: 'unreachable' } });
    } finally {
      clearTimeout(timer);
    }
  }
}
