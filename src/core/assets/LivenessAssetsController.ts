import { LIVENESS_FACE_LIMITS, type AssetLimits, type AssetRejection } from '../media/assetLimits.js';
import type { MediaInfo } from '../media/inspectMedia.js';
import type { AssetKind } from '../media/mediaFormat.js';
import type { LivenessError } from '../LivenessError.js';
import { randomId } from '../randomId.js';
import type { AssetFailureReason, AssetRejectionReason } from '../wire/assetProtocol.js';
import { resolveEndpoint, type Endpoint } from '../wire/endpoint.js';
import type { AssetFileCheck } from './checkAssetFile.js';
import { followAsset } from './followAsset.js';
import { uploadFile } from './uploadFile.js';

/** Where a file is, from the moment it is picked. */
export const AssetItemState = {
  /** Its header is being read, before anything is sent. */
  checking: 'checking',
  /** It cannot be an asset (its type, size, pixels, length…): see `rejection`. Nothing was sent, or the server refused it. */
  rejected: 'rejected',
  /** Being sent; `progress` says how much. */
  uploading: 'uploading',
  /** The upstream is checking that the face is the verified person's. */
  processing: 'processing',
  /** Accepted: usable as `asset://<assetId>`. */
  active: 'active',
  /** Refused by the upstream: see `reason` (`face_mismatch`…). */
  failed: 'failed',
  /** The upload did not go through (network, server): `retry` sends it again. */
  error: 'error',
} as const;
export type AssetItemState = (typeof AssetItemState)[keyof typeof AssetItemState];

/** One file the person picked, and what became of it. */
export interface LivenessAssetItem {
  /** This item's id in the list (not the asset's). */
  key: string;
  /** The file as the browser reported it: name, size in bytes, type. */
  file: { name: string; size: number; type: string };
  state: AssetItemState;
  /** What its header said (format, kind, pixels, length), once read. */
  info?: MediaInfo;
  /** 0–1 while `uploading`; absent until the browser reports progress. */
  progress?: number;
  /** The upstream asset id, from `processing` on: reference it as `asset://<assetId>`. */
  assetId?: string;
  /** Why, when `rejected`. */
  rejection?: AssetRejection;
  /** Why, when `failed`. */
  reason?: AssetFailureReason;
  /** What went wrong, when `error`. */
  error?: LivenessError;
}

/** What the controller hands its subscribers (and `useLivenessAssets` returns). */
export interface LivenessAssetsSnapshot {
  items: readonly LivenessAssetItem[];
  /** Checks or uploads in progress. */
  busy: boolean;
  /** Checks each file, then uploads the good ones, one at a time. */
  add: (files: Iterable<File> | ArrayLike<File>) => void;
  /** Sends a file whose upload failed (`error`) again, as the same upload (its `Idempotency-Key`). */
  retry: (key: string) => void;
  /** Takes a file off the list, cancelling its upload. */
  remove: (key: string) => void;
}

/** Options of {@link LivenessAssetsController}; `useLivenessAssets` and `<LivenessAssets>` take the same. */
export interface LivenessAssetsOptions {
  /** The backend's upload route: `/api/liveness/assets` with the library's server. Required. */
  endpoint: Endpoint;
  /** The kinds of file offered and accepted. Keep in step with the server's `assets.types`. @default ['image', 'video'] */
  types?: readonly AssetKind[];
  /**
   * What a file may be, checked before it is sent. Keep in step with the server's `assets` options.
   * @default the upstream's (LIVENESS_FACE_LIMITS): images ≤ 30 MB, 300–6000 px a side, ratio 0.4–2.5; videos ≤ 50 MB, 2–15 s, 24–60 fps
   */
  limits?: Partial<AssetLimits>;
  /** Time between status reads of an asset being processed, while the page is visible. @default 2000 */
  pollIntervalMs?: number;
  /** `auto`: the asset's event stream when the backend offers one; `poll`: always poll. @default 'auto' */
  transport?: 'auto' | 'poll';
  /** How long an upload may make no progress before it counts as failed (`timeout`). @default 30000 */
  stallTimeoutMs?: number;
  /** `fetch` for status reads (uploads use `XMLHttpRequest`, for their progress). @default globalThis.fetch */
  fetch?: typeof globalThis.fetch;
  /** An asset turned `active`: store `assetId` for the person (your server's `onAssetActive` is the durable path). */
  onAssetActive?: (asset: { assetId: string; key: string; file: LivenessAssetItem['file'] }) => void;
  /** An asset was refused by the upstream (`face_mismatch`…). */
  onAssetFailed?: (asset: { assetId: string; key: string; reason: AssetFailureReason; file: LivenessAssetItem['file'] }) => void;
  /** Every change of the list. */
  onChange?: (items: readonly LivenessAssetItem[]) => void;
}

