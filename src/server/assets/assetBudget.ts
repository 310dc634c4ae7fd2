import type { SessionStore } from '../store/sessionStore.js';
import { UpstreamBudget, windowsOf, type BudgetGrant, type UpstreamRateLimit, type Windows } from '../upstream/upstreamBudget.js';

function slotId(): string {
  const bytes = new Uint8Array(12);
  globalThis.crypto.getRandomValues(bytes);
  return Array.from(bytes, (byte) => byte.toString(16).padStart(2, '0')).join('');
}

export type AssetSlot = BudgetGrant | { ok: false; retryAfterMs: number };

const free: AssetSlot = { ok: true, giveBack: async () => {} };

/**
 * The asset calls' budgets: one window per upstream action (`CreateAsset`, `ListAssets`), as the
 * upstream counts them, and one per subject for uploads. In the store's windows when it has them
 * (`redisStore`: one sorted set per window, timed by Redis, shared by every instance), like the session
 * calls' budget; in this process otherwise.
 */
export class AssetBudget {
  private readonly windows: Windows;

  constructor(
    store: SessionStore,
    private readonly limits: { create: UpstreamRateLimit | false; list: UpstreamRateLimit | false; subject: UpstreamRateLimit | false },
    clock: () => number,
  ) {
    this.windows = windowsOf(store, clock);
  }

  private async take(bucket: string, limit: UpstreamRateLimit | false, upstream: boolean): Promise<AssetSlot> {
    if (!limit) return free;
    const id = slotId();
    const windowMs = upstream ? UpstreamBudget.windowMs(limit) : limit.perMs;
    const result = await this.windows.take({ bucket, slotId: id, limit: limit.requests, windowMs });
    if (!result.ok) return result;
    return { ok: true, giveBack: () => this.windows.give(bucket, id) };
  }

  /** A slot for one `CreateAsset` call. */
  create(): Promise<AssetSlot> {
    return this.take('upstream:create-asset', this.limits.create, true);
  }

  /** A slot for one `ListAssets` call. */
  list(): Promise<AssetSlot> {
    return this.take('upstream:list-assets', this.limits.list, true);
  }

  /** A slot of one subject's own upload budget (stored under a hash: a user id never lands in Redis as it is). */
  async subject(subject: string): Promise<AssetSlot> {
    return this.take(`asset-subject:${await UpstreamBudget.clientId(`subject:${subject}`)}`, this.limits.subject, false);
  }
}
