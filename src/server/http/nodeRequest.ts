// The lazy `Request` the Node adapter hands a `LivenessHandler` (see `lazyRequest.ts` for why). It
// answers `method`, `url`, `signal`, `body` and `headers.get` / `headers.has` from Node's request
// without building anything; any other member builds the full `Request` (the one the adapter always
// built: same URL, method, headers, signal and streamed body) and answers from it.

import { passThrough } from './passThrough.js';

/** Node's parsed request headers (`IncomingMessage['headers']`): lower-case names, repeats joined but `Set-Cookie`. */
type ParsedHeaders = Readonly<Record<string, string | string[] | undefined>>;

/** A header name as `Headers` accepts one (an RFC 9110 token). */
const HEADER_NAME = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;

interface Source {
  headers: ParsedHeaders;
  /** Whether the request has a body (the full Request's `body` is not null). */
  hasBody: boolean;
  /** The body as it streams in, when it does (not a body Express parsed already). */
  stream: ReadableStream<Uint8Array> | undefined;
  /** Whether a route took `stream` through `body`: the full Request, if built later, then has a used body. */
  taken: boolean;
  /** Builds the full Request (once: later calls return the same one). */
  build(): Request;
  built: Request | undefined;
}

/**
 * `get` and `has` read Node's parsed headers as they are (lower-case names; repeated headers already
 * joined by Node, as the full Request's copy has them). Once the full Request exists, or for any other
 * member (`forEach`, `set`…), its `Headers` answer: a hook may have changed them.
 */
class NodeHeaders {
  readonly #source: Source;

  constructor(source: Source) {
    this.#source = source;
  }

  #value(name: string, method: string): string | string[] | undefined {
    if (!HEADER_NAME.test(name)) throw new TypeError(`Headers.${method}: "${name}" is an invalid header name.`);
    return this.#source.headers[name.toLowerCase()];
  }

  get(name: string): string | null {
    if (this.#source.built) return this.#source.built.headers.get(name);
    const value = this.#value(String(name), 'get');
    if (value === undefined) return null;
    return Array.isArray(value) ? value.join(', ') : value;
  }

  has(name: string): boolean {
    if (this.#source.built) return this.#source.built.headers.has(name);
    return this.#value(String(name), 'has') !== undefined;
  }

  /** The full Request's headers. */
  static full(headers: object): Headers {
    return (headers as NodeHeaders).#source.build().headers;
  }
}
passThrough(NodeHeaders.prototype, Headers.prototype, [], (self) => NodeHeaders.full(self));

/** The lazy request: `instanceof Request`, and every member a `Request` has. */
class NodeRequest {
  readonly method: string;
  readonly url: string;
  readonly headers: Headers;
  readonly #source: Source;
  readonly #signal: () => AbortSignal;

  constructor(method: string, url: string, signal: () => AbortSignal, source: Source) {
    this.method = method;
    this.url = url;
    this.#signal = signal;
    this.#source = source;
    this.headers = new NodeHeaders(source) as unknown as Headers;
  }

  /** The adapter's signal (the full Request follows it): aborted when the client goes away. */
  get signal(): AbortSignal {
    return this.#signal();
  }

  /** The streamed body itself, as the full Request would give it, without building that. */
  get body(): ReadableStream<Uint8Array> | null {
    const source = this.#source;
    if (source.taken) return source.stream!;
    if (source.built) return source.built.body;
    if (!source.hasBody) return null;
    if (!source.stream) return source.build().body;
    source.taken = true;
    return source.stream;
  }

  static full(request: object): Request {
    return (request as NodeRequest).#source.build();
  }
}
passThrough(NodeRequest.prototype, Request.prototype, ['method', 'url', 'headers'], (self) => NodeRequest.full(self));

/** What the adapter knows of a request before building it. */
export interface NodeRequestParts {
  method: string;
  url: string;
  /** Node's parsed headers (`req.headers`). */
  headers: ParsedHeaders;
  /** Makes (once) and returns the signal that aborts when the client goes away. */
  signal: () => AbortSignal;
  /** Whether the request has a body. */
  hasBody: boolean;
  /** The body as it streams in, if it does. */
  stream: ReadableStream<Uint8Array> | undefined;
  /**
   * Builds the full Request, with `body` as its body: the streamed body, or when a route took that one
   * already, a stream as used as that one is (so the Request reads as one whose body was read).
   */
  build: (body: ReadableStream<Uint8Array> | undefined) => Request;
}

/**
 * A lazy `Request` (see the top of this file) and the function that builds the full one (at most once).
 * A full Request built after a route took the body has a used body, as the full Request the route
 * read would have had: `bodyUsed`, `text()` rejects, `clone()` and `new Request(request)` throw.
 */
export function nodeRequest(parts: NodeRequestParts): { request: Request; full: () => Request } {
  const source: Source = {
    headers: parts.headers,
    hasBody: parts.hasBody,
    stream: parts.stream,
    taken: false,
    built: undefined,
    build() {
      if (source.built) return source.built;
      if (!source.taken) return (source.built = parts.build(parts.stream));
      // The body is in the route's hands: the full Request gets a stand-in, locked and disturbed right
      // after (`new Request` refuses a body that is so already), which reads as the route's stream does.
      const stand = new ReadableStream<Uint8Array>();
      source.built = parts.build(stand);
      void stand.getReader().cancel();
      return source.built;
    },
  };
  return { request: new NodeRequest(parts.method, parts.url, parts.signal, source) as unknown as Request, full: source.build };
}
