import type { HandlerContext } from '../handlerContext.js';
import { LEASE_MARGIN_MS, RESULT_SLOT_WAIT_MS } from '../limits.js';
import { mutateSession } from '../store/mutateSession.js';
import { callOnVerified, notifyFailed, type PersistOutcome } from './outcomeHooks.js';
import { nextStep, recordOutcome, recordPersist, type OwedResult, type ResultCheckKind, type ResultOutcome, type ScheduleSettings } from './resultSchedule.js';
import type { StoredSession } from '../store/sessionStore.js';
import type { BudgetLane } from '../upstream/upstreamBudget.js';
import { randomHex } from '../randomBytes.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const RECORD_RETRIES_MS = [100, 300, 1000] as const;
// GroupIds kept in this process while the store cannot take them, at most.
const MAX_OWED = 10_000;

export function scheduleSettings(context: HandlerContext): ScheduleSettings {
  const { resultWindowMs, probeIntervalMs, onVerified, onVerifiedWindowMs, retainMs } = context.options;
  return { resultWindowMs, probeIntervalMs, persistWindowMs: onVerified ? onVerifiedWindowMs : undefined, retainMs };
}

/**
 * The budget lane of a result call: probes use spare budget, and so does a session that already heard
 * "not found" (its rechecks raise no flag that holds back creates); any other call is a result that is
 * due.
 */
function laneOf(session: StoredSession, check: ResultCheckKind): BudgetLane {
  if (check === 'probe') return 'probe';
  return session.notFoundCount ? 'recheck' : 'result';
}

/**
 * A slot of `lane`, waiting in this process up to `maxWaitMs` for one to free up. Every result call is
 * charged to the client that created the session (`createdBy`), whoever sent the callback.
 */
async function slotFor(context: HandlerContext, lane: BudgetLane, createdBy: string | undefined, maxWaitMs: number) {
  const deadline = context.options.clock() + maxWaitMs;
  // Bounded in rounds as well: an injected clock that stands still must not make this spin for ever.
  for (let round = 0; ; round += 1) {
    const slot = await context.budget.upstreamSlot(lane, createdBy);
    if (slot.ok || round >= 5 || slot.retryAfterMs > deadline - context.options.clock()) return slot;
    await sleep(slot.retryAfterMs);
  }
}

/** One result call under the lease: a budget slot, then the upstream, boiled down to an outcome. */
async function call(context: HandlerContext, session: StoredSession, check: ResultCheckKind): Promise<ResultOutcome> {
  const lane = laneOf(session, check);
  const slot = await slotFor(context, lane, session.createdBy, lane === 'result' ? RESULT_SLOT_WAIT_MS : 0);
  if (!slot.ok) {
    context.emit({ type: 'rate_limited', sessionId: session.id, action: 'result', check });
    return { kind: 'no_slot', retryAfterMs: slot.retryAfterMs };
  }
  // Only the token stored at creation is used; no callback query decides anything.
  const result = await context.upstream.getResult(session.bytedToken);
  context.emit({
    type: 'upstream.response',
    sessionId: session.id,
    action: 'result',
    check,
    ...(result.status === undefined ? {} : { upstreamStatus: result.status }),
    ...(result.ok ? {} : { code: result.failure.kind }),
    durationMs: result.durationMs,
  });
  if (result.ok) return result.value.groupId ? { kind: 'group', groupId: result.value.groupId } : { kind: 'empty' };
  switch (result.failure.kind) {
    case 'not_found':
    case 'not_ready':
      return { kind: 'not_found' };
    case 'unavailable':
      return { kind: 'transient', retryAfterMs: result.failure.retryAfterMs };
    default:
      // A timeout, a network error, a 5xx, a refused key, an unreadable body: no answer about the person.
      return { kind: 'transient' };
  }
}

