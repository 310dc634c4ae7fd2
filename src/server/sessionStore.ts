import type { WireLocale } from '../core/protocol.js';

/**
 * Where a session is in its life on the server. `checking` is the claim taken before the single
 * result call upstream: only the caller that moved a session from `pending` to `checking` may query.
 */
export type StoredSessionStatus = 'pending' | 'checking' | 'verified' | 'failed';

/**
 * One session as a store keeps it. It holds the byted token and the H5 link, both secrets: a custom
 * store must keep them out of logs and away from anyone who should not be able to verify as this person.
 */
export interface StoredSession {
  id: string;
  status: StoredSessionStatus;
  /** Upstream token, used once for the result call. Never sent to a browser. */
  bytedToken: string;
  /** Upstream H5 link with `lng` applied. Only the create response and the `/l/:id` redirect carry it. */
  h5Link: string;
  locale?: WireLocale;
  /** Validated at creation against the allowlist. */
  returnUrl?: string;
  /** Epoch milliseconds. */
  createdAt: number;
  /** Epoch milliseconds after which the link no longer works. */
  expiresAt: number;
  /** Epoch milliseconds after which the store may forget the session entirely. */
  purgeAt: number;
  /** When the result call was claimed, to tell a slow check from a crashed one. */
  claimedAt?: number;
  decidedAt?: number;
  /**
   * Set when the phone came through the QR code's short link (`/l/:id`): that phone is not the device
   * the person started on, so its callback shows the built-in "go back to your computer" page instead
   * of sending it to the app's return URL (where it would start a session of its own).
   */
  openedViaQr?: boolean;
  groupId?: string;
  resultCode?: string;
}

/** The fields an update may change; identity, secrets and timing are fixed at creation. */
export type SessionPatch = Partial<
  Omit<StoredSession, 'id' | 'bytedToken' | 'h5Link' | 'createdAt' | 'expiresAt' | 'purgeAt'>
>;

/**
 * Async session storage. Every method may be called concurrently from many requests and, with a shared
 * backend, from many processes; `update` is the only write after `create` and must be atomic.
 */
export interface SessionStore {
  /** The session, or `undefined` when unknown or already purged. */
  get(id: string): Promise<StoredSession | undefined>;
  /** Stores a new session until `purgeAt`. Rejects when the id already exists. */
  create(session: StoredSession): Promise<void>;
  /**
   * Compare-and-set: applies `patch` only when the stored status equals `expectedStatus`, atomically.
   * Resolves to the updated session, or `undefined` when the session is missing or its status differs
   * (someone else won the race).
   */
  update(id: string, expectedStatus: StoredSessionStatus, patch: SessionPatch): Promise<StoredSession | undefined>;
  delete(id: string): Promise<void>;
}