interface Work {
  file: File;
  idempotencyKey: string;
  abort?: AbortController;
  stopFollowing?: () => void;
}

/** Server refusals that are about the file: shown as `rejected` with the server's reason, like the browser's own check. */
const FILE_CODES = new Set(['unsupported_media_type', 'payload_too_large', 'invalid_media']);

let checker: Promise<typeof import('./checkAssetFile.js')> | undefined;
/** The file checker (its parsers are a chunk of their own), loaded once. */
export const loadChecker = () => (checker ??= import('./checkAssetFile.js'));

const SERVER_SNAPSHOT_ITEMS: readonly LivenessAssetItem[] = [];

/**
 * The files of one `<LivenessAssets>` (or `useLivenessAssets`), without React: it checks each file,
 * uploads it (one at a time, with progress), then follows its status until the upstream decides. The
 * first `subscribe` mounts it; when the last subscriber leaves it is destroyed a microtask later (uploads
 * and status reads stop), unless one subscribed again meanwhile (StrictMode's simulated unmount).
 */
export class LivenessAssetsController {
  readonly #listeners = new Set<() => void>();
  readonly #work = new Map<string, Work>();
  #options: LivenessAssetsOptions;
  #items: LivenessAssetItem[] = [];
  #snapshot: LivenessAssetsSnapshot;
  readonly #serverSnapshot: LivenessAssetsSnapshot;
  #queue: Promise<void> = Promise.resolve();
  #generation = 0;

  constructor(options: LivenessAssetsOptions) {
    this.#options = options;
    this.#snapshot = this.#snap();
    this.#serverSnapshot = { ...this.#snapshot, items: SERVER_SNAPSHOT_ITEMS, busy: false };
  }

  setOptions(options: LivenessAssetsOptions): void {
    this.#options = options;
  }

  subscribe = (listener: () => void): (() => void) => {
    this.#listeners.add(listener);
    return () => {
      this.#listeners.delete(listener);
      if (this.#listeners.size > 0) return;
      queueMicrotask(() => {
        if (this.#listeners.size === 0) this.#destroy();
      });
    };
  };

  getSnapshot = (): LivenessAssetsSnapshot => this.#snapshot;
  getServerSnapshot = (): LivenessAssetsSnapshot => this.#serverSnapshot;

  #destroy(): void {
    this.#generation += 1;
    for (const work of this.#work.values()) {
      work.abort?.abort();
      work.stopFollowing?.();
    }
    this.#work.clear();
  }

  #snap(): LivenessAssetsSnapshot {
    return {
      items: this.#items,
      busy: this.#items.some((item) => item.state === 'checking' || item.state === 'uploading'),
      add: this.add,
      retry: this.retry,
      remove: this.remove,
    };
  }

  #limits(): AssetLimits {
    return { ...LIVENESS_FACE_LIMITS, ...this.#options.limits };
  }

