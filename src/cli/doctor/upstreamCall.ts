import { isObject } from '../../core/isObject.js';
import { parseRetryAfter } from '../../core/wire/parseRetryAfter.js';
import { readCappedText } from '../../core/wire/readCappedText.js';
import { MAX_UPSTREAM_BODY_BYTES } from '../../server/limits.js';
import { bodyStatusOf, errorCodeOf, mentionsKeyGroup } from '../../server/upstream/upstreamClient.js';

/**
 * One upstream answer, boiled down to what the doctor may print: the status, the error code (a name
 * such as `NotFound.BytedToken`) and a few flags read from the body. Never the body, which may echo the
 * request (and so the key) or carry the link and the token.
 */
export type UpstreamAnswer =
  | { kind: 'answer'; status: number; code: string | undefined; json: Record<string, unknown> | undefined; wrongGroup: boolean; missingCallbackUrl: boolean; retryAfterMs: number | undefined }
  | { kind: 'timeout' }
  | { kind: 'unreachable'; cause: string };

/** A network error's code (`ECONNREFUSED`, `ENOTFOUND`…), never its message (it may hold a URL with a query). */
export function causeOf(error: unknown): string {
  let current: unknown = error;
  for (let depth = 0; depth < 4 && isObject(current); depth += 1) {
    const { code } = current as { code?: unknown };
    if (typeof code === 'string' && /^[A-Z][A-Z0-9_]{1,40}$/.test(code)) return code;
    current = (current as { cause?: unknown }).cause;
  }
  return 'network error';
}

function mentionsMissingCallbackUrl(json: Record<string, unknown> | undefined, code: string | undefined): boolean {
  if (code === 'MissingParameter.CallbackURL') return true;
  const error = json && isObject(json.error) ? json.error : undefined;
  return [error?.message, json?.message].some((message) => typeof message === 'string' && /CallbackURL/.test(message) && /missing|required/i.test(message));
}

/** `POST {upstreamUrl}/volc/asset/{action}` with the key, under `timeoutMs`, as the handler calls it. */
export async function upstreamCall(upstreamUrl: string, key: string, action: string, body: Record<string, unknown>, timeoutMs: number): Promise<UpstreamAnswer> {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), timeoutMs);
  try {
    const response = await fetch(`${upstreamUrl}/volc/asset/${action}`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${key}`, 'Content-Type': 'application/json', Accept: 'application/json' },
      body: JSON.stringify(body),
      signal: controller.signal,
      redirect: 'manual',
    });
    const text = await readCappedText(response.body, MAX_UPSTREAM_BODY_BYTES);
    let json: Record<string, unknown> | undefined;
    try {
      const parsed: unknown = text === null ? undefined : JSON.parse(text);
      json = isObject(parsed) ? parsed : undefined;
    } catch {
      json = undefined;
    }
    const code = json ? errorCodeOf(json) : undefined;
    const status = response.status >= 200 && response.status <= 299 ? (bodyStatusOf(json) ?? response.status) : response.status;
    return {
      kind: 'answer',
      status,
      code,
      json,
      wrongGroup: mentionsKeyGroup(json),
      missingCallbackUrl: mentionsMissingCallbackUrl(json, code),
      retryAfterMs: parseRetryAfter(response.headers.get('Retry-After'), Date.now()),
    };
  } catch (error) {
    return controller.signal.aborted ? { kind: 'timeout' } : { kind: 'unreachable', cause: causeOf(error) };
  } finally {
    clearTimeout(timer);
  }
}
