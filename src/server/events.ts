import type { AssetFailureReason } from '../core/wire/assetProtocol.js';
import type { FailureReason, SendLinkChannel, SessionStatus } from '../core/wire/protocol.js';
import type { StoreErrorClass } from './store/storeError.js';

/** What happened; see {@link LivenessServerEvent}. */
export type LivenessServerEventType =
  | 'session.created'
  | 'session.reused'
  | 'session.create_failed'
  | 'session.opened'
  | 'link.rejected'
  | 'link.sent'
  | 'link.send_failed'
  | 'callback.received'
  | 'callback.rejected'
  | 'session.verified'
  | 'session.failed'
  | 'session.expired'
  | 'session.cancelled'
  | 'result.retry'
  | 'upstream.response'
  | 'rate_limited'
  | 'request.rejected'
  | 'asset.created'
  | 'asset.reused'
  | 'asset.active'
  | 'asset.failed'
  | 'asset.retry'
  | 'store.error';

/**
 * One event for the app's logs and metrics. Built only from non-secret values: it never carries the
 * API key, the H5 link, the short link, the byted token, any upstream body, or the number or address a
 * link was sent to (`link.sent` and `link.send_failed` say the channel only).
 */
export interface LivenessServerEvent {
  type: LivenessServerEventType;
  sessionId?: string;
  /** The upstream asset id (with `asset.*` events and asset calls); never its group. */
  assetId?: string;
  status?: SessionStatus;
  /** Status this handler answered with. */
  httpStatus?: number;
  /** Status the upstream answered with, when there was an answer. */
  upstreamStatus?: number;
  /**
   * Which upstream call: `create` (CreateVisualValidateSession), `result` (GetVisualValidateResult),
   * `create_asset` (CreateAsset) or `list_assets` (ListAssets).
   */
  action?: 'create' | 'result' | 'create_asset' | 'list_assets';
  /**
   * Why a result call was made: after a success `callback`, as a low-rate `probe` for a callback that
   * may have been lost, or as the last check at the link's `expiry`; `persist`: the app's `onVerified`
   * was called for a GroupId already in hand (with `result.retry` when it failed).
   */
  check?: 'callback' | 'probe' | 'expiry' | 'persist';
  /** A {@link ServerErrorCode} or a short reason such as `token_mismatch`. */
  code?: string;
  /** Why a session failed (with `session.failed`), or an asset (with `asset.failed`). */
  reason?: FailureReason | AssetFailureReason;
  /** Result calls so far without an answer (with `result.retry`), and the delay before the next one. */
  attempt?: number;
  retryInMs?: number;
  /** How the link went to a phone (with `link.sent` and `link.send_failed`); never to whom. */
  channel?: SendLinkChannel;
  /** The callback's `resultCode` (a number code such as `10000`). */
  resultCode?: string;
  durationMs?: number;
  /**
   * With `store.error` (and `code` `store_unavailable` or `store_misconfigured`): why a store call
   * failed, as a class (`connection`, `timeout`, `cluster_down`, `moved`, `crossslot`, …), never the
   * store's message, a key, a token or a link. One event per failed call.
   */
  storeError?: StoreErrorClass;
}

/** Wraps the app's hook so a throwing or slow logger can never break a request. */
export function eventEmitter(hook: ((event: LivenessServerEvent) => void) | undefined): (event: LivenessServerEvent) => void {
  if (!hook) return () => {};
  return (event) => {
    try {
      const result = hook({ ...event }) as unknown;
      if (result && typeof (result as Promise<unknown>).catch === 'function') {
        (result as Promise<unknown>).catch(() => {});
      }
    } catch {
      // Logging must not change the answer a person gets.
    }
  };
}
