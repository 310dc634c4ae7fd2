import type { AssetKind } from '../../core/media/mediaFormat.js';
import type { AssetFailureReason, AssetStatus, AssetStatusResponse } from '../../core/wire/assetProtocol.js';
import type { IdempotencyRecords } from '../store/idempotencyRecords.js';

/**
 * One asset as the store keeps it (a record, `asset:<assetId>`: the store's `swapRecord`, so every
 * instance sharing a `redisStore` sees it and every change is a compare-and-set).
 */
export interface AssetRecord {
  assetId: string;
  /** The subject that uploaded it: only its requests may read it. Fixed at creation. */
  subject: string;
  /** The group it was created in. Never sent to a browser. */
  groupId: string;
  kind: AssetKind;
  /** The `Name` this server chose for it (unique in the group). */
  name: string;
  createdAt: number;
  /** What the browser reads: `processing` until the upstream decides and `onAssetActive` has succeeded. */
  status: AssetStatus;
  reason?: AssetFailureReason;
  decidedAt?: number;
  /** When the upstream was first seen to say `Active` (from then `onAssetActive` is owed). */
  activeAt?: number;
  /** `onAssetActive` calls that threw or timed out so far, and when the next may run. */
  hookAttempts?: number;
  nextHookAt?: number;
  /** A claim on the next `onAssetActive` call: only its holder may make it until `until`. */
  lease?: { holder: string; until: number };
}

export type AssetPatch = Partial<Omit<AssetRecord, 'assetId' | 'subject' | 'groupId' | 'kind' | 'name' | 'createdAt'>>;

/**
 * A group's assets as `ListAssets` last reported them, kept in the store (a record) so that every
 * instance serves status reads from one listing, and at most one of them asks again per interval.
 */
export interface GroupListing {
  /** When the upstream answered (0: never). */
  at: number;
  /** By asset id: its `Status` and, on failure, its `Error.Code`. */
  items: Record<string, [status: string, errorCode?: string]>;
  /** Not before this time (the upstream said `Retry-After`). */
  notBefore?: number;
  /** The claim of whoever is asking right now: others serve the listing as it is meanwhile. */
  polling?: { holder: string; until: number };
}

export const assetKey = (assetId: string) => `asset:${assetId}`;

function parse(raw: string | undefined): AssetRecord | undefined {
  if (raw === undefined) return undefined;
  try {
    const value = JSON.parse(raw) as AssetRecord;
    return typeof value?.assetId === 'string' && typeof value.subject === 'string' && typeof value.status === 'string' ? value : undefined;
  } catch {
    return undefined;
  }
}

export async function readAsset(records: IdempotencyRecords, assetId: string): Promise<{ raw: string; record: AssetRecord } | undefined> {
  const raw = await records.get(assetKey(assetId));
  const record = parse(raw);
  return record && raw !== undefined ? { raw, record } : undefined;
}

/**
 * Compare-and-set on an asset record: `change` sees the stored record and answers a patch (a field set
 * to `undefined` is removed) or `undefined` for "nothing to do". Retried when another writer wins, so a
 * lost race is never an error. `changed` says whether this call wrote.
 */
export async function mutateAsset(
  records: IdempotencyRecords,
  assetId: string,
  ttlMs: (record: AssetRecord) => number,
  change: (record: AssetRecord) => AssetPatch | undefined,
): Promise<{ record: AssetRecord; changed: boolean } | undefined> {
  for (let round = 0; round < 8; round += 1) {
    const current = await readAsset(records, assetId);
    if (!current) return undefined;
    const patch = change(current.record);
    if (!patch) return { record: current.record, changed: false };
    const next: AssetRecord = { ...current.record, ...patch };
    for (const key of Object.keys(next) as (keyof AssetRecord)[]) if (next[key] === undefined) delete next[key];
    if (await records.swap(assetKey(assetId), current.raw, JSON.stringify(next), ttlMs(next))) return { record: next, changed: true };
  }
  return undefined;
}

/** What a browser may read of an asset: never its group, its name or its subject. */
export function assetStatusBody(record: AssetRecord): AssetStatusResponse {
  return { assetId: record.assetId, status: record.status, ...(record.reason ? { reason: record.reason } : {}), type: record.kind };
}