function report(context: HandlerContext, before: StoredSession, after: StoredSession, check: ResultCheckKind, started: number, persisted?: PersistOutcome): void {
  const { emit, options } = context;
  const durationMs = options.clock() - started;
  if (persisted !== undefined && persisted !== 'ok' && after.status === 'checking') {
    emit({
      type: 'result.retry',
      sessionId: after.id,
      check,
      code: persisted === 'timeout' ? 'on_verified_timeout' : 'on_verified_failed',
      attempt: after.persistAttempts ?? 0,
      retryInMs: Math.max(0, (after.nextAttemptAt ?? options.clock()) - options.clock()),
    });
    return;
  }
  if (after.status === 'verified') {
    emit({ type: 'session.verified', sessionId: after.id, status: 'verified', check, ...(after.resultCode ? { resultCode: after.resultCode } : {}), durationMs });
  } else if (after.status === 'failed') {
    emit({
      type: 'session.failed',
      sessionId: after.id,
      status: 'failed',
      check,
      ...(after.reason ? { reason: after.reason } : {}),
      ...(after.resultCode ? { resultCode: after.resultCode } : {}),
      durationMs,
    });
    notifyFailed(context, after);
  } else if (after.finalCheckDone && !before.finalCheckDone) {
    emit({ type: 'session.expired', sessionId: after.id, status: 'expired', check, durationMs });
  } else if (after.nextAttemptAt !== undefined && after.nextAttemptAt !== before.nextAttemptAt && after.groupId === undefined) {
    // A GroupId that just came in is due for `onVerified` at once: that is the next step, not a retry.
    emit({ type: 'result.retry', sessionId: after.id, check, attempt: after.attempts ?? 0, retryInMs: Math.max(0, after.nextAttemptAt - options.clock()) });
  }
}

/**
 * Writes an outcome, trying again when the store throws: a GroupId that never reaches the store is lost
 * for good (the token is spent), so a hiccup of the store must not be the end of it.
 */
async function recordWithRetries<T>(write: () => Promise<T>): Promise<T> {
  for (let attempt = 0; ; attempt += 1) {
    try {
      return await write();
    } catch (error) {
      if (attempt >= RECORD_RETRIES_MS.length) throw error;
      await sleep(RECORD_RETRIES_MS[attempt]!);
    }
  }
}

/**
 * Writes a GroupId that an earlier run of this process could not write (the store was down). Only the
 * upstream's answer is written, whoever holds the lease now: the token is spent, nobody can ask again.
 */
async function payOwed(context: HandlerContext, id: string, owed: OwedResult, started: number): Promise<void> {
  const { store, clock } = context.options;
  const settings = scheduleSettings(context);
  let before: StoredSession | undefined;
  const recorded = await mutateSession(store, id, (session) => {
    before = session;
    return recordOutcome(session, { kind: 'group', groupId: owed.groupId }, clock(), owed.holder, owed.check, settings);
  });
  context.owed.delete(id);
  if (recorded?.changed && before) report(context, before, recorded.session, owed.check, started);
}

