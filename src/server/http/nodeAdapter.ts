// Node-only: the one file of the server half that knows about `node:http`. Type imports only, so the
// handler itself stays loadable on edge runtimes.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { recordClientAddress } from './clientAddress.js';
import { MAX_BODY_BYTES } from '../limits.js';

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
   * How long a request body may take to arrive. A client that sends it slower gets 408 and the
   * connection is closed, instead of holding it until Node's own `requestTimeout` (300 s). `GET` and
   * `HEAD` take no body at all: one that comes with a body (chunked, or a `Content-Length` above 0)
   * gets 400 `body_not_allowed` at once, and the connection is closed.
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

class BodyTooLarge extends Error {}
class BodyTimeout extends Error {}

function first(value: string | string[] | undefined): string | undefined {
  const text = Array.isArray(value) ? value[0] : value;
  return text?.split(',')[0]?.trim() || undefined;
}

function last(value: string | string[] | undefined): string | undefined {
  const text = Array.isArray(value) ? value.join(',') : value;
  return text?.split(',').at(-1)?.trim() || undefined;
}

/** The request URL, or `undefined` when the `Host` (or forwarded host) cannot be part of one. */
function requestUrl(req: ExpressRequest, trustProxy: boolean): URL | undefined {
  const encrypted = Boolean((req.socket as { encrypted?: boolean }).encrypted);
  const proto = (trustProxy && first(req.headers['x-forwarded-proto'])) || (encrypted ? 'https' : 'http');
  const host = (trustProxy && first(req.headers['x-forwarded-host'])) || req.headers.host || 'localhost';
  // Only the characters a host and port can have: `new URL` would accept some others (a path, userinfo).
  if (!/^[A-Za-z0-9.:[\]_-]+$/.test(host)) return undefined;
  try {
    // Express strips its mount path from `url` but keeps the full path in `originalUrl`.
    return new URL(req.originalUrl ?? req.url ?? '/', `${proto === 'https' ? 'https' : 'http'}://${host}`);
  } catch {
    return undefined;
  }
}

function toHeaders(req: IncomingMessage): Headers {
  const headers = new Headers();
  for (const [name, value] of Object.entries(req.headers)) {
    if (value === undefined || name.startsWith(':')) continue;
    for (const item of Array.isArray(value) ? value : [value]) headers.append(name, item);
  }
  return headers;
}

/**
 * Reads the body, giving up as soon as it passes the limit instead of buffering whatever a client sends,
 * and when it has not all arrived within `timeoutMs`.
 */
function readBody(req: IncomingMessage, timeoutMs: number): Promise<Uint8Array> {
  return new Promise((resolve, reject) => {
    const declared = Number(req.headers['content-length']);
    if (Number.isFinite(declared) && declared > MAX_BODY_BYTES) {
      reject(new BodyTooLarge());
      return;
    }
    const chunks: Buffer[] = [];
    let total = 0;
    const stop = (error: Error) => {
      clearTimeout(timer);
      req.off('data', onData);
      reject(error);
    };
    const timer = setTimeout(() => stop(new BodyTimeout()), timeoutMs);
    const onData = (chunk: Buffer) => {
      total += chunk.byteLength;
      if (total > MAX_BODY_BYTES) {
        stop(new BodyTooLarge());
        return;
      }
      chunks.push(chunk);
    };
    req.on('data', onData);
    req.once('end', () => {
      clearTimeout(timer);
      resolve(new Uint8Array(Buffer.concat(chunks)));
    });
    req.once('error', (error) => stop(error));
  });
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
 * Express/Connect middleware: `app.use(toNodeHandler(handler))`. Bodies are read with the same 16 KiB
 * limit as the handler and a deadline; the client's address is recorded for `clientKey` (see
 * `clientAddressOf`).
 */
export function toNodeHandler(handler: FetchHandler, options: NodeHandlerOptions = {}): NodeListener {
  const trustProxy = options.trustProxy ?? false;
  const bodyTimeoutMs = options.bodyTimeoutMs ?? 15_000;
  if (typeof bodyTimeoutMs !== 'number' || !Number.isFinite(bodyTimeoutMs) || bodyTimeoutMs <= 0) {
    throw new Error('toNodeHandler: bodyTimeoutMs must be a positive number.');
  }
  const base = handler.basePath?.toLowerCase();
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
      const controller = new AbortController();
      res.once('close', () => {
        if (!res.writableFinished) controller.abort();
      });
      const init: RequestInit = { method, headers: toHeaders(req), signal: controller.signal };
      if ((method === 'GET' || method === 'HEAD') && announcesBody(req)) {
        sendError(res, 400, 'body_not_allowed', 'GET and HEAD requests carry no body.');
        return;
      }
      if (method !== 'GET' && method !== 'HEAD') {
        try {
          init.body = (parsedBody(ereq) ?? (await readBody(req, bodyTimeoutMs))) as BodyInit;
        } catch (error) {
          if (error instanceof BodyTooLarge) {
            sendError(res, 413, 'payload_too_large', `The request body is larger than ${MAX_BODY_BYTES} bytes.`);
            return;
          }
          if (error instanceof BodyTimeout) {
            sendError(res, 408, 'request_timeout', 'The request body did not arrive in time.');
            return;
          }
          throw error;
        }
      }
      const request = new Request(url, init);
      const address = trustProxy ? (last(req.headers['x-forwarded-for']) ?? req.socket.remoteAddress) : req.socket.remoteAddress;
      recordClientAddress(request, address);
      const response = await handler(request);
      await sendResponse(response, res);
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
