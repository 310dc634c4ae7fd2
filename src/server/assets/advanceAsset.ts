import type { HandlerContext } from '../handlerContext.js';
import { LEASE_MARGIN_MS, PERSIST_BACKOFF_MAX_MS } from '../limits.js';
import type { AssetContext } from './assetContext.js';
import type { ActiveAsset } from './assetOptions.js';
import { mutateAsset, readAsset, type AssetPatch, type AssetRecord } from './assetRecord.js';
import { groupListing, verdictOf } from './groupListing.js';

/** How long an asset's record is kept: until it is decided (or could be), then `retainMs`. */
export function assetTtl(assets: AssetContext): (record: AssetRecord) => number {
  const { processingTimeoutMs, onAssetActiveWindowMs, retainMs } = assets.options;
  return (record) => (record.status === 'processing' ? processingTimeoutMs + onAssetActiveWindowMs + retainMs : retainMs);
}

function randomHolder(): string {
  const bytes = new Uint8Array(12);
  globalThis.crypto.getRandomValues(bytes);
  return Array.from(bytes, (byte) => byte.toString(16).padStart(2, '0')).join('');
}

/** Writes a change of an asset and tells this process's event streams. */
async function mutate(context: HandlerContext, assets: AssetContext, assetId: string, change: (record: AssetRecord) => AssetPatch | undefined) {
  const written = await mutateAsset(context.records, assetId, assetTtl(assets), change);
  if (written?.changed) assets.changes.notify(assetId);
  return written;
}

