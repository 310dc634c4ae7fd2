import type { ErrorResponseBody } from '../../core/wire/protocol.js';
import type { ServerErrorCode } from '../ServerErrorCode.js';
import { jsonAnswer, jsonAnswerParts } from './lazy/jsonAnswer.js';

// Session answers carry links and statuses that must never be served from a cache.
const BASE_HEADERS: Readonly<Record<string, string>> = Object.freeze({
  'Content-Type': 'application/json; charset=utf-8',
  'Cache-Control': 'no-store',
  'X-Content-Type-Options': 'nosniff',
});

/**
 * A JSON response with the headers every answer of this handler carries. A JSON answer (`lazy/jsonAnswer.ts`):
 * the Node adapter writes it without ever building the Response; every other caller gets a real one.
 */
export function jsonResponse(status: number, body: unknown, headers?: Record<string, string>): Response {
  // The shared record when nothing is added: the adapter works out its header lines once for it.
  const all = headers && Object.keys(headers).length > 0 ? { ...BASE_HEADERS, ...headers } : BASE_HEADERS;
  return jsonAnswer(status, JSON.stringify(body), all);
}

/** The `{ error: { code, message } }` body of every non-2xx answer. Messages are ours, never upstream text. */
export function errorResponse(status: number, code: ServerErrorCode, message: string, headers: Record<string, string> = {}): Response {
  const body: ErrorResponseBody = { error: { code, message } };
  return jsonResponse(status, body, headers);
}

/** `Retry-After` in whole seconds, at least 1 so clients never spin. */
export function retryAfterHeader(ms: number): Record<string, string> {
  return { 'Retry-After': String(Math.max(1, Math.ceil(ms / 1000))) };
}

/** The answer to a `HEAD`: the same status and headers, no body. */
export function withoutBody(response: Response): Response {
  const parts = jsonAnswerParts(response);
  if (parts) return jsonAnswer(parts.status, null, parts.headers);
  return new Response(null, { status: response.status, statusText: response.statusText, headers: response.headers });
}
