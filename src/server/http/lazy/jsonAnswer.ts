// A JSON answer kept as its parts (status, headers, the serialized body) until something reads it as a
// `Response`. The Node adapter writes the parts straight to the socket (see `jsonAnswerParts`), where a
// `Response` would cost more than a status poll's own work: its body made a stream, its headers
// validated and sorted, then the stream read back chunk by chunk. Every other caller gets a real
// `Response`: `createLivenessHandler` builds it (`asResponse`) before answering anyone but the adapter.
// Inside the handler it reads as a Response: `status` and `ok` from the parts, any other member from the
// Response built on first use (identical to what `jsonResponse` always built).

import { passThrough } from './passThrough.js';

/** What the Node adapter writes for an answer no one has read as a Response. */
export interface JsonAnswerParts {
  status: number;
  /** As the route gave them (names in any case); `Set-Cookie` holds one cookie. */
  headers: Readonly<Record<string, string>>;
  /** `null`: no body (the answer to a HEAD). */
  body: string | null;
}

class JsonAnswer {
  readonly #parts: JsonAnswerParts;
  #response: Response | undefined;

  constructor(parts: JsonAnswerParts) {
    this.#parts = parts;
  }

  get status(): number {
    return this.#parts.status;
  }

  get ok(): boolean {
    return this.#parts.status >= 200 && this.#parts.status <= 299;
  }

  static response(answer: JsonAnswer): Response {
    const { status, headers, body } = answer.#parts;
    return (answer.#response ??= new Response(body, { status, headers }));
  }

  static parts(value: object): JsonAnswerParts | undefined {
    return #parts in value && !value.#response ? value.#parts : undefined;
  }

  static is(value: object): value is JsonAnswer {
    return #parts in value;
  }
}

// Every other member of a Response (headers, body, json(), clone()…), read from the built one.
passThrough(JsonAnswer.prototype, Response.prototype, [], (self) => JsonAnswer.response(self as JsonAnswer));

/** A JSON answer that reads as a `Response` (see above). `body` is the serialized JSON, or `null` for none. */
export function jsonAnswer(status: number, body: string | null, headers: Readonly<Record<string, string>>): Response {
  return new JsonAnswer({ status, headers, body }) as unknown as Response;
}

/** The parts of a JSON answer that nothing has read as a Response yet; `undefined` for anything else. */
export function jsonAnswerParts(response: Response): JsonAnswerParts | undefined {
  return JsonAnswer.parts(response);
}

/** A real `Response`: the one a JSON answer builds (once), or `response` itself. */
export function asResponse(response: Response): Response {
  return JsonAnswer.is(response) ? JsonAnswer.response(response) : response;
}