/** Calls the app's `onAssetActive` with a deadline; resolves whether it succeeded (a throw or a timeout is a retry). */
async function callOnAssetActive(context: HandlerContext, assets: AssetContext, record: AssetRecord): Promise<boolean> {
  const { onAssetActive, onAssetActiveTimeoutMs } = assets.options;
  if (!onAssetActive) return true;
  const controller = new AbortController();
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<boolean>((resolve) => {
    timer = setTimeout(() => {
      controller.abort();
      resolve(false);
    }, onAssetActiveTimeoutMs);
  });
  const asset: ActiveAsset = {
    subject: record.subject,
    groupId: record.groupId,
    assetId: record.assetId,
    type: record.kind,
    activeAt: new Date(record.activeAt ?? context.options.clock()),
  };
  const call = (async () => {
    await onAssetActive(asset, { signal: controller.signal });
    return true;
  })().catch(() => false);
  try {
    return await Promise.race([call, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * `onAssetActive` under a lease: one call at a time anywhere (the claim is a compare-and-set on the
 * record), and the outcome written by the holder only, so exactly one call succeeds per asset, across
 * instances. A failed call is retried with back-off (1 s, doubling, at most a minute) until the window
 * closes; the asset then reads `failed`.
 */
async function persist(context: HandlerContext, assets: AssetContext, record: AssetRecord): Promise<AssetRecord> {
  const { clock } = context.options;
  const { onAssetActiveTimeoutMs, onAssetActiveWindowMs } = assets.options;
  const holder = randomHolder();
  let gaveUp = false;
  const claim = await mutate(context, assets, record.assetId, (current) => {
    const now = clock();
    if (current.status !== 'processing' || current.activeAt === undefined) return undefined;
    if ((current.lease && current.lease.until > now) || (current.nextHookAt ?? 0) > now) return undefined;
    if (now - current.activeAt > onAssetActiveWindowMs) {
      gaveUp = true;
      return { status: 'failed', reason: 'unknown', decidedAt: now, lease: undefined, nextHookAt: undefined };
    }
    return { lease: { holder, until: now + onAssetActiveTimeoutMs + LEASE_MARGIN_MS } };
  });
  if (!claim) return record;
  if (!claim.changed) return claim.record;
  if (gaveUp) {
    context.emit({ type: 'asset.failed', assetId: record.assetId, reason: 'unknown', code: 'on_asset_active_gave_up' });
    return claim.record;
  }
  const done = await callOnAssetActive(context, assets, claim.record);
  const recorded = await mutate(context, assets, record.assetId, (current) => {
    if (current.lease?.holder !== holder) return undefined;
    const now = clock();
    if (done) return { status: 'active', decidedAt: now, lease: undefined, nextHookAt: undefined };
    const attempts = (current.hookAttempts ?? 0) + 1;
    return { hookAttempts: attempts, nextHookAt: now + Math.min(1000 * 2 ** (attempts - 1), PERSIST_BACKOFF_MAX_MS), lease: undefined };
  });
  if (!recorded) return claim.record;
  if (recorded.changed && recorded.record.status === 'active') {
    context.emit({ type: 'asset.active', assetId: record.assetId, durationMs: clock() - record.createdAt });
  } else if (recorded.changed) {
    context.emit({ type: 'asset.retry', assetId: record.assetId, code: 'on_asset_active_failed', attempt: recorded.record.hookAttempts ?? 0 });
  }
  return recorded.record;
}

/** When to look at an asset again on its own (a timer, as a bonus), or `undefined` once it is decided. */
function nextLook(context: HandlerContext, assets: AssetContext, record: AssetRecord): number | undefined {
  if (record.status !== 'processing') return undefined;
  const now = context.options.clock();
  if (record.activeAt !== undefined) return Math.max(now, record.nextHookAt ?? now, record.lease?.until ?? now);
  return now + assets.options.listIntervalMs;
}

async function step(context: HandlerContext, assets: AssetContext, assetId: string): Promise<AssetRecord | undefined> {
  const { clock } = context.options;
  const read = await readAsset(context.records, assetId);
  if (!read) return undefined;
  let record = read.record;
  if (record.status !== 'processing') return record;
  if (record.activeAt === undefined) {
    if (clock() - record.createdAt > assets.options.processingTimeoutMs) {
      const closed = await mutate(context, assets, assetId, (current) =>
        current.status === 'processing' && current.activeAt === undefined ? { status: 'failed', reason: 'unknown', decidedAt: clock() } : undefined,
      );
      if (closed?.changed) context.emit({ type: 'asset.failed', assetId, reason: 'unknown', code: 'processing_timeout' });
      return closed?.record ?? record;
    }
    const listing = await groupListing(context, assets, record.groupId);
    const verdict = verdictOf(listing?.items[assetId]);
    if (verdict.kind === 'failed') {
      const failed = await mutate(context, assets, assetId, (current) =>
        current.status === 'processing' && current.activeAt === undefined ? { status: 'failed', reason: verdict.reason, decidedAt: clock() } : undefined,
      );
      if (failed?.changed) context.emit({ type: 'asset.failed', assetId, reason: verdict.reason, durationMs: clock() - record.createdAt });
      return failed?.record ?? record;
    }
    if (verdict.kind === 'processing') return record;
    const hook = assets.options.onAssetActive !== undefined;
    const active = await mutate(context, assets, assetId, (current) => {
      if (current.status !== 'processing' || current.activeAt !== undefined) return undefined;
      const now = clock();
      return hook ? { activeAt: now } : { activeAt: now, status: 'active', decidedAt: now };
    });
    if (!active) return record;
    record = active.record;
    if (active.changed && record.status === 'active') context.emit({ type: 'asset.active', assetId, durationMs: clock() - record.createdAt });
  }
  // Active upstream, owed to the app: the hook, under its lease.
  return record.status === 'processing' && record.activeAt !== undefined ? persist(context, assets, record) : record;
}

/**
 * Looks at an asset and moves it on: its group's listing (shared, budgeted) for an asset still
 * processing, then `onAssetActive` for one the upstream reports `Active`. Status reads, event streams
 * and the bonus timers all come here; concurrent callers in this process share one run. Resolves to
 * the record as it then is.
 */
export function advanceAsset(context: HandlerContext, assets: AssetContext, assetId: string): Promise<AssetRecord | undefined> {
  const running = assets.steps.get(assetId);
  if (running) return running;
  const run = step(context, assets, assetId)
    .then((record) => {
      if (record) assets.timers.schedule(assetId, nextLook(context, assets, record));
      return record;
    })
    .finally(() => assets.steps.delete(assetId));
  assets.steps.set(assetId, run);
  return run;
}
