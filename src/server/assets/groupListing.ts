import type { AssetFailureReason } from '../../core/wire/assetProtocol.js';
import type { HandlerContext } from '../handlerContext.js';
import { LEASE_MARGIN_MS, MAX_UPSTREAM_RETRY_AFTER_MS } from '../limits.js';
import type { AssetContext } from './assetContext.js';
import type { GroupListing } from './assetRecord.js';

/**
 * Page size of `ListAssets`. The docs' example asks for 10 and name no maximum; 50 covers a person's
 * reference assets in one call (inferred), and the listing pages on while `TotalCount` says there is more.
 */
export const LIST_PAGE_SIZE = 50;
/** At most this many pages per listing (200 assets): one group is one person. */
const MAX_PAGES = 4;

async function listingKey(groupId: string): Promise<string> {
  const digest = await globalThis.crypto.subtle.digest('SHA-256', new TextEncoder().encode(`react-liveness-session:group:${groupId}`));
  return `asset-list:${Array.from(new Uint8Array(digest).subarray(0, 16), (byte) => byte.toString(16).padStart(2, '0')).join('')}`;
}

function parse(raw: string | undefined): GroupListing | undefined {
  if (raw === undefined) return undefined;
  try {
    const value = JSON.parse(raw) as GroupListing;
    return typeof value?.at === 'number' && typeof value.items === 'object' && value.items !== null ? value : undefined;
  } catch {
    return undefined;
  }
}

function holder(): string {
  const bytes = new Uint8Array(12);
  globalThis.crypto.getRandomValues(bytes);
  return Array.from(bytes, (byte) => byte.toString(16).padStart(2, '0')).join('');
}

/** What an item of a listing says about an asset. */
export type AssetVerdict = { kind: 'processing' } | { kind: 'active' } | { kind: 'failed'; reason: AssetFailureReason };

/**
 * `Status` `Active` (documented) is active; a `Failed` status or an `Error.Code` is a failure, whose
 * reason is `face_mismatch` for `FaceMismatch` (reported by public clients), `invalid_media` for codes
 * about the file itself (inferred from BytePlus's naming: `InvalidParameter…`, formats, sizes), `unknown`
 * otherwise; any other status (`Processing`, `Inactive`, none yet) is still processing.
 */
export function verdictOf(item: [string, string?] | undefined): AssetVerdict {
  if (!item) return { kind: 'processing' };
  const [status, code] = item;
  if (/^active$/i.test(status)) return { kind: 'active' };
  if (!code && !/^(failed|failure|error|rejected)$/i.test(status)) return { kind: 'processing' };
  if (code && /face\s*mismatch/i.test(code)) return { kind: 'failed', reason: 'face_mismatch' };
  if (code && /invalid|unsupported|format|resolution|duration|size|decode|corrupt|media/i.test(code)) return { kind: 'failed', reason: 'invalid_media' };
  return { kind: 'failed', reason: 'unknown' };
}

/**
 * The listing of a group, no older than `listIntervalMs` when the budget allows: read from the store;
 * when it is older, one caller anywhere (a compare-and-set on the record claims the call) asks
 * `ListAssets` with a slot of the shared list budget, and everyone else serves the listing as it is.
 * Never waits for a slot: a status read without one answers from the last listing. `undefined` when
 * there is none yet and none could be made.
 */
export async function groupListing(context: HandlerContext, assets: AssetContext, groupId: string): Promise<GroupListing | undefined> {
  const key = await listingKey(groupId);
  const running = assets.listings.get(key);
  if (running) return running;
  const run = refresh(context, assets, groupId, key).finally(() => assets.listings.delete(key));
  assets.listings.set(key, run);
  return run;
}

async function refresh(context: HandlerContext, assets: AssetContext, groupId: string, key: string): Promise<GroupListing | undefined> {
  const { records, emit, options } = context;
  const { clock } = options;
  const raw = await records.get(key);
  const listing = parse(raw);
  const now = clock();
  if (listing && (now - listing.at < assets.options.listIntervalMs || (listing.notBefore ?? 0) > now || (listing.polling && listing.polling.until > now))) {
    return listing;
  }
  // Kept a while after the last read: a listing is only worth its interval, but the claim lives in it too.
  const ttlMs = Math.max(60_000, options.upstreamTimeoutMs * 2);
  const base: GroupListing = listing ?? { at: 0, items: {} };
  const claimed = JSON.stringify({ ...base, polling: { holder: holder(), until: now + options.upstreamTimeoutMs + LEASE_MARGIN_MS } });
  // Someone else claimed it first (here or on another instance): serve what there is.
  if (!(await records.swap(key, raw ?? null, claimed, ttlMs))) return parse(await records.get(key)) ?? listing;
  const release = async (next: GroupListing) => {
    await records.swap(key, claimed, JSON.stringify(next), ttlMs).catch(() => false);
    return next.at > 0 ? next : undefined;
  };
  const items: GroupListing['items'] = {};
  for (let page = 1; page <= MAX_PAGES; page += 1) {
    const slot = await assets.budget.list();
    if (!slot.ok) {
      emit({ type: 'rate_limited', action: 'list_assets' });
      return release(base);
    }
    const result = await context.upstream.listAssets(groupId, page, LIST_PAGE_SIZE);
    emit({
      type: 'upstream.response',
      action: 'list_assets',
      ...(result.status === undefined ? {} : { upstreamStatus: result.status }),
      ...(result.ok ? {} : { code: result.failure.kind }),
      durationMs: result.durationMs,
    });
    if (!result.ok) {
      const wait = result.failure.kind === 'unavailable' ? Math.min(result.failure.retryAfterMs, MAX_UPSTREAM_RETRY_AFTER_MS) : 0;
      return release(wait > 0 ? { ...base, notBefore: clock() + wait } : base);
    }
    for (const item of result.value.items) items[item.id] = item.errorCode ? [item.status, item.errorCode] : [item.status];
    if (page * LIST_PAGE_SIZE >= result.value.total || result.value.items.length < LIST_PAGE_SIZE) break;
  }
  return release({ at: clock(), items });
}
