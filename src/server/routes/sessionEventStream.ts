import { attendSession } from '../result/attendSession.js';
import type { HandlerContext } from '../handlerContext.js';
import { FINAL_CHECK_WINDOW_MS, STREAM_FALLBACK_READ_MS, STREAM_MIN_TICK_MS } from '../limits.js';
import { nextStep } from '../result/resultSchedule.js';
import { scheduleSettings } from '../result/resultStep.js';
import type { StoredSession } from '../store/sessionStore.js';
import { sessionStatusBody } from '../sessionView.js';
import { oneAtATime, openEventStream } from './eventStream.js';

const FINAL = new Set(['verified', 'failed', 'expired']);
// setTimeout fires at once for delays past 2^31-1 ms.
const MAX_DELAY_MS = 2_147_483_647;

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
  let last: string | undefined;
  let tick: ReturnType<typeof setTimeout> | undefined;
  let watchdog: ReturnType<typeof setInterval> | undefined;

  const refresh = oneAtATime(async () => {
    if (stream.closed) return;
    try {
      let session = await store.get(id);
      if (stream.closed) return;
      if (!session || send(session)) return stream.end();
      // As a poll would: mark the session watched, drive a result call that is due (bounded).
      const attended = await attendSession(context, session);
      if (stream.closed) return;
      if (attended.version !== session.version && send((session = attended))) return stream.end();
      schedule(session);
    } catch {
      // A failing store: try again as a poll would; the browser's safety poll covers the rest.
      schedule(undefined);
    }
  });
  const subscription = context.feed.subscribe(id, () => void refresh());
  const { stream, response } = openEventStream(context, request, () => {
    subscription.close();
    clearTimeout(tick);
    clearInterval(watchdog);
  });

  /** Sends the status when it says something new; `true` once it is final (the stream then ends). */
  function send(session: StoredSession): boolean {
    const { expiresInMs, ...rest } = sessionStatusBody(session, clock(), settings);
    const said = JSON.stringify(rest);
    if (said !== last) {
      last = said;
      stream.send(JSON.stringify({ ...rest, expiresInMs }));
    }
    return FINAL.has(rest.status);
  }

  /**
   * When the status could change with no write (or a due result call should be driven), read again;
   * without a session (the store failed), as soon as a poll would.
   */
  function schedule(session: StoredSession | undefined): void {
    clearTimeout(tick);
    if (stream.closed) return;
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

  if (stream.closed) return response;
  // The status as it was read a moment ago: no wait for a second read.
  if (send(first)) {
    stream.end();
    return response;
  }
  // The subscription may be lost at any moment: while it is down, read the store as a poll would.
  watchdog = setInterval(() => subscription.live || void refresh(), STREAM_FALLBACK_READ_MS);
  void refresh();
  return response;
}
