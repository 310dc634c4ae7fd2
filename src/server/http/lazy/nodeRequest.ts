// The lazy `Request` the Node adapter hands a `LivenessHandler` (see `lazyRequest.ts` for why). It
// answers `method`, `url`, `signal`, `body` and `headers.get` / `headers.has` from Node's request
// without building anything; any other member builds the full `Request` (the one the adapter always
// built: same URL, method, headers, signal and streamed body) and answers from it. No Node import:
// the handler (which runs on edge runtimes too) tells these requests apart by their class.
import { passThrough } from './passThrough.js';

/** Node's parsed request headers (`IncomingMessage['headers']`): lower-case names, repeats joined but `Set-Cookie`. */
type ParsedHeaders = Readonly<Record<string, string | string[] | undefined>>;

/** A header name as `Headers` accepts one (an RFC 9110 token). */
const HEADER_NAME = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;

/** What the adapter knows of a request before building it. */
export interface NodeRequestParts {
  method: string;
  /** The URL as `new URL` writes it, and its path. */
  url: string;
  pathname: string;
  /** Node's parsed headers (`req.headers`). */
  headers: ParsedHeaders;
  /** The client's address as the adapter takes it (`clientAddressOf`). */
  address: string | undefined;
  /** Makes (once) and returns the signal that aborts when the client goes away. */
  signal: () => AbortSignal;
  /** Whether the request has a body. */
  hasBody: boolean;
  /** Makes the body's stream (once), if it streams in. */
  stream: (() => ReadableStream<Uint8Array>) | undefined;
  /** Reads the whole streamed body as text instead (no stream), `null` past `maxBytes`. */
  text: ((maxBytes: number) => Promise<string | null>) | undefined;
  /**
   * Builds the full Request with `body` as its body: the streamed body, or when a route took that one
   * already, a stand-in that reads as used as the route's does.
   */
  build: (body: ReadableStream<Uint8Array> | undefined) => Request;
}

/**
 * `get` and `has` read Node's parsed headers as they are (lower-case names; repeated headers already
 * joined by Node, as the full Request's copy has them). Once the full Request exists, or for any other
 * member (`forEach`, `set`…), its `Headers` answer: a hook may have changed them.
 */
class NodeHeaders {
  readonly #request: NodeRequest;

  constructor(request: NodeRequest) {
    this.#request = request;
  }

  #value(name: string, method: string): string | string[] | undefined {
    if (!HEADER_NAME.test(name)) throw new TypeError(`Headers.${method}: "${name}" is an invalid header name.`);
    return NodeRequest.parsedHeaders(this.#request)[name.toLowerCase()];
  }

  get(name: string): string | null {
    const built = NodeRequest.built(this.#request);
    if (built) return built.headers.get(name);
    const value = this.#value(String(name), 'get');
    if (value === undefined) return null;
    return Array.isArray(value) ? value.join(', ') : value;
  }

  has(name: string): boolean {
    const built = NodeRequest.built(this.#request);
    if (built) return built.headers.has(name);
    return this.#value(String(name), 'has') !== undefined;
  }

  /** The full Request's headers. */
  static full(headers: object): Headers {
    return NodeRequest.full((headers as NodeHeaders).#request).headers;
  }
}
passThrough(NodeHeaders.prototype, Headers.prototype, [], (self) => NodeHeaders.full(self));

/** The lazy request: `instanceof Request`, and every member a `Request` has. */
class NodeRequest {
  readonly method: string;
  readonly url: string;
  readonly #parts: NodeRequestParts;
  #headers: NodeHeaders | undefined;
  #built: Request | undefined;
  /** The streamed body once a route took it: its stream (`body`), or `'text'` (read as text, `nodeRequestText`). */
  #taken: ReadableStream<Uint8Array> | 'text' | undefined;

  constructor(parts: NodeRequestParts) {
    this.method = parts.method;
    this.url = parts.url;
    this.#parts = parts;
  }

  get headers(): Headers {
    return (this.#headers ??= new NodeHeaders(this)) as unknown as Headers;
  }

  /** The adapter's signal (the full Request follows it): aborted when the client goes away. */
  get signal(): AbortSignal {
    return this.#parts.signal();
  }

  /** The streamed body itself, as the full Request would give it, without building that. */
  get body(): ReadableStream<Uint8Array> | null {
    const { stream, hasBody } = this.#parts;
    if (this.#taken) return this.#taken === 'text' ? NodeRequest.full(this).body : this.#taken;
    if (this.#built) return this.#built.body;
    if (!hasBody) return null;
    if (!stream) return NodeRequest.full(this).body;
    return (this.#taken = stream());
  }

  /** The whole streamed body as text, read without a stream; `undefined` when it cannot be (no streamed body, taken, built). */
  static text(request: NodeRequest, maxBytes: number): Promise<string | null> | undefined {
    const { text } = request.#parts;
    if (!text || request.#taken || request.#built) return undefined;
    request.#taken = 'text';
    return text(maxBytes);
  }

  static is(value: object): value is NodeRequest {
    return #parts in value;
  }

  static parsedHeaders(request: NodeRequest): ParsedHeaders {
    return request.#parts.headers;
  }

  static pathname(request: NodeRequest): string {
    return request.#parts.pathname;
  }

  static address(request: NodeRequest): string | undefined {
    return request.#parts.address;
  }

  static built(request: NodeRequest): Request | undefined {
    return request.#built;
  }

  /**
   * The full Request, built once. Built after a route took the body, it has a used body, as the route's
   * own Request would have had: a stand-in, locked and disturbed right after (`new Request` refuses a
   * body that is so already), so `bodyUsed` is true, `text()` rejects, `clone()` and `new Request()` throw.
   */
  static full(request: object): Request {
    const self = request as NodeRequest;
    if (self.#built) return self.#built;
    if (!self.#taken) return (self.#built = self.#parts.build(self.#parts.stream?.()));
    const stand = new ReadableStream<Uint8Array>();
    self.#built = self.#parts.build(stand);
    void stand.getReader().cancel();
    return self.#built;
  }
}
passThrough(NodeRequest.prototype, Request.prototype, ['method', 'url'], (self) => NodeRequest.full(self));

/** A lazy `Request` (see the top of this file). */
export function nodeRequest(parts: NodeRequestParts): Request {
  return new NodeRequest(parts) as unknown as Request;
}

/** Whether `request` is one the Node adapter made lazily. */
export function isNodeRequest(request: Request): boolean {
  return NodeRequest.is(request);
}

/** The full Request behind a lazy one (built on first use), or the request itself. */
export function fullRequestOf(request: Request): Request {
  return NodeRequest.is(request) ? NodeRequest.full(request) : request;
}

/**
 * The body of a lazy request as text, read straight off the socket (`null` past `maxBytes`), or
 * `undefined` when that is not how it can be read (not lazy, no streamed body, already taken or built).
 */
export function nodeRequestText(request: Request, maxBytes: number): Promise<string | null> | undefined {
  return NodeRequest.is(request) ? NodeRequest.text(request, maxBytes) : undefined;
}

/** The URL's path of a lazy request (`new URL(request.url).pathname`, known to the adapter), or `undefined`. */
export function nodeRequestPath(request: Request): string | undefined {
  return NodeRequest.is(request) ? NodeRequest.pathname(request) : undefined;
}

/** The client address the adapter took for a lazy request, or `undefined`. */
export function nodeRequestAddress(request: Request): string | undefined {
  return NodeRequest.is(request) ? NodeRequest.address(request) : undefined;
}
