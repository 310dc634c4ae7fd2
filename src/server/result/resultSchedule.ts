import { FINAL_CHECK_RETRY_MS, FINAL_CHECK_WINDOW_MS, MAX_UPSTREAM_RETRY_AFTER_MS, NOT_FOUND_RECHECKS_MS, NOT_READY_GRACE_MS, PERSIST_BACKOFF_MAX_MS, RESULT_BACKOFF_MS } from '../limits.js';
import type { SessionPatch, StoredSession } from '../store/sessionStore.js';

/** The timing options the schedule depends on. */
export interface ScheduleSettings {
  resultWindowMs: number;
  probeIntervalMs: number;
  /** With an `onVerified` hook: how long it is retried from the upstream's answer. Without one: `undefined`. */
  persistWindowMs: number | undefined;
  retainMs: number;
}

/**
 * Why a step runs; see `LivenessServerEvent.check`. `persist`: not a result call, but the app's
 * `onVerified` for a GroupId the upstream already answered.
 */
export type ResultCheckKind = 'callback' | 'probe' | 'expiry' | 'persist';

/**
 * What a session needs next: a result call (`call`, of a kind, due at `at`), the end of its result
 * window (`close`: failed, unconfirmed), or nothing ever again (`idle`).
 */
export type NextStep = { kind: 'call'; check: ResultCheckKind; at: number } | { kind: 'close'; at: number } | { kind: 'idle' };

/** A GroupId the upstream answered that could not be written yet (the store was down): see `HandlerContext.owed`. */
export interface OwedResult {
  groupId: string;
  check: ResultCheckKind;
  holder: string;
}

/** What one result call came back with, boiled down to what the schedule needs. */
export type ResultOutcome =
  | { kind: 'group'; groupId: string }
  | { kind: 'empty' }
  /** "Not found" or `ValidateNotReady`: an answer only once the upstream had time to store the result. */
  | { kind: 'not_found' }
  /** No answer: a timeout, a network error, a 5xx, a 429/503 (with its `Retry-After`), an unreadable body. */
  | { kind: 'transient'; retryAfterMs?: number }
  /** The budget had no slot: the call was never made. */
  | { kind: 'no_slot'; retryAfterMs: number };

function activeLeaseUntil(session: StoredSession, now: number): number {
  return session.lease && session.lease.until > now ? session.lease.until : 0;
}

/**
 * The pure heart of "results are retried, never guessed": when the next result call of a session is due
 * and of which kind. Every instance computes the same answer from the stored session, so whichever
 * request or timer arrives first (and wins the lease) does the work.
 */
export function nextStep(session: StoredSession, now: number, settings: ScheduleSettings): NextStep {
  if (session.status === 'verified' || session.status === 'failed' || session.status === 'cancelled') return { kind: 'idle' };
  const busyUntil = activeLeaseUntil(session, now);
  if (session.status === 'checking' && session.groupId !== undefined) {
    // The token is spent: from here on only the app's `onVerified` is retried, never the result call.
    const answeredAt = session.verifiedAt ?? session.checkingSince ?? session.createdAt;
    const windowEnd = answeredAt + (settings.persistWindowMs ?? 0);
    const at = Math.max(session.nextAttemptAt ?? answeredAt, busyUntil);
    return at < windowEnd ? { kind: 'call', check: 'persist', at } : { kind: 'close', at: Math.max(windowEnd, busyUntil) };
  }
  if (session.status === 'checking') {
    const since = session.checkingSince ?? session.createdAt;
    const windowEnd = since + settings.resultWindowMs;
    const at = Math.max(session.nextAttemptAt ?? since, busyUntil);
    return at < windowEnd ? { kind: 'call', check: 'callback', at } : { kind: 'close', at: Math.max(windowEnd, busyUntil) };
  }
  // Pending: only worth a look when a phone opened the link or the desktop is waiting on it.
  const interest = Math.min(session.openedAt ?? Infinity, session.watchedAt ?? Infinity);
  if (interest === Infinity) return { kind: 'idle' };
  const probeAt = Math.max((session.lastProbeAt ?? interest) + settings.probeIntervalMs, session.nextAttemptAt ?? 0, busyUntil);
  // A probe overdue at expiry is not made: the check at expiry replaces it.
  if (probeAt < session.expiresAt && now < session.expiresAt) return { kind: 'call', check: 'probe', at: probeAt };
  const finalEnd = session.expiresAt + FINAL_CHECK_WINDOW_MS;
  // Past its window the session reads `expired` everywhere: no check may start and change that.
  if (session.finalCheckDone || now >= finalEnd) return { kind: 'idle' };
  const finalAt = Math.max(session.expiresAt, session.nextAttemptAt ?? 0, busyUntil);
  return finalAt < finalEnd ? { kind: 'call', check: 'expiry', at: finalAt } : { kind: 'idle' };
}

/** The wait after the `attempts`-th call without an answer: 1 s, 2 s, 4 s, 8 s, then 10 s. */
export function backoffMs(attempts: number): number {
  return RESULT_BACKOFF_MS[Math.min(Math.max(attempts, 1), RESULT_BACKOFF_MS.length) - 1]!;
}

function retryDelay(outcome: ResultOutcome, base: number): number {
  const hinted = 'retryAfterMs' in outcome && outcome.retryAfterMs !== undefined ? Math.min(outcome.retryAfterMs, MAX_UPSTREAM_RETRY_AFTER_MS) : 0;
  return Math.max(base, hinted);
}

