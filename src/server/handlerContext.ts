import type { LivenessServerEvent } from './events.js';
import type { ResolvedHandlerOptions } from './handlerOptions.js';
import type { RateLimiter } from './rateLimiter.js';
import type { StoredSession } from './sessionStore.js';
import type { UpstreamClient } from './upstreamClient.js';

/** Everything a route needs, built once per handler. */
export interface HandlerContext {
  options: ResolvedHandlerOptions;
  upstream: UpstreamClient;
  limiter: RateLimiter | undefined;
  emit: (event: LivenessServerEvent) => void;
  /** In-process single-flight of result checks, keyed by session id. */
  resultChecks: Map<string, Promise<StoredSession | undefined>>;
}
