import type { ErrorResponseBody } from '../../core/wire/protocol.js';
import type { ServerErrorCode } from '../ServerErrorCode.js';

// Session answers carry links and statuses that must never be served from a cache.
const BASE_HEADERS: Record<string, string> = {
  'Content-Type': 'application/json; charset=utf-8',
  'Cache-Control': 'no-store',
  'X-Content-Type-Options': 'nosniff',
};

/** A JSON response with the headers every answer of this handler carries. */
export function jsonResponse(status: number, body: unknown, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), { status, headers: { ...BASE_HEADERS, ...headers } });
}

/** The `{ error: { code, message } }` body of every non-2xx answer. Messages are ours, never upstream text. */
export function errorResponse(
  status: number,
  code: ServerErrorCode,
  message: string,
  headers: Record<string, string> = {},
): Response {
  const body: ErrorResponseBody = { error: { code, message } };
  return jsonResponse(status, body, headers);
}

/** `Retry-After` in whole seconds, at least 1 so clients never spin. */
export function retryAfterHeader(ms: number): Record<string, string> {
  return { 'Retry-After': String(Math.max(1, Math.ceil(ms / 1000))) };
}

/** The answer to a `HEAD`: the same status and headers, no body. */
export function withoutBody(response: Response): Response {
  return new Response(null, { status: response.status, statusText: response.statusText, headers: response.headers });
}
