// Node-only: the one file of the server half that knows about `node:http`. Type imports only, so the
// handler itself stays loadable on edge runtimes.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { recordClientAddress } from './clientAddress.js';
import { asResponse, jsonAnswerParts, type JsonAnswerParts } from './lazy/jsonAnswer.js';
import { acceptsLazyRequests } from './lazy/lazyRequest.js';
import { nodeRequest } from './lazy/nodeRequest.js';
import { urlOf, type RequestUrl } from './lazy/requestUrl.js';

/** Options of {@link toNodeHandler}. */
export interface NodeHandlerOptions {
  /**
   * Behind a proxy that sets them: build the request URL from `X-Forwarded-Proto` / `X-Forwarded-Host`,
   * and take the client's address (for `clientRateLimit`) from the last entry of `X-Forwarded-For`, the
   * one the proxy appended. Without a proxy any client could choose these, so the default is off.
   * @default false
   */
  trustProxy?: boolean;
  /**
   * How long a request body may take to arrive, per 16 KiB: a JSON body (at most 16 KiB) must be in
   * within it, and a larger one (an upload) gets it again for every 16 KiB that arrived, so a body that
   * keeps coming at more than about 1 KB/s (16 KiB per 15 s) may take as long as it needs, within Node's
   * own `requestTimeout` (300 s by default). A client that sends slower gets 408 and the connection is
   * closed. `GET` and `HEAD` take no body at all: one that comes with a body (chunked, or a
   * `Content-Length` above 0) gets 400 `body_not_allowed` at once, and the connection is closed.
   * @default 15000
   */
  bodyTimeoutMs?: number;
}

/**
 * Any fetch-style handler: a `LivenessHandler`, the mock upstream, or your own. With a `basePath`, the
 * adapter hands other paths to Express's `next`; without one it answers every request.
 */
export interface FetchHandler {
  (request: Request): Promise<Response>;
  readonly basePath?: string;
}

/** A Node `http` / Express-style listener. `next` is called for paths outside `basePath`, and with errors. */
export type NodeListener = (req: IncomingMessage, res: ServerResponse, next?: (error?: unknown) => void) => void;

type ExpressRequest = IncomingMessage & { originalUrl?: string; body?: unknown };

class BodyTimeout extends Error {}
class BodyCutOff extends Error {}

/**
 * The methods a lazy request may carry: the ones `new Request` takes as they are. Any other (`TRACE`,
 * `CONNECT`…) builds the full Request at once, and fails as it always did.
 */
const LAZY_METHODS = new Set(['GET', 'HEAD', 'POST', 'PUT', 'DELETE', 'PATCH', 'OPTIONS']);

/** Each this many bytes of a body buy it another `bodyTimeoutMs` (the JSON routes' cap: their whole body). */
const BODY_TIME_QUANTUM_BYTES = 16 * 1024;
/** Bytes the body stream holds before it stops reading from the socket until the handler reads on. */
const BODY_HIGH_WATER_BYTES = 64 * 1024;
/**
 * After an answer to a request whose body was not read to its end (a 413 from a route's cap, a 404
 * before an upload was read), the rest is read and dropped for up to LINGER_MS (and no longer than
 * LINGER_IDLE_MS without a byte), so that a client still sending can read the answer before the
 * connection closes: closing with unread bytes resets the connection, and a client then often loses
 * the answer (seen here half of the time with a 40 MB upload). nginx's `lingering_close` does the
 * same (30 s, 5 s idle). Nothing of it is kept or parsed beyond the HTTP framing.
 */
const LINGER_MS = 5000;
const LINGER_IDLE_MS = 1000;

function first(value: string | string[] | undefined): string | undefined {
  const text = Array.isArray(value) ? value[0] : value;
  return text?.split(',')[0]?.trim() || undefined;
}

function last(value: string | string[] | undefined): string | undefined {
  const text = Array.isArray(value) ? value.join(',') : value;
  return text?.split(',').at(-1)?.trim() || undefined;
}

