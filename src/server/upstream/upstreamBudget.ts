import { sha256Hex } from '../sha256.js';
import { randomHex } from '../randomBytes.js';
import { SlidingWindows } from './slidingWindows.js';
import type { SessionStore, SlotRequest, SlotResult } from '../store/sessionStore.js';

/**
 * An upstream budget: at most `requests` calls in any `perMs` window. Each window is held a little longer
 * (5 % of `perMs`, at most 100 ms), because the upstream counts arrivals, and a call sent exactly one
 * window after another can arrive a few milliseconds early relative to it.
 */
export interface UpstreamRateLimit {
  /** @default 3 */
  requests: number;
  /** @default 1000 */
  perMs: number;
}

/**
 * Who asks for an upstream call, highest priority first:
 * - `result`: a result call after a success callback (until it hears "not found"), or the last check
 *   at a link's expiry. A person has done the face check; when refused it raises a flag that holds back
 *   creates, rechecks and probes.
 * - `create`: a new session. Steps aside while results wait: a person who already passed goes before
 *   one who has not started, and every new session is a result call to come.
 * - `recheck`: a result call after a callback that already heard "not found" (the upstream may not have
 *   stored the result yet, or nobody passed: a forged callback). Like probes, it leaves one slot free
 *   and steps aside, and when refused it raises no flag: a session's own rechecks never hold back
 *   anyone's create.
 * - `probe`: the low-rate check for a lost callback. Uses the result budget but always leaves one slot
 *   of it free, and steps aside like creates.
 */
export type BudgetLane = 'result' | 'create' | 'recheck' | 'probe';

const RESULTS_WAITING = 'upstream:results-waiting';

export interface BudgetGrant {
  ok: true;
  /** Gives the slot back (the call was not made after all). */
  giveBack: () => Promise<void>;
}

/** A sliding window that is either the store's (shared) or this handler's own. */
export interface Windows {
  take(request: SlotRequest): Promise<SlotResult>;
  give(bucket: string, slotId: string): Promise<void>;
}

/** The store's windows when it offers them (`redisStore`: shared by every instance), else this process's own. */
export function windowsOf(store: SessionStore, clock: () => number): Windows {
  if (store.takeSlot && store.returnSlot) {
    return { take: store.takeSlot.bind(store), give: store.returnSlot.bind(store) };
  }
  const own = new SlidingWindows(clock);
  return { take: async (request) => own.take(request), give: async (bucket, id) => own.give(bucket, id) };
}

/**
 * The handler's view of its budgets: one per upstream action, as the upstream counts them, and one per
 * client for creates. Kept in the store when it offers windows (`redisStore`: shared by every instance),
 * in this process otherwise.
 */
export class UpstreamBudget {
  private readonly windows: Windows;

  constructor(
    store: SessionStore,
    private readonly upstream: UpstreamRateLimit | false,
    private readonly perClient: UpstreamRateLimit | false,
    clock: () => number,
  ) {
    this.windows = windowsOf(store, clock);
  }

  /** The window a limit is kept over: `perMs` and a little more, as the upstream counts arrivals (see {@link UpstreamRateLimit}). */
  static windowMs(limit: UpstreamRateLimit): number {
    return limit.perMs + Math.min(100, limit.perMs * 0.05);
  }

  private async take(request: Omit<SlotRequest, 'slotId'>): Promise<BudgetGrant | { ok: false; retryAfterMs: number }> {
    const id = randomHex(12);
    const result = await this.windows.take({ ...request, slotId: id });
    if (!result.ok) return result;
    return { ok: true, giveBack: () => this.windows.give(request.bucket, id) };
  }

  /**
   * A slot for an upstream call of `lane`, or how long until one may be free. A result call (any lane
   * but `create`) of a session whose creator is known (`createdBy`, see {@link clientId}) is charged to
   * that client first, whoever sent the callback: one result call per upstream window for all the
   * sessions it created, so a client never holds more than one of the result lane's slots, and its
   * sessions alone can never make the lane short for others (nor raise the flag that holds back creates).
   */
  async upstreamSlot(lane: BudgetLane, createdBy?: string): Promise<BudgetGrant | { ok: false; retryAfterMs: number }> {
    const creator = lane !== 'create' && createdBy !== undefined && this.perClient ? await this.creatorSlot(createdBy) : undefined;
    if (creator && !creator.ok) return creator;
    const shared = await this.sharedSlot(lane);
    if (!shared.ok) {
      // Not the creator's doing: its own budget gets the slot back.
      await creator?.giveBack();
      return shared;
    }
    if (!creator) return shared;
    return {
      ok: true,
      giveBack: async () => {
        await Promise.all([shared.giveBack(), creator.giveBack()]);
      },
    };
  }

  private async sharedSlot(lane: BudgetLane): Promise<BudgetGrant | { ok: false; retryAfterMs: number }> {
    if (!this.upstream) return { ok: true, giveBack: async () => {} };
    const windowMs = UpstreamBudget.windowMs(this.upstream);
    const limit = this.upstream.requests;
    switch (lane) {
      case 'result':
        return this.take({ bucket: 'upstream:result', limit, windowMs, raiseOnRefusal: { flag: RESULTS_WAITING, ms: windowMs } });
      case 'recheck':
      case 'probe':
        return this.take({ bucket: 'upstream:result', limit, windowMs, keep: limit > 1 ? 1 : 0, blockedBy: RESULTS_WAITING });
      default:
        return this.take({ bucket: 'upstream:create', limit, windowMs, blockedBy: RESULTS_WAITING });
    }
  }

  /** One result call per upstream window (1 s by default) for the sessions one client created. */
  private creatorSlot(createdBy: string): Promise<BudgetGrant | { ok: false; retryAfterMs: number }> {
    const windowMs = this.upstream ? UpstreamBudget.windowMs(this.upstream) : 1000;
    return this.take({ bucket: `client-result:${createdBy}`, limit: 1, windowMs });
  }

  /**
   * How a client is stored: a hash of its key, so an address or user id never lands in Redis (or in a
   * session) as it is. Sessions keep their creator's (`StoredSession.createdBy`).
   */
  static async clientId(client: string): Promise<string> {
    return (await sha256Hex(`react-liveness-session:client:${client}`)).slice(0, 32);
  }

  /** Whether clients have budgets of their own (`clientRateLimit`): only then is a client's id needed. */
  get chargesClients(): boolean {
    return this.perClient !== false;
  }

  /** A slot of `client`'s own create budget; `id` is its {@link clientId} when the caller has it already. */
  async clientSlot(client: string, id?: string): Promise<BudgetGrant | { ok: false; retryAfterMs: number }> {
    if (!this.perClient) return { ok: true, giveBack: async () => {} };
    return this.take({ bucket: `client:${id ?? (await UpstreamBudget.clientId(client))}`, limit: this.perClient.requests, windowMs: this.perClient.perMs });
  }
}
