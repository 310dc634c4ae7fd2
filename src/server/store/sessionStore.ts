import type { CreateDevice, FailureReason, WireLocale } from '../../core/wire/protocol.js';

/**
 * Where a session is in its life on the server. `checking`: a success callback arrived and the result
 * is being fetched (possibly over several attempts); it reads as `pending` to the browser. `cancelled`:
 * the browser ended it before its outcome ("Not you? Start again"); it reads as `expired`, for good.
 */
export type StoredSessionStatus = 'pending' | 'checking' | 'verified' | 'failed' | 'cancelled';

/**
 * A claim on the session's next result call. Only the holder may call the upstream until `until`; a
 * holder that died mid-call loses the claim when it runs out, and another instance takes over.
 */
export interface ResultLease {
  /** Random per claim; only compared for equality. */
  holder: string;
  /** Epoch milliseconds. */
  until: number;
}

/**
 * One session as a store keeps it. It holds the byted token, the H5 link and the QR code's short URL,
 * all secrets: a custom store must keep them out of logs and away from anyone who should not be able to
 * verify as this person.
 */
export interface StoredSession {
  id: string;
  /**
   * 0 at creation; the store adds 1 on every successful `update`. What the compare-and-set compares, so
   * two writers can never both act on the same reading of a session.
   */
  version: number;
  status: StoredSessionStatus;
  /** Upstream token, used for the result call. Never sent to a browser. */
  bytedToken: string;
  /** Upstream H5 link with `lng` applied. Only the create response and the short link's redirect carry it. */
  h5Link: string;
  /** The QR code's short URL, which carries its own random secret (the session id is derived from it). */
  qrUrl: string;
  locale?: WireLocale;
  /**
   * The app's subject (its user) that `authorize` named when the session was created. Fixed at creation;
   * only the app's own server ever sees it (`getSession`, `onVerified`, `onFailed`).
   */
  subject?: string;
  /** Validated at creation against the allowlist. */
  returnUrl?: string;
  /** The device the session was created on (the create body's `device`, else its User-Agent); the callback page's words follow it. */
  device?: CreateDevice;
  /**
   * SHA-256 (hex) of the owner key the create answer gave the creating page: what a request that changes
   * the session (cancel) must present. The key itself is never stored with the session. Fixed at creation.
   */
  ownerKeyHash?: string;
  /** Epoch milliseconds, as every time below. */
  createdAt: number;
  /** After this the link no longer works (the last check for a lost callback may still run). */
  expiresAt: number;
  /** After this the store may forget the session entirely. Extended when a result is being fetched. */
  purgeAt: number;
  /** A phone opened the QR code's short link. Its callback then shows the built-in page, not the return URL. */
  openedAt?: number;
  /** SHA-256 of the device cookie of the phone that opened the short link: the only device it works for. */
  openedBy?: string;
  /** The desktop asked for the status at least once: a lost callback is worth looking for. */
  watchedAt?: number;
  /**
   * How many times the app's `sendLink` was asked to send the short link to a phone (`POST …/send`),
   * failed and timed-out attempts included. Counted before each call, by compare-and-set, so instances
   * together never exceed the limit. Never the number or address.
   */
  sendCount?: number;
  /** When the success callback arrived; the result window runs from here. */
  checkingSince?: number;
  lease?: ResultLease;
  /**
   * A hash of the client key (`clientKey`) of the request that created the session (32 hex characters,
   * as the per-client budget names clients). Fixed at creation. The result calls its callbacks start are
   * charged to that client, whoever sends them.
   */
  createdBy?: string;
  /** Result calls that came back without an answer since the callback. */
  attempts?: number;
  /** Of those, the ones the upstream answered "not found" (or `ValidateNotReady`); each schedules one recheck, a bounded number. */
  notFoundCount?: number;
  /** Earliest time of the next result call (back-off, `Retry-After`). */
  nextAttemptAt?: number;
  /** Last low-rate check for a lost callback. */
  lastProbeAt?: number;
  /** The check at the link's expiry ran and found nothing: the session may now read `expired`. */
  finalCheckDone?: boolean;
  decidedAt?: number;
  /**
   * With `status: 'checking'`: the upstream answered this GroupId at `verifiedAt` (its token is spent)
   * and the app's `onVerified` has not succeeded yet. With `verified`: the result.
   */
  groupId?: string;
  /** When the upstream answered the GroupId. */
  verifiedAt?: number;
  /** `onVerified` calls that threw or timed out so far. */
  persistAttempts?: number;
  resultCode?: string;
  reason?: FailureReason;
}

/**
 * The fields an update may change; identity, secrets and the link's life are fixed at creation. A field
 * set to `undefined` is removed.
 */