/**
 * How a result call's outcome changes the session. Only the upstream decides: a GroupId verifies
 * (whoever made the call, and even if its lease ran out: the token is spent either way); an empty GroupId,
 * or "not found" once the grace minute after the callback has passed, fails; everything else schedules
 * another call. Outcomes of a holder that lost its lease are otherwise ignored: the new holder decides.
 * `undefined` when nothing changes.
 */
export function recordOutcome(
  session: StoredSession,
  outcome: ResultOutcome,
  now: number,
  holder: string,
  check: ResultCheckKind,
  settings: Pick<ScheduleSettings, 'persistWindowMs' | 'retainMs'>,
): SessionPatch | undefined {
  // A cancelled session drops even a GroupId: the person on the desktop said the phone was not theirs.
  if (session.status === 'verified' || session.status === 'failed' || session.status === 'cancelled' || session.groupId !== undefined) return undefined;
  if (outcome.kind === 'group' && settings.persistWindowMs !== undefined) {
    // Not verified yet: the app's `onVerified` must have it first. Kept (never purged) for as long as
    // that may be retried; due at once.
    return {
      status: 'checking',
      groupId: outcome.groupId,
      verifiedAt: now,
      checkingSince: session.checkingSince ?? now,
      lease: undefined,
      nextAttemptAt: now,
      purgeAt: Math.max(session.purgeAt, now + settings.persistWindowMs + settings.retainMs),
    };
  }
  if (outcome.kind === 'group') {
    return {
      status: 'verified',
      groupId: outcome.groupId,
      decidedAt: now,
      lease: undefined,
      nextAttemptAt: undefined,
    };
  }
  if (session.lease?.holder !== holder) return undefined;
  const released: SessionPatch = { lease: undefined };
  // A check for a lost callback (a probe, or the check at expiry) never fails a session, judged by the
  // kind of call that asked, not by the state now: a success callback that arrived while it was under
  // way turned the session `checking`, and the callback's own result call, due at once, decides.
  if ((check === 'probe' || check === 'expiry') && session.status === 'checking') {
    const hinted = outcome.kind === 'transient' || outcome.kind === 'no_slot' ? retryDelay(outcome, 0) : 0;
    return { ...released, lastProbeAt: now, ...(hinted > 0 ? { nextAttemptAt: Math.max(session.nextAttemptAt ?? now, now + hinted) } : {}) };
  }
  if (session.status === 'checking') {
    const since = session.checkingSince ?? session.createdAt;
    const failed: SessionPatch = { ...released, status: 'failed', reason: 'unknown', decidedAt: now, nextAttemptAt: undefined };
    if (outcome.kind === 'empty') return failed;
    if (outcome.kind === 'no_slot') return { ...released, nextAttemptAt: now + outcome.retryAfterMs };
    const attempts = (session.attempts ?? 0) + 1;
    if (outcome.kind === 'not_found') {
      // Asked again on a fixed schedule, a bounded number of times: past the grace minute, or once the
      // schedule is spent, "not found" is the upstream's answer.
      const notFoundCount = (session.notFoundCount ?? 0) + 1;
      const recheck = NOT_FOUND_RECHECKS_MS[notFoundCount - 1];
      if (now - since >= NOT_READY_GRACE_MS || recheck === undefined) return failed;
      return { ...released, attempts, notFoundCount, nextAttemptAt: Math.max(since + recheck, now + backoffMs(1)) };
    }
    return { ...released, attempts, nextAttemptAt: now + retryDelay(outcome, backoffMs(attempts)) };
  }
  // Pending, no callback: a probe or the check at expiry. Neither may fail a session: the person may
  // still be on the H5 page, and an empty answer may only mean "not yet".
  if (check === 'expiry') {
    if (outcome.kind === 'empty' || outcome.kind === 'not_found') return { ...released, finalCheckDone: true, nextAttemptAt: undefined };
    return { ...released, nextAttemptAt: now + retryDelay(outcome, FINAL_CHECK_RETRY_MS) };
  }
  const hinted = outcome.kind === 'transient' || outcome.kind === 'no_slot' ? retryDelay(outcome, 0) : 0;
  return { ...released, lastProbeAt: now, nextAttemptAt: hinted > 0 ? now + hinted : undefined };
}

/** The wait after the `attempts`-th `onVerified` call that failed: 1 s, 2 s, 4 s … then every minute. */
export function persistBackoffMs(attempts: number): number {
  return Math.min(1000 * 2 ** Math.max(0, attempts - 1), PERSIST_BACKOFF_MAX_MS);
}

/**
 * How an `onVerified` call changes a session whose GroupId is stored: success makes it `verified` (and
 * lets the store forget it `retainMs` from now); a failure of the lease holder schedules another call.
 */
export function recordPersist(session: StoredSession, ok: boolean, now: number, holder: string, settings: Pick<ScheduleSettings, 'retainMs'>): SessionPatch | undefined {
  if (session.status !== 'checking' || session.groupId === undefined) return undefined;
  if (ok) {
    return {
      status: 'verified',
      decidedAt: now,
      lease: undefined,
      nextAttemptAt: undefined,
      purgeAt: Math.max(now, session.expiresAt + FINAL_CHECK_WINDOW_MS) + settings.retainMs,
    };
  }
  if (session.lease?.holder !== holder) return undefined;
  const persistAttempts = (session.persistAttempts ?? 0) + 1;
  return { lease: undefined, persistAttempts, nextAttemptAt: now + persistBackoffMs(persistAttempts) };
}
