import type { AssetContext } from './assets/assetContext.js';
import type { LivenessServerEvent } from './events.js';
import type { ResolvedHandlerOptions } from './handlerOptions.js';
import type { IdempotencyRecords } from './store/idempotencyRecords.js';
import type { SessionFeed } from './store/sessionFeed.js';
import type { SessionTimers } from './result/sessionTimers.js';
import type { StoredSession } from './store/sessionStore.js';
import type { OwedResult } from './result/resultSchedule.js';
import type { UpstreamBudget } from './upstream/upstreamBudget.js';
import type { UpstreamClient } from './upstream/upstreamClient.js';

/** Everything a route needs, built once per handler. */
export interface HandlerContext {
  options: ResolvedHandlerOptions;
  upstream: UpstreamClient;
  budget: UpstreamBudget;
  records: IdempotencyRecords;
  emit: (event: LivenessServerEvent) => void;
  timers: SessionTimers;
  /** In-process single flight of result steps, keyed by session id. */
  steps: Map<string, Promise<StoredSession | undefined>>;
  /**
   * GroupIds the upstream answered whose write failed (the store was down), by session id: the token is
   * spent, so they are kept here and written before anything else is done for the session.
   */
  owed: Map<string, OwedResult>;
  /** In-process single flight of idempotent creates, keyed by record key. */
  creates: Map<string, Promise<unknown>>;
  /** Where event streams hear of session changes. */
  feed: SessionFeed;
  /** Event streams open in this handler now (bounded by `maxEventStreams`), of sessions and of assets. */
  streams: { open: number };
  /** The reference-asset routes' state, when the `assets` option is set. */
  assets: AssetContext | undefined;
}