async function step(context: HandlerContext, id: string, round = 0): Promise<StoredSession | undefined> {
  const { store, clock, upstreamTimeoutMs, onVerifiedTimeoutMs } = context.options;
  const settings = scheduleSettings(context);
  const started = clock();
  const owed = context.owed.get(id);
  if (owed) await payOwed(context, id, owed, started);
  let check: ResultCheckKind | undefined;
  const holder = randomHex(12);
  // The claim: only one caller anywhere turns a due step into a lease. Deciding inside the
  // compare-and-set means a second instance reading the same session at the same moment loses.
  const claim = await mutateSession(store, id, (session) => {
    const now = clock();
    const next = nextStep(session, now, settings);
    if (next.kind === 'close' && next.at <= now) return { status: 'failed', reason: 'unconfirmed', decidedAt: now, lease: undefined };
    if (next.kind !== 'call' || next.at > now) return undefined;
    check = next.check;
    const leaseMs = check === 'persist' ? onVerifiedTimeoutMs : upstreamTimeoutMs + RESULT_SLOT_WAIT_MS;
    return { lease: { holder, until: now + leaseMs + LEASE_MARGIN_MS } };
  });
  if (!claim) return undefined;
  if (!claim.changed || check === undefined) {
    if (claim.changed && claim.session.status === 'failed') {
      const code = claim.session.groupId !== undefined ? 'on_verified_gave_up' : 'result_window_closed';
      context.emit({ type: 'session.failed', sessionId: id, status: 'failed', reason: 'unconfirmed', code });
      notifyFailed(context, claim.session);
    }
    context.timers.schedule(id, nextStep(claim.session, clock(), settings));
    return claim.session;
  }
  const kind = check;
  let recorded: Awaited<ReturnType<typeof mutateSession>>;
  let persisted: PersistOutcome | undefined;
  if (kind === 'persist') {
    // Under the lease, so one call at a time anywhere; the lease outlasts the call's own deadline.
    const done = (persisted = await callOnVerified(context, claim.session)) === 'ok';
    recorded = await recordWithRetries(() => mutateSession(store, id, (session) => recordPersist(session, done, clock(), holder, settings)));
  } else {
    const outcome = await call(context, claim.session, kind);
    try {
      recorded = await recordWithRetries(() => mutateSession(store, id, (session) => recordOutcome(session, outcome, clock(), holder, kind, settings)));
    } catch (error) {
      // The store is down past the retries, and the token is spent: a GroupId is kept in this process
      // and written by the session's next run (`advanceSession` has one retried on a timer).
      if (outcome.kind === 'group') {
        if (context.owed.size >= MAX_OWED) context.owed.delete(context.owed.keys().next().value!);
        context.owed.set(id, { groupId: outcome.groupId, check: kind, holder });
      }
      throw error;
    }
  }
  if (!recorded) return undefined;
  const { session } = recorded;
  if (recorded.changed) report(context, claim.session, session, kind, started, persisted);
  const next = nextStep(session, clock(), settings);
  // Due at once and of another kind: a GroupId just came in (hand it to `onVerified`), or a success
  // callback arrived while a probe was under way (its own result call). In the same run, not a timer
  // tick later: the callback that joined this run is waiting for the outcome.
  if (round === 0 && next.kind === 'call' && next.check !== kind && next.at <= clock()) return step(context, id, 1);
  context.timers.schedule(id, next);
  return session;
}

/**
 * Runs whatever is due for a session: a result call after a callback, a probe for a lost callback, the
 * check at the link's expiry, or closing its result window. Requests (callbacks, status polls) and the
 * bonus timers all come here; concurrent callers in this process share one run, callers in other
 * processes lose the lease. Resolves to the session as it then is.
 */
export function advanceSession(context: HandlerContext, id: string): Promise<StoredSession | undefined> {
  const running = context.steps.get(id);
  if (running) return running;
  const run = step(context, id)
    .then(
      (session) => {
        context.timers.recovered(id);
        return session;
      },
      (error: unknown) => {
        // Whoever drove it (a request, a timer), a run that met a failing store is tried again on a
        // timer, so the session's work resumes once the store is back, with or without requests.
        context.timers.retry(id);
        throw error;
      },
    )
    .finally(() => context.steps.delete(id));
  context.steps.set(id, run);
  return run;
}

/**
 * `promise`, or `undefined` when it has not settled within `ms`: a request does not wait for ever. The
 * work goes on, handed to the platform's `waitUntil` when there is one.
 */
export async function within<T>(context: HandlerContext, promise: Promise<T>, ms: number): Promise<T | undefined> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const late = Symbol('late');
  const raced = await Promise.race([promise, new Promise<typeof late>((resolve) => (timer = setTimeout(() => resolve(late), ms)))]).finally(() => clearTimeout(timer));
  if (raced !== late) return raced;
  context.options.waitUntil?.(promise.catch(() => undefined));
  return undefined;
}
