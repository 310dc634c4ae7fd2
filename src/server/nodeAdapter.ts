// Node-only: the one file of the server half that knows about `node:http`. Type imports only, so the
// handler itself stays loadable on edge runtimes.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { MAX_BODY_BYTES } from './limits.js';

/** Options of {@link toNodeHandler}. */
export interface NodeHandlerOptions {
  /**
   * Build the request URL from `X-Forwarded-Proto` / `X-Forwarded-Host`. Only enable behind a proxy that
   * sets them, otherwise any client could choose the origin used for callback and QR URLs (or set `publicUrl`).
   * @default false
   */
  trustProxy?: boolean;
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

function first(value: string | string[] | undefined): string | undefined {
  const text = Array.isArray(value) ? value[0] : value;
  return text?.split(',')[0]?.trim() || undefined;
}

function requestUrl(req: ExpressRequest, trustProxy: boolean): URL {
  const encrypted = Boolean((req.socket as { encrypted?: boolean }).encrypted);
  const proto = (trustProxy && first(req.headers['x-forwarded-proto'])) || (encrypted ? 'https' : 'http');
  const host = (trustProxy && first(req.headers['x-forwarded-host'])) || req.headers.host || 'localhost';
  // Express strips its mount path from `url` but keeps the full path in `originalUrl`.
  return new URL(req.originalUrl ?? req.url ?? '/', `${proto === 'https' ? 'https' : 'http'}://${host}`);
}

function toHeaders(req: IncomingMessage): Headers {
  const headers = new Headers();
  for (const [name, value] of Object.entries(req.headers)) {
    if (value === undefined || name.startsWith(':')) continue;
    for (const item of Array.isArray(value) ? value : [value]) headers.append(name, item);
  }
  return headers;
}

/** Reads the body, giving up as soon as it passes the limit instead of buffering whatever a client sends. */
function readBody(req: IncomingMessage): Promise<Uint8Array> {
  return new Promise((resolve, reject) => {
    const declared = Number(req.headers['content-length']);
    if (Number.isFinite(declared) && declared > MAX_BODY_BYTES) {
      reject(new BodyTooLarge());
      return;
    }
    const chunks: Buffer[] = [];
    let total = 0;
    const onData = (chunk: Buffer) => {
      total += chunk.byteLength;
      if (total > MAX_BODY_BYTES) {
        req.off('data', onData);
        reject(new BodyTooLarge());
        return;
      }
      chunks.push(chunk);
    };
    req.on('data', onData);
    req.once('end', () => resolve(new Uint8Array(Buffer.concat(chunks))));
    req.once('error', reject);
  });
}

/** A body some Express middleware (e.g. `express.json()`) already consumed, turned back into bytes. */
function parsedBody(req: ExpressRequest): Uint8Array | undefined {
  if (!req.readableEnded || req.body === undefined) return undefined;
  const { body } = req;
  if (typeof body === 'string') return new TextEncoder().encode(body);
  if (body instanceof Uint8Array) return body;
  return new TextEncoder().encode(JSON.stringify(body));
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
    const { done, value } = await reader.read();
    if (done) break;
    // Respect back-pressure: wait for 'drain' instead of buffering the whole body in memory.
    if (!res.write(value)) await new Promise<void>((resolve) => res.once('drain', resolve));
  }
  res.end();
}

function sendTooLarge(res: ServerResponse): void {
  const body = JSON.stringify({
    error: { code: 'payload_too_large', message: `The request body is larger than ${MAX_BODY_BYTES} bytes.` },
  });
  // Closing the connection is what stops an oversized upload; reading it to the end would defeat the limit.
  res.writeHead(413, {
    'Content-Type': 'application/json; charset=utf-8',
    'Cache-Control': 'no-store',
    'X-Content-Type-Options': 'nosniff',
    Connection: 'close',
  });
  res.end(body);
}

/**
 * Adapts a fetch-style handler (such as `createLivenessHandler`'s) to Node's `http.createServer` and to Express/Connect middleware:
 * `app.use(toNodeHandler(handler))`. Bodies are read with the same 16 KiB limit as the handler.
 */
export function toNodeHandler(handler: FetchHandler, options: NodeHandlerOptions = {}): NodeListener {
  const trustProxy = options.trustProxy ?? false;
  return (req, res, next) => {
    const run = async () => {
      const ereq = req as ExpressRequest;
      const url = requestUrl(ereq, trustProxy);
      const base = handler.basePath;
      if (next && base !== undefined && url.pathname !== base && !url.pathname.startsWith(`${base}/`)) {
        next();
        return;
      }
      const method = (req.method ?? 'GET').toUpperCase();
      const controller = new AbortController();
      res.once('close', () => {
        if (!res.writableFinished) controller.abort();
      });
      const init: RequestInit = { method, headers: toHeaders(req), signal: controller.signal };
      if (method !== 'GET' && method !== 'HEAD') {
        try {
          init.body = (parsedBody(ereq) ?? (await readBody(req))) as BodyInit;
        } catch (error) {
          if (error instanceof BodyTooLarge) {
            sendTooLarge(res);
            return;
          }
          throw error;
        }
      }
      const response = await handler(new Request(url, init));
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
