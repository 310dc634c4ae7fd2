import { attendSession } from '../result/attendSession.js';
import type { HandlerContext } from '../handlerContext.js';
import { FINAL_CHECK_WINDOW_MS, STREAM_FALLBACK_READ_MS, STREAM_HEARTBEAT_MS, STREAM_MIN_TICK_MS } from '../limits.js';
import { nextStep } from '../result/resultSchedule.js';
import { scheduleSettings } from '../result/resultStep.js';
import type { StoredSession } from '../store/sessionStore.js';
import { sessionStatusBody } from '../sessionView.js';

// What makes the stream a stream end to end: no cache, no proxy buffering (nginx honours
// X-Accel-Buffering), no compression (`no-transform` stops compression middleware and proxies alike).
export const STREAM_HEADERS: Readonly<Record<string, string>> = {
  'Content-Type': 'text/event-stream; charset=utf-8',
  'Cache-Control': 'no-store, no-transform',
  'X-Accel-Buffering': 'no',
  'X-Content-Type-Options': 'nosniff',
};

const FINAL = new Set(['verified', 'failed', 'expired']);
// setTimeout fires at once for delays past 2^31-1 ms.
const MAX_DELAY_MS = 2_147_483_647;
const encoder = new TextEncoder();

/**
 * The body of `GET …/sessions/:id/events`: the session's status at once, then each change of it (the
 * same JSON as the status route, sent when anything but `expiresInMs` differs), a comment every 15 s,
 * and the end after a final status or once the session is gone. It hears of changes through the
 * handler's feed; between them it reads the session when something is due by time alone (a result call
 * to drive, as a poll would, the expiry, the end of a result window), and every 2 s while the feed is
 * not live (never subscribed, or the subscription was lost). The request's abort (the browser went
 * away) or the body's cancel releases everything.
 */
export function sessionEventStream(context: HandlerContext, request: Request, first: StoredSession): Response {
  const { store, clock } = context.options;
  const settings = scheduleSettings(context);
  const { id } = first;
  let output: ReadableStreamDefaultController<Uint8Array>;
  let last: string | undefined;
  let closed = false;
  let busy = false;
  let again = false;
  let tick: ReturnType<typeof setTimeout> | undefined;
  let heartbeat: ReturnType<typeof setInterval> | undefined;
  let watchdog: ReturnType<typeof setInterval> | undefined;

  context.streams.open += 1;
  const subscription = context.feed.subscribe(id, () => void refresh());

  function release(): void {
    if (closed) return;
    closed = true;
    context.streams.open -= 1;
    subscription.close();
    clearTimeout(tick);
    clearInterval(heartbeat);
    clearInterval(watchdog);
    request.signal?.removeEventListener('abort', end);
  }

  function end(): void {
    if (closed) return;
    release();
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
      release();
    }
  }

  /** Sends the status when it says something new; `true` once it is final (the stream then ends). */
  function send(session: StoredSession): boolean {
    const { expiresInMs, ...rest } = sessionStatusBody(session, clock(), settings);
    const said = JSON.stringify(rest);
    if (said !== last) {
      last = said;
      write(`data: ${JSON.stringify({ ...rest, expiresInMs })}\n\n`);
    }
    return FINAL.has(rest.status);
  }

  /**
   * When the status could change with no write (or a due result call should be driven), read again;
   * without a session (the store failed), as soon as a poll would.
   */
  function schedule(session: StoredSession | undefined): void {
    clearTimeout(tick);
    if (closed) return;
    const now = clock();
    let at = now + (session ? MAX_DELAY_MS : STREAM_FALLBACK_READ_MS);
    if (session) {
      const step = nextStep(session, now, settings);
      const times = [session.expiresAt, session.expiresAt + FINAL_CHECK_WINDOW_MS, session.lease?.until];
      // The ends of a result window and of an `onVerified` window: a `checking` session may read failed then.
      if (session.status === 'checking') {
        const since = session.checkingSince ?? session.createdAt;
        times.push(since + settings.resultWindowMs, (session.verifiedAt ?? since) + (settings.persistWindowMs ?? 0));
      }
      // A step already due was just driven (or is being): look again no sooner than a poll would.
      if (step.kind !== 'idle') times.push(step.at > now ? step.at : now + STREAM_FALLBACK_READ_MS);
      for (const time of times) if (time !== undefined && time > now && time < at) at = time;
    }
    tick = setTimeout(() => void refresh(), Math.min(Math.max(at - now, STREAM_MIN_TICK_MS), MAX_DELAY_MS));
  }

  async function refresh(): Promise<void> {
    if (closed) return;
    if (busy) {
      again = true;
      return;
    }
    busy = true;
    let session: StoredSession | undefined;
    try {
      do {
        again = false;
        session = await store.get(id);
        if (closed) return;
        if (!session || send(session)) return end();
        // As a poll would: mark the session watched, drive a result call that is due (bounded).
        const attended = await attendSession(context, session);
        if (closed) return;
        if (attended.version !== session.version && send((session = attended))) return end();
      } while (again);
      schedule(session);
    } catch {
      // A failing store: try again as a poll would; the browser's safety poll covers the rest.
      schedule(undefined);
    } finally {
      busy = false;
    }
  }

  const body = new ReadableStream<Uint8Array>({
    start(controller) {
      output = controller;
      request.signal?.addEventListener('abort', end);
      if (request.signal?.aborted) return end();
      // The reconnection delay, then the status as it was read a moment ago: no wait for a second read.
      write('retry: 2000\n\n');
      if (send(first)) return end();
      heartbeat = setInterval(() => write(':\n\n'), STREAM_HEARTBEAT_MS);
      // The subscription may be lost at any moment: while it is down, read the store as a poll would.
      watchdog = setInterval(() => subscription.live || void refresh(), STREAM_FALLBACK_READ_MS);
      void refresh();
    },
    cancel: release,
  });
  return new Response(body, { status: 200, headers: STREAM_HEADERS });
}
