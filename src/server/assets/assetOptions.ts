import { LIVENESS_FACE_LIMITS, type AssetLimits } from '../../core/media/assetLimits.js';
import type { AssetKind } from '../../core/media/mediaFormat.js';
import type { UpstreamRateLimit } from '../upstream/upstreamBudget.js';

/** What `onAssetActive` receives: an asset the upstream accepted as the verified person's. */
export interface ActiveAsset {
  /** The subject `authorize` named for the upload (your user). */
  subject: string;
  /** The person's LivenessFace group (`groupIdFor` answered it). Never log it. */
  groupId: string;
  /** The upstream asset id: reference it in Seedance 2.0 requests as `asset://<assetId>`. */
  assetId: string;
  type: AssetKind;
  /** When this server saw the upstream report it `Active`. */
  activeAt: Date;
}

/** The second argument of `onAssetActive`. */
export interface OnAssetActiveContext {
  /** Aborted when `onAssetActiveTimeoutMs` passes: the call then counts as failed and is made again later. */
  signal: AbortSignal;
}

/**
 * The reference-asset routes (`POST {basePath}/assets`, `GET {basePath}/assets/:id`, `…/events`): after
 * `verified`, the person uploads photos (or short videos) of themselves into their own LivenessFace
 * group, which the upstream accepts only when the face is the verified person's. Needs `authorize` to
 * name a subject: assets are bound to it, and a request without one is answered 404.
 */
export interface LivenessAssetOptions {
  /**
   * Which LivenessFace group belongs to a subject: the GroupId your `onVerified` stored for it. Return
   * `undefined` when the subject has none (not verified yet): the upload is answered 404. The browser
   * never sends a GroupId. Required.
   */
  groupIdFor: (subject: string) => string | undefined | Promise<string | undefined>;
  /**
   * The durable path for an asset: called on your server once the upstream reports it `Active`, and
   * awaited before the status reads `active`. Store `assetId` for the subject here (an upsert: a call that
   * timed out may have written and is made again). While it throws or times out, the asset reads
   * `processing` and the call is retried with back-off, driven by status requests and timers, for up to
   * `onAssetActiveWindowMs`. Exactly one call succeeds per asset, across instances.
   * @default undefined (the asset reads `active` as soon as the upstream says so)
   */
  onAssetActive?: (asset: ActiveAsset, context: OnAssetActiveContext) => void | Promise<void>;
  /** How long one `onAssetActive` call may take before it counts as failed (its signal aborts). @default 10000 */
  onAssetActiveTimeoutMs?: number;
  /**
   * How long `onAssetActive` is retried while it fails; past it the asset reads `failed` with reason
   * `unknown` and an event `asset.failed` with code `on_asset_active_gave_up`.
   * @default 86400000 (24 hours)
   */
  onAssetActiveWindowMs?: number;
  /** The kinds of file accepted. @default ['image', 'video'] */
  types?: readonly AssetKind[];
  /**
   * Largest image, in bytes. An upload is read up to it and no further (413 past it); the upstream's
   * limit is "< 30 MB". @default 30000000
   */
  maxImageBytes?: number;
  /** Largest video, in bytes (the upstream's limit is "< 50 MB"). @default 50000000 */
  maxVideoBytes?: number;
  /**
   * The upstream budget for `CreateAsset` (documented: about 300 per minute per account), kept in the
   * store like the session calls' (`redisStore`: shared by every instance). Beyond it an upload is
   * answered 429 with `Retry-After`. `false` turns it off.
   * @default { requests: 300, perMs: 60000 }
   */
  createRateLimit?: UpstreamRateLimit | false;
  /**
   * The upstream budget for `ListAssets` (documented: about 10 per second per account), shared the
   * same way. Status reads never wait for it: without a slot they answer what was last read.
   * @default { requests: 10, perMs: 1000 }
   */
  listRateLimit?: UpstreamRateLimit | false;
  /**
   * Each subject's own upload budget, so one person (or one stolen session) cannot spend everyone's
   * `CreateAsset` budget: beyond it 429 `client_rate_limited`. `false` turns it off.
   * @default { requests: 20, perMs: 600000 }
   */
  subjectRateLimit?: UpstreamRateLimit | false;
  /**
   * How old a group's listing may be before a status read asks `ListAssets` again. One listing serves
   * every asset of the group and every browser waiting on them, on every instance (it is kept in the
   * store), so a group costs at most one call per interval however many wait.
   * @default 2000
   */
  listIntervalMs?: number;
  /**
   * How long an asset may stay `processing` upstream; past it it reads `failed` with reason `unknown`.
   * @default 1800000 (30 minutes)
   */
  processingTimeoutMs?: number;
  /**
   * Deadline of each `CreateAsset` call. Anyfast uploads the file to object storage before it answers;
   * a public client allows 300 s for videos. @default 300000
   */
  createTimeoutMs?: number;
  /** How long an asset's status stays readable after it is decided. @default 86400000 (24 hours) */
  retainMs?: number;
}