export type SessionPatch = Partial<Omit<StoredSession, 'id' | 'version' | 'bytedToken' | 'h5Link' | 'qrUrl' | 'subject' | 'createdBy' | 'ownerKeyHash' | 'createdAt' | 'expiresAt'>>;

/** One request for a slot in a shared sliding window; see {@link SessionStore.takeSlot}. */
export interface SlotRequest {
  /** Names the window, e.g. `upstream:create` or `client:<hash>`. */
  bucket: string;
  /** Unique per request; `returnSlot` gives it back. */
  slotId: string;
  /** At most this many slots within any `windowMs`. */
  limit: number;
  windowMs: number;
  /** Leave this many slots free for others (a lower-priority lane). @default 0 */
  keep?: number;
  /** Refuse while this flag is raised (a higher-priority lane is waiting). */
  blockedBy?: string;
  /** When refused, raise this flag for `ms`, so lower-priority lanes step aside. */
  raiseOnRefusal?: { flag: string; ms: number };
}

export type SlotResult = { ok: true } | { ok: false; retryAfterMs: number };

/** A listener of one session's changes; see {@link SessionStore.subscribe}. */
export interface SessionSubscription {
  /**
   * Whether changes reach the listener right now. While `false` (the Redis subscription is not up, or
   * was lost), the handler's event streams read the store at the poll interval instead.
   */
  readonly live: boolean;
  /** Stops calling the listener. */
  close(): void;
}

/**
 * Async session storage, shared by every handler instance that should see the same sessions. Every
 * method may be called concurrently from many requests and, with a shared backend, from many processes.
 *
 * The contract a custom store must keep:
 * - `update` is a compare-and-set on `version`: atomically, if the stored `version` equals
 *   `expectedVersion`, store `{ ...stored, ...patch, version: expectedVersion + 1 }` (a patch field set
 *   to `undefined` removes it), keep it until its `purgeAt`, and resolve to it; otherwise change nothing
 *   and resolve to `undefined`. The handler re-reads and retries, so a lost race is never an error.
 * - `getRecord`/`swapRecord` (idempotency keys) and `takeSlot`/`returnSlot` (the upstream budget) are
 *   optional. Without them each handler instance keeps its own in memory: correct for one process,
 *   but several processes then each spend their own budget and do not share idempotency keys.
 * - `time` (the store's clock, for leases) is optional; a store shared by instances whose clocks may
 *   differ by seconds should have it.
 * - `subscribe` (change notifications for event streams) is optional. Without it a handler learns at
 *   once only of the writes it makes itself, and its event streams also read the store at the poll
 *   interval (2 s) to see those of other instances.
 */
export interface SessionStore {
  /** The session, or `undefined` when unknown or already purged. */
  get(id: string): Promise<StoredSession | undefined>;
  /** Stores a new session until `purgeAt`. Rejects when the id already exists. */
  create(session: StoredSession): Promise<void>;
  /** Compare-and-set on `version`; see above. */
  update(id: string, expectedVersion: number, patch: SessionPatch): Promise<StoredSession | undefined>;
  delete(id: string): Promise<void>;
  /** A small record (a JSON string), or `undefined`. */
  getRecord?(key: string): Promise<string | undefined>;
  /**
   * Compare-and-set on a record: when the stored value equals `expected` (`null`: no record), store
   * `next` for `ttlMs` (`next` `null`: delete it). Resolves to whether it was written.
   */
  swapRecord?(key: string, expected: string | null, next: string | null, ttlMs: number): Promise<boolean>;
  /** Takes a slot of a sliding window (atomically across every instance sharing the store). */
  takeSlot?(request: SlotRequest): Promise<SlotResult>;
  /** Gives back a slot that was taken but not used. */
  returnSlot?(bucket: string, slotId: string): Promise<void>;
  /**
   * The store's own clock, in epoch milliseconds (`redisStore`: Redis `TIME`). Optional. With it, result
   * leases are kept on this clock, so instances whose clocks differ agree on when one runs out (one that
   * runs ahead would otherwise take over a lease still in use, and call the upstream or `onVerified` a
   * second time); without it, each instance judges leases with its own clock: keep them in sync (NTP).
   */
  time?(): Promise<number>;
  /**
   * Calls `onChange` after every `create`, successful `update` and `delete` of session `id`, made by
   * any instance sharing the store, soon enough for a pushed result (the built-in stores: within
   * milliseconds), and also whenever the subscription becomes live again (changes may have been missed
   * meanwhile). It may call spuriously; the handler reads the session again each time. `onChange` gets
   * no data and never throws. Event streams use it (`GET …/sessions/:id/events`).
   */
  subscribe?(id: string, onChange: () => void): SessionSubscription;
}