/** The request URL, or `undefined` when the `Host` (or forwarded host) cannot be part of one. */
function requestUrl(req: ExpressRequest, trustProxy: boolean): RequestUrl | undefined {
  const encrypted = Boolean((req.socket as { encrypted?: boolean }).encrypted);
  const proto = (trustProxy && first(req.headers['x-forwarded-proto'])) || (encrypted ? 'https' : 'http');
  const host = (trustProxy && first(req.headers['x-forwarded-host'])) || req.headers.host || 'localhost';
  // Express strips its mount path from `url` but keeps the full path in `originalUrl`.
  return urlOf(proto === 'https' ? 'https' : 'http', host, req.originalUrl ?? req.url ?? '/');
}

function toHeaders(req: IncomingMessage): Headers {
  const headers = new Headers();
  for (const [name, value] of Object.entries(req.headers)) {
    if (value === undefined || name.startsWith(':')) continue;
    for (const item of Array.isArray(value) ? value : [value]) headers.append(name, item);
  }
  return headers;
}

/** A request body as the handler reads it: streamed into the `Request`, or all at once as text (a JSON body). */
interface StreamedBody {
  /** The body as a stream the handler pulls (made when first asked for: a route that reads the whole body as text never needs one). */
  stream: () => ReadableStream<Uint8Array>;
  /**
   * The whole body as UTF-8 text, read straight off the socket (a JSON body: no stream, reader or
   * queue per request), or `null` once it passes `maxBytes` (the rest stays unread). Fails as the
   * stream's read would: the deadline passed (408), or the client went away mid-body.
   */
  text: (maxBytes: number) => Promise<string | null>;
  /** Whether the whole body has been read off the socket. */
  complete: () => boolean;
}

/** Who is handed each chunk once the handler asked for the body (the stream, or a text read). */
interface BodySink {
  chunk(bytes: Uint8Array): void;
  end(): void;
  fail(error: Error): void;
}

const utf8 = new TextDecoder();

/**
 * The body as the handler reads it (`duplex: 'half'` for a stream): nothing is buffered beyond 64 KiB
 * ahead of the handler, so each route's reader holds the body to its own cap (16 KiB for JSON, a file's
 * cap for an upload) and a route that answers early leaves the rest unread. The deadline follows
 * progress: `timeoutMs` for the first 16 KiB, and again for each 16 KiB after; past it `onTimeout` runs
 * (the adapter answers 408) and the handler's read fails. A client that goes away mid-body fails it too.
 * Until the handler asks, chunks wait here as the stream's queue would hold them.
 */