export interface ResolvedAssetOptions {
  groupIdFor: (subject: string) => string | undefined | Promise<string | undefined>;
  onAssetActive: ((asset: ActiveAsset, context: OnAssetActiveContext) => void | Promise<void>) | undefined;
  onAssetActiveTimeoutMs: number;
  onAssetActiveWindowMs: number;
  types: readonly AssetKind[];
  limits: AssetLimits;
  createRateLimit: UpstreamRateLimit | false;
  listRateLimit: UpstreamRateLimit | false;
  subjectRateLimit: UpstreamRateLimit | false;
  listIntervalMs: number;
  processingTimeoutMs: number;
  createTimeoutMs: number;
  retainMs: number;
}

type Fail = (message: string) => never;

function positive(value: number | undefined, fallback: number, name: string, fail: Fail): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0) fail(`assets.${name} must be a positive number.`);
  return value;
}

function rate(value: UpstreamRateLimit | false | undefined, fallback: UpstreamRateLimit, name: string, fail: Fail): UpstreamRateLimit | false {
  if (value === false) return false;
  if (value === undefined) return fallback;
  if (typeof value !== 'object' || value === null || !(value.requests >= 1) || !(value.perMs > 0) || !Number.isFinite(value.perMs)) {
    return fail(`assets.${name} needs requests >= 1 and perMs > 0, or false.`);
  }
  return { requests: value.requests, perMs: value.perMs };
}

/** Validates the `assets` option once, at creation (messages name the option, never a value). */
export function resolveAssetOptions(options: LivenessAssetOptions | undefined, fail: Fail): ResolvedAssetOptions | undefined {
  if (options === undefined) return undefined;
  if (typeof options !== 'object' || options === null) fail('assets must be an object: { groupIdFor, … }.');
  if (typeof options.groupIdFor !== 'function') fail('assets.groupIdFor is required: (subject) => the GroupId your onVerified stored for it.');
  if (options.onAssetActive !== undefined && typeof options.onAssetActive !== 'function') fail('assets.onAssetActive must be a function.');
  const types = options.types ?? ['image', 'video'];
  if (!Array.isArray(types) || types.length === 0 || types.some((type) => type !== 'image' && type !== 'video')) {
    fail("assets.types must list 'image' and/or 'video'.");
  }
  const maxImageBytes = positive(options.maxImageBytes, LIVENESS_FACE_LIMITS.maxImageBytes, 'maxImageBytes', fail);
  const maxVideoBytes = positive(options.maxVideoBytes, LIVENESS_FACE_LIMITS.maxVideoBytes, 'maxVideoBytes', fail);
  return {
    groupIdFor: options.groupIdFor,
    onAssetActive: options.onAssetActive,
    onAssetActiveTimeoutMs: positive(options.onAssetActiveTimeoutMs, 10_000, 'onAssetActiveTimeoutMs', fail),
    onAssetActiveWindowMs: positive(options.onAssetActiveWindowMs, 86_400_000, 'onAssetActiveWindowMs', fail),
    types: [...new Set(types)],
    limits: { ...LIVENESS_FACE_LIMITS, maxImageBytes, maxVideoBytes },
    createRateLimit: rate(options.createRateLimit, { requests: 300, perMs: 60_000 }, 'createRateLimit', fail),
    listRateLimit: rate(options.listRateLimit, { requests: 10, perMs: 1000 }, 'listRateLimit', fail),
    subjectRateLimit: rate(options.subjectRateLimit, { requests: 20, perMs: 600_000 }, 'subjectRateLimit', fail),
    listIntervalMs: positive(options.listIntervalMs, 2000, 'listIntervalMs', fail),
    processingTimeoutMs: positive(options.processingTimeoutMs, 1_800_000, 'processingTimeoutMs', fail),
    createTimeoutMs: positive(options.createTimeoutMs, 300_000, 'createTimeoutMs', fail),
    retainMs: positive(options.retainMs, 86_400_000, 'retainMs', fail),
  };
}
