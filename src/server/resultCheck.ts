import type { HandlerContext } from './handlerContext.js';
import type { StoredSession } from './sessionStore.js';

const POLL_MS = 50;

/**
 * Resolves with the session once it is no longer `checking` (or with what is stored at the deadline):
 * a check running in this process is awaited, one running in another process is polled from the store.
 */
export function waitForDecision(context: HandlerContext, id: string): Promise<StoredSession | undefined> {
  return context.resultChecks.get(id) ?? pollStore(context, id);
}

async function pollStore(context: HandlerContext, id: string): Promise<StoredSession | undefined> {
  const { store, upstreamTimeoutMs } = context.options;
  // The claimer may first wait up to one timeout for a rate-limit slot, then one for the call. Wall-clock
  // time on purpose: the waiting below is real, whatever clock the options inject.
  const deadline = Date.now() + 2 * upstreamTimeoutMs + 1000;
  for (;;) {
    const session = await store.get(id);
    if (!session || session.status !== 'checking' || Date.now() >= deadline) return session;
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
}

async function claimAndCheck(context: HandlerContext, id: string): Promise<StoredSession | undefined> {
  const { store, clock, upstreamTimeoutMs } = context.options;
  const started = clock();
  // The store-level claim is what makes the single result call hold across processes.
  const claimed = await store.update(id, 'pending', { status: 'checking', claimedAt: started, resultCode: '10000' });
  // Lost the claim: another process is checking (or already decided). Its entry is not in our map.
  if (!claimed) return pollStore(context, id);

  const granted = context.limiter ? await context.limiter.take(upstreamTimeoutMs) : true;
  let groupId: string | undefined;
  let code: string | undefined;
  let upstreamStatus: number | undefined;
  if (!granted) {
    code = 'rate_limited';
    context.emit({ type: 'rate_limited', sessionId: id, action: 'result' });
  } else {
    // Only the token stored at creation is used; the callback's query decides nothing.
    const result = await context.upstream.getResult(claimed.bytedToken);
    upstreamStatus = result.status;
    context.emit({
      type: 'upstream.response',
      sessionId: id,
      action: 'result',
      ...(result.status === undefined ? {} : { upstreamStatus: result.status }),
      ...(result.ok ? {} : { code: result.failure.kind }),
      durationMs: result.durationMs,
    });
    if (result.ok) groupId = result.value.groupId;
    code = result.ok ? (groupId ? undefined : 'empty_group_id') : result.failure.kind;
  }

  const decided = await store.update(
    id,
    'checking',
    groupId ? { status: 'verified', groupId, decidedAt: clock() } : { status: 'failed', decidedAt: clock() },
  );
  context.emit({
    type: groupId ? 'session.verified' : 'session.failed',
    sessionId: id,
    status: groupId ? 'verified' : 'failed',
    ...(code ? { code } : {}),
    ...(upstreamStatus === undefined ? {} : { upstreamStatus }),
    resultCode: '10000',
    durationMs: clock() - started,
  });
  return decided ?? (await store.get(id));
}

/**
 * Settles a session after a success callback: exactly one `GetVisualValidateResult` per session, however
 * many callbacks arrive. Callbacks in this process share one promise; callbacks in other processes lose
 * the store's pending→checking compare-and-set and wait for the winner's answer.
 */
export function checkResultOnce(context: HandlerContext, id: string): Promise<StoredSession | undefined> {
  const running = context.resultChecks.get(id);
  if (running) return running;
  const check = claimAndCheck(context, id).finally(() => context.resultChecks.delete(id));
  context.resultChecks.set(id, check);
  return check;
}