function streamBody(req: IncomingMessage, timeoutMs: number, onTimeout: () => void): StreamedBody {
  const started = Date.now();
  let received = 0;
  let ended = false;
  let failed = false;
  let failure: Error | undefined;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let early: Uint8Array[] = [];
  let earlyBytes = 0;
  let sink: BodySink | undefined;
  // Takes the error's class, not an error: 'close' comes after every body, and an Error (its stack
  // trace) made for each one that ended well cost more than the rest of reading a small body.
  const fail = (Failure: new () => Error) => {
    if (ended || failed) return;
    failed = true;
    clearTimeout(timer);
    failure = new Failure();
    sink?.fail(failure);
  };
  /** The handler has what it needs (or refused the body): the rest stays unread. */
  const stop = () => {
    failed = true;
    clearTimeout(timer);
    req.pause();
  };
  const deadline = () => started + timeoutMs * (1 + Math.floor(received / BODY_TIME_QUANTUM_BYTES));
  const check = () => {
    const left = deadline() - Date.now();
    if (left > 0) {
      timer = setTimeout(check, left);
      return;
    }
    fail(BodyTimeout);
    onTimeout();
  };
  timer = setTimeout(check, timeoutMs);
  req.on('data', (chunk: Buffer) => {
    received += chunk.byteLength;
    if (failed) return;
    const bytes = new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    if (sink) return sink.chunk(bytes);
    early.push(bytes);
    earlyBytes += bytes.byteLength;
    if (earlyBytes >= BODY_HIGH_WATER_BYTES) req.pause();
  });
  req.once('end', () => {
    if (failed) return;
    ended = true;
    clearTimeout(timer);
    sink?.end();
  });
  req.once('error', () => fail(BodyCutOff));
  // Emitted after 'end' too; before it, the client went away mid-body.
  req.once('close', () => fail(BodyCutOff));
  /** The chunks that came before the handler asked, handed over once. */
  const takeEarly = () => {
    const chunks = early;
    early = [];
    earlyBytes = 0;
    return chunks;
  };
  return {
    stream: () =>
      new ReadableStream<Uint8Array>(
        {
          start(controller) {
            for (const bytes of takeEarly()) controller.enqueue(bytes);
            if (failure) return controller.error(failure);
            if (ended) return controller.close();
            sink = {
              chunk: (bytes) => {
                controller.enqueue(bytes);
                if ((controller.desiredSize ?? 0) <= 0) req.pause();
              },
              end: () => controller.close(),
              fail: (error) => {
                try {
                  controller.error(error);
                } catch {
                  // Cancelled by the handler already.
                }
              },
            };
          },
          pull() {
            req.resume();
          },
          cancel: stop,
        },
        { highWaterMark: BODY_HIGH_WATER_BYTES, size: (chunk) => chunk.byteLength },
      ),
    text: (maxBytes) =>
      new Promise<string | null>((resolve, reject) => {
        const chunks: Uint8Array[] = [];
        let total = 0;
        const add = (bytes: Uint8Array) => {
          total += bytes.byteLength;
          if (total <= maxBytes) return chunks.push(bytes);
          // Too large: the rest stays unread, as when the stream's reader gives up.
          sink = undefined;
          stop();
          resolve(null);
        };
        sink = { chunk: add, end: () => resolve(utf8.decode(Buffer.concat(chunks, total))), fail: reject };
        for (const bytes of takeEarly()) add(bytes);
        if (!sink) return;
        if (failure) reject(failure);
        else if (ended) sink.end();
        else req.resume();
      }),
    complete: () => ended,
  };
}

/**
 * Closes the connection after the answer to a request whose body is still coming, without resetting it
 * under the client: the answer says `Connection: close`, and where Node would close the socket as soon as
 * the answer is written (`socket.destroySoon`, which resets a connection with unread bytes), the socket
 * is half-closed instead and the rest of the body is dropped as it comes (see LINGER_MS), then closed.
 */
function closeAfterAnswer(req: IncomingMessage, res: ServerResponse): void {
  res.setHeader('Connection', 'close');
  const socket = req.socket as IncomingMessage['socket'] & { destroySoon?: () => void };
  if (typeof socket.destroySoon !== 'function') return;
  socket.destroySoon = () => {
    if (socket.writable) socket.end();
    let idle: ReturnType<typeof setTimeout> | undefined;
    const close = () => {
      clearTimeout(timer);
      clearTimeout(idle);
      socket.destroy();
    };
    const timer = setTimeout(close, LINGER_MS);
    const quiet = () => {
      clearTimeout(idle);
      idle = setTimeout(close, LINGER_IDLE_MS);
    };
    quiet();
    req.removeAllListeners('data');
    req.on('data', quiet);
    req.once('end', close);
    req.once('error', close);
    req.resume();
  };
}

/**
 * Whether a request announces a body. No route reads the body of a GET or HEAD, so nothing would ever
 * drain one: a client trickling it would hold the connection until Node's own `requestTimeout`.
 */
function announcesBody(req: IncomingMessage): boolean {
  return req.headers['transfer-encoding'] !== undefined || Number(req.headers['content-length'] ?? 0) > 0;
}

/** A body some Express middleware (e.g. `express.json()`) already consumed, turned back into bytes. */
function parsedBody(req: ExpressRequest): Uint8Array | undefined {
  if (!req.readableEnded || req.body === undefined) return undefined;
  const { body } = req;
  if (typeof body === 'string') return new TextEncoder().encode(body);
  if (body instanceof Uint8Array) return body;
  return new TextEncoder().encode(JSON.stringify(body));
}

