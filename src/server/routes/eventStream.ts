import type { HandlerContext } from '../handlerContext.js';
import { STREAM_HEARTBEAT_MS } from '../limits.js';

// What makes the stream a stream end to end: no cache, no proxy buffering (nginx honours
// X-Accel-Buffering), no compression (`no-transform` stops compression middleware and proxies alike).
export const STREAM_HEADERS: Readonly<Record<string, string>> = {
  'Content-Type': 'text/event-stream; charset=utf-8',
  'Cache-Control': 'no-store, no-transform',
  'X-Accel-Buffering': 'no',
  'X-Content-Type-Options': 'nosniff',
};

const encoder = new TextEncoder();

/** An open event stream, as the route that feeds it sees it. */
export interface EventStream {
  /** Sends one event whose data is `json`. */
  send(json: string): void;
  /** Ends the stream; what it holds is released. */
  end(): void;
  /** Whether it has ended: by `end()`, the request's abort (the browser went away) or the body's cancel. */
  readonly closed: boolean;
}

/**
 * A `text/event-stream` answer, open at once: the reconnection delay first, a comment every 15 s,
 * counted among the handler's open streams while it lasts. However it ends, `release` runs once (the
 * route lets go of its subscriptions and timers there). A request already aborted gets a stream that
 * has already ended.
 */
export function openEventStream(context: HandlerContext, request: Request, release: () => void): { stream: EventStream; response: Response } {
  let output: ReadableStreamDefaultController<Uint8Array>;
  let closed = false;
  let heartbeat: ReturnType<typeof setInterval> | undefined;
  context.streams.open += 1;

  function close(): void {
    if (closed) return;
    closed = true;
    context.streams.open -= 1;
    clearInterval(heartbeat);
    request.signal?.removeEventListener('abort', end);
    release();
  }

  function end(): void {
    if (closed) return;
    close();
    try {
      output.close();
    } catch {
      // Already closed or errored by the consumer.
    }
  }

  function write(text: string): void {
    try {
      output.enqueue(encoder.encode(text));
    } catch {
      close();
    }
  }

  // The stream's start runs as it is made, so the stream is open (or ended) when this returns.
  const body = new ReadableStream<Uint8Array>({
    start(controller) {
      output = controller;
      request.signal?.addEventListener('abort', end);
      if (request.signal?.aborted) return end();
      write('retry: 2000\n\n');
      heartbeat = setInterval(() => write(':\n\n'), STREAM_HEARTBEAT_MS);
    },
    cancel: close,
  });
  const stream: EventStream = {
    send: (json) => write(`data: ${json}\n\n`),
    end,
    get closed() {
      return closed;
    },
  };
  return { stream, response: new Response(body, { status: 200, headers: STREAM_HEADERS }) };
}

/**
 * `run`, never twice at once: a call while it runs makes it run once more when it is done (the
 * changes heard meanwhile are read then), however many calls came.
 */
export function oneAtATime(run: () => Promise<void>): () => Promise<void> {
  let busy = false;
  let again = false;
  return async () => {
    if (busy) {
      again = true;
      return;
    }
    busy = true;
    try {
      do {
        again = false;
        await run();
      } while (again);
    } finally {
      busy = false;
    }
  };
}