  #types(): readonly AssetKind[] {
    return this.#options.types ?? ['image', 'video'];
  }

  /** Changes one item (if it is still on the list) and tells the subscribers. */
  #update(key: string, change: Partial<LivenessAssetItem> & { state?: AssetItemState }, drop: readonly (keyof LivenessAssetItem)[] = []): LivenessAssetItem | undefined {
    let changed: LivenessAssetItem | undefined;
    this.#items = this.#items.map((item) => {
      if (item.key !== key) return item;
      const next: LivenessAssetItem = { ...item, ...change };
      for (const field of drop) delete next[field];
      return (changed = next);
    });
    if (changed) this.#emit();
    return changed;
  }

  #emit(): void {
    this.#snapshot = this.#snap();
    this.#options.onChange?.(this.#items);
    for (const listener of [...this.#listeners]) listener();
  }

  add = (files: Iterable<File> | ArrayLike<File>): void => {
    for (const file of Array.from(files as ArrayLike<File>)) {
      const key = randomId();
      this.#work.set(key, { file, idempotencyKey: randomId() });
      this.#items = [...this.#items, { key, file: { name: file.name, size: file.size, type: file.type }, state: 'checking' }];
      this.#emit();
      void this.#check(key, file);
    }
  };

  retry = (key: string): void => {
    const item = this.#items.find((entry) => entry.key === key);
    const work = this.#work.get(key);
    if (!item || !work || item.state !== 'error') return;
    this.#update(key, { state: 'uploading' }, ['error', 'progress']);
    this.#enqueue(key);
  };

  remove = (key: string): void => {
    const work = this.#work.get(key);
    work?.abort?.abort();
    work?.stopFollowing?.();
    this.#work.delete(key);
    this.#items = this.#items.filter((item) => item.key !== key);
    this.#emit();
  };

  async #check(key: string, file: File): Promise<void> {
    let result: AssetFileCheck | undefined;
    try {
      result = await (await loadChecker()).checkAssetFile(file, this.#limits(), this.#types());
    } catch {
      // The checker could not be loaded (offline, a deploy that removed the chunk): the server checks anyway.
      result = undefined;
    }
    if (!this.#work.has(key)) return;
    if (result && !result.ok) {
      this.#update(key, { state: 'rejected', rejection: result.rejection });
      return;
    }
    this.#update(key, { state: 'uploading', ...(result?.ok ? { info: result.info } : {}) });
    this.#enqueue(key);
  }

  #enqueue(key: string): void {
    this.#queue = this.#queue.then(() => this.#upload(key)).catch(() => undefined);
  }

  async #upload(key: string): Promise<void> {
    const work = this.#work.get(key);
    if (!work) return;
    const generation = this.#generation;
    const endpoint = resolveEndpoint(this.#options.endpoint);
    const abort = (work.abort = new AbortController());
    const result = await uploadFile({
      url: endpoint.url,
      method: endpoint.method,
      headers: endpoint.headers,
      credentials: endpoint.credentials,
      file: work.file,
      idempotencyKey: work.idempotencyKey,
      stallTimeoutMs: this.#options.stallTimeoutMs ?? 30_000,
      onProgress: (sent) => this.#work.has(key) && this.#update(key, { progress: sent }),
      signal: abort.signal,
    });
    work.abort = undefined;
    if (!this.#work.has(key) || generation !== this.#generation) return;
    if (!result.ok) {
      const { error, reason } = result;
      if (error.serverCode && FILE_CODES.has(error.serverCode)) {
        const rejection: AssetRejectionReason =
          reason ?? (error.serverCode === 'payload_too_large' ? 'file_too_large' : error.serverCode === 'unsupported_media_type' ? 'unsupported_type' : 'unreadable');
        this.#update(key, { state: 'rejected', rejection: { reason: rejection, size: work.file.size } }, ['progress']);
      } else {
        this.#update(key, { state: 'error', error }, ['progress']);
      }
      return;
    }
    const { assetId, statusUrl, eventsUrl } = result.value;
    this.#update(key, { state: 'processing', assetId }, ['progress']);
    this.#follow(key, work, statusUrl, eventsUrl);
  }

  #follow(key: string, work: Work, statusUrl: string, eventsUrl: string | undefined): void {
    const endpoint = resolveEndpoint(this.#options.endpoint);
    // The status URL is the server's path: resolved against the upload route's URL, as the browser would.
    const base = typeof location === 'undefined' ? 'http://localhost/' : location.href;
    const absolute = (url: string) => new URL(url, new URL(endpoint.url, base)).href;
    work.stopFollowing = followAsset({
      statusUrl: absolute(statusUrl),
      eventsUrl: eventsUrl && this.#options.transport !== 'poll' ? absolute(eventsUrl) : undefined,
      headers: endpoint.headers,
      credentials: endpoint.credentials,
      fetch: this.#options.fetch,
      intervalMs: this.#options.pollIntervalMs ?? 2000,
      onStatus: (status) => {
        const item = this.#items.find((entry) => entry.key === key);
        if (!item || item.state === status.status) return;
        if (status.status === 'active') {
          this.#update(key, { state: 'active' });
          this.#options.onAssetActive?.({ assetId: status.assetId, key, file: item.file });
        } else if (status.status === 'failed') {
          const reason = status.reason ?? 'unknown';
          this.#update(key, { state: 'failed', reason });
          this.#options.onAssetFailed?.({ assetId: status.assetId, key, reason, file: item.file });
        }
      },
      onGone: (error) => this.#update(key, { state: 'error', error }),
    });
  }
}