/** Resolves `true` on 'drain', `false` when the connection closes first (the client went away). */
function drained(res: ServerResponse): Promise<boolean> {
  return new Promise((resolve) => {
    const done = (ok: boolean) => {
      res.off('drain', onDrain);
      res.off('close', onClose);
      resolve(ok);
    };
    const onDrain = () => done(true);
    const onClose = () => done(false);
    res.once('drain', onDrain);
    res.once('close', onClose);
  });
}

async function sendResponse(response: Response, res: ServerResponse): Promise<void> {
  if (res.headersSent || res.destroyed) {
    // The adapter answered already (408: the body did not arrive in time): this answer goes nowhere.
    await response.body?.cancel().catch(() => undefined);
    return;
  }
  res.statusCode = response.status;
  response.headers.forEach((value, name) => {
    if (name !== 'set-cookie') res.setHeader(name, value);
  });
  const cookies = response.headers.getSetCookie();
  if (cookies.length > 0) res.setHeader('set-cookie', cookies);
  if (!response.body) {
    res.end();
    return;
  }
  const reader = response.body.getReader();
  for (;;) {
    if (res.destroyed) {
      // Nobody is listening any more: stop producing instead of waiting for a 'drain' that never comes.
      await reader.cancel().catch(() => undefined);
      return;
    }
    const { done, value } = await reader.read();
    if (done) break;
    // Respect back-pressure: wait for 'drain' instead of buffering the whole body in memory.
    if (!res.write(value) && !(await drained(res))) {
      await reader.cancel().catch(() => undefined);
      return;
    }
  }
  res.end();
}

/** The header lines of a JSON answer as a `Response` would give them: names lower-cased and sorted, `Set-Cookie` last. */
function answerHeaders(headers: Readonly<Record<string, string>>): [string, string | string[]][] {
  const merged = new Map<string, string>();
  const cookies: string[] = [];
  for (const [name, value] of Object.entries(headers)) {
    const lower = name.toLowerCase();
    if (lower === 'set-cookie') cookies.push(value);
    else merged.set(lower, merged.has(lower) ? `${merged.get(lower)!}, ${value}` : value);
  }
  const lines: [string, string | string[]][] = [...merged].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  if (cookies.length > 0) lines.push(['set-cookie', cookies]);
  return lines;
}

/** The handler's shared (frozen) header record gives the same lines every time: worked out once. */
const headerLines = new WeakMap<object, [string, string | string[]][]>();

/**
 * A JSON answer written in one piece: status, headers and body as its Response would have sent them,
 * with a `Content-Length` instead of chunks (one write, no stream to read back).
 */
function sendJson(parts: JsonAnswerParts, res: ServerResponse): void {
  // The adapter answered already (408: the body did not arrive in time): this answer goes nowhere.
  if (res.headersSent || res.destroyed) return;
  let lines = headerLines.get(parts.headers);
  if (!lines) {
    lines = answerHeaders(parts.headers);
    if (Object.isFrozen(parts.headers)) headerLines.set(parts.headers, lines);
  }
  res.statusCode = parts.status;
  for (const [name, value] of lines) res.setHeader(name, value);
  if (parts.body === null) res.end();
  else res.end(parts.body);
}

function sendError(res: ServerResponse, status: number, code: string, message: string): void {
  // Closing the connection is what stops an oversized or stalled upload; reading it on would defeat the limit.
  res.writeHead(status, {
    'Content-Type': 'application/json; charset=utf-8',
    'Cache-Control': 'no-store',
    'X-Content-Type-Options': 'nosniff',
    Connection: 'close',
  });
  res.end(JSON.stringify({ error: { code, message } }));
}

/**
 * Adapts a fetch-style handler (such as `createLivenessHandler`'s) to Node's `http.createServer` and to
 * Express/Connect middleware: `app.use(toNodeHandler(handler))`. Request bodies stream into the
 * `Request` as the handler reads them (each route holds them to its own cap), under a deadline that
 * follows their progress (`bodyTimeoutMs`); the client's address is recorded for `clientKey` (see
 * `clientAddressOf`).
 */
export function toNodeHandler(handler: FetchHandler, options: NodeHandlerOptions = {}): NodeListener {
  const trustProxy = options.trustProxy ?? false;
  const bodyTimeoutMs = options.bodyTimeoutMs ?? 15_000;
  if (typeof bodyTimeoutMs !== 'number' || !Number.isFinite(bodyTimeoutMs) || bodyTimeoutMs <= 0) {
    throw new Error('toNodeHandler: bodyTimeoutMs must be a positive number.');
  }
  const base = handler.basePath?.toLowerCase();
  // A LivenessHandler's routes take a request built only as far as they read it (lazy/lazyRequest.ts);
  // any other fetch handler gets the full Request it always got.
  const lazy = acceptsLazyRequests(handler);
  return (req, res, next) => {
    const run = async () => {
      const ereq = req as ExpressRequest;
      const url = requestUrl(ereq, trustProxy);
      // Case-insensitively: the QR code's short link may be all upper case (`uppercaseShortLink`).
      const path = url?.pathname.toLowerCase();
      if (next && base !== undefined && path !== undefined && path !== base && !path.startsWith(`${base}/`)) {
        next();
        return;
      }
      if (!url) {
        sendError(res, 400, 'invalid_host', 'The Host header is not a valid host.');
        return;
      }
      const method = (req.method ?? 'GET').toUpperCase();
      // The request's signal aborts when the client goes away before the answer is all written. Made
      // when something reads it (an event stream, the full Request): most answers never need one.
      let controller: AbortController | undefined;
      let clientGone = false;
      res.once('close', () => {
        if (res.writableFinished) return;
        clientGone = true;
        controller?.abort();
      });
      const signal = () => {
        if (!controller) {
          controller = new AbortController();
          if (clientGone) controller.abort();
        }
        return controller.signal;
      };
      if ((method === 'GET' || method === 'HEAD') && announcesBody(req)) {
        sendError(res, 400, 'body_not_allowed', 'GET and HEAD requests carry no body.');
        return;
      }
      let body: StreamedBody | undefined;
      let parsed: Uint8Array | undefined;
      if (method !== 'GET' && method !== 'HEAD') {
        parsed = parsedBody(ereq);
        if (!parsed && announcesBody(req)) {
          body = streamBody(req, bodyTimeoutMs, () => {
            if (!res.headersSent) sendError(res, 408, 'request_timeout', 'The request body did not arrive in time.');
          });
        }
      }
      const address = trustProxy ? (last(req.headers['x-forwarded-for']) ?? req.socket.remoteAddress) : req.socket.remoteAddress;
      const build = (streamed: ReadableStream<Uint8Array> | undefined) => {
        const init: RequestInit & { duplex?: 'half' } = { method, headers: toHeaders(req), signal: signal() };
        if (streamed) {
          init.body = streamed;
          init.duplex = 'half';
        } else if (parsed) init.body = parsed as BodyInit;
        const full = new Request(url.href, init);
        recordClientAddress(full, address);
        return full;
      };
      const request =
        lazy && LAZY_METHODS.has(method)
          ? nodeRequest({
              method,
              url: url.href,
              pathname: url.pathname,
              headers: req.headers,
              address,
              signal,
              hasBody: parsed !== undefined || body !== undefined,
              stream: body?.stream,
              text: body?.text,
              build,
            })
          : build(body?.stream());
      const response = await handler(request);
      // Answered before the body was all read (a route's cap, a refusal): the connection cannot serve another request.
      if (body && !body.complete() && !res.headersSent) closeAfterAnswer(req, res);
      const parts = jsonAnswerParts(response);
      if (parts) sendJson(parts, res);
      else await sendResponse(asResponse(response), res);
    };
    run().catch((error: unknown) => {
      if (next) {
        next(error);
        return;
      }
      if (!res.headersSent) {
        res.writeHead(500, { 'Content-Type': 'application/json; charset=utf-8', 'Cache-Control': 'no-store', 'X-Content-Type-Options': 'nosniff' });
        res.end(JSON.stringify({ error: { code: 'internal_error', message: 'Something went wrong on the server.' } }));
      } else {
        res.destroy();
      }
    });
  };
}
