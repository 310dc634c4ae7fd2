/** Largest request body the handler and the Node adapter read (16 KiB); real bodies are < 1 KiB. */
export const MAX_BODY_BYTES = 16 * 1024;

/** Longest `returnUrl` accepted. */
export const MAX_RETURN_URL_LENGTH = 2048;

/**
 * Largest upstream answer read (64 KiB); real ones are ~1 KiB, so anything bigger is not the API talking.
 * Reading stops at this many bytes instead of buffering whatever a broken proxy streams.
 */
export const MAX_UPSTREAM_BODY_BYTES = 64 * 1024;

/** Largest `ListAssets` page read (1 MiB): items carry signed object-storage URLs, often 1 KB each. */
export const MAX_UPSTREAM_LIST_BYTES = 1024 * 1024;

/** Longest `Retry-After` passed on from an upstream 429/503 (60 s); a link lives ~2 minutes. */
export const MAX_UPSTREAM_RETRY_AFTER_MS = 60_000;

/**
 * A result call that answers "not found" or `ValidateNotReady` this soon after the success callback is
 * asked again: the upstream may not have stored the result yet. Later, "not found" is its answer.
 */
export const NOT_READY_GRACE_MS = 60_000;

/**
 * When a session whose result call heard "not found" is asked again, counted from its callback: after
 * the n-th "not found", at the n-th offset. The last is the grace minute's end, whose answer decides, so
 * a success callback costs at most six result calls that hear "not found", however it was sent (a
 * forged one costs exactly that); an upstream that lags the callback by a few seconds is asked again
 * soon after.
 */
export const NOT_FOUND_RECHECKS_MS = [2_000, 6_000, 15_000, 30_000, NOT_READY_GRACE_MS] as const;

/**
 * After the link expires, how long the last check for a lost callback may take (including retries of
 * transient failures) while the status still reads `pending`.
 */
export const FINAL_CHECK_WINDOW_MS = 15_000;

/** Back-off between result calls that got no answer: 1 s, 2 s, 4 s, 8 s, then every 10 s. */
export const RESULT_BACKOFF_MS = [1_000, 2_000, 4_000, 8_000, 10_000] as const;

/** Longest wait between two `onVerified` calls while it keeps failing (back-off from 1 s, doubling). */
export const PERSIST_BACKOFF_MAX_MS = 60_000;

/** Between retries of the last check at the link's expiry (its window is only 15 s). */
export const FINAL_CHECK_RETRY_MS = 2_000;

/** How long a result call after a callback may wait in this process for a free budget slot. */
export const RESULT_SLOT_WAIT_MS = 2_000;

/** A lease covers the slot wait and the call's timeout, plus this much for the write that records it. */
export const LEASE_MARGIN_MS = 2_000;

/**
 * How long a request (callback, status poll) waits for the result call it started. Past it the answer
 * says `pending` and the call goes on (on long-lived servers, or through `waitUntil`).
 */
export const INLINE_WAIT_MS = 10_000;

/** How long a callback waits for a result call another instance holds, reading the store with back-off. */
export const FOREIGN_DECISION_WAIT_MS = 10_000;

/** Accepted `Idempotency-Key` values: 16–200 visible ASCII characters (a UUID is 36). */
export const IDEMPOTENCY_KEY_PATTERN = /^[\x21-\x7e]{16,200}$/;

/** An open event stream sends a comment this often, so that proxies and the browser keep it open. */
export const STREAM_HEARTBEAT_MS = 15_000;

/**
 * While a stream cannot rely on change notifications (no subscription, or a lost one), it reads the
 * store this often: the browser's own poll interval, so a stream never learns later than a poll would.
 */
export const STREAM_FALLBACK_READ_MS = 2_000;

/** Soonest a stream reads its session again for a time-driven change (a step falling due, the expiry). */
export const STREAM_MIN_TICK_MS = 250;

/** `Retry-After` of a stream refused because the handler holds `maxEventStreams` already. */
export const STREAM_RETRY_AFTER_MS = 10_000;

/**
 * How long the health route waits for the store. A healthy Redis answers a read in about a millisecond,
 * so half a second means it is down or stuck; and it stays under the 1 s that Kubernetes gives a probe by
 * default (load balancers give 2 to 5 s), so the balancer gets a 503 it can read, not a timeout.
 */
export const HEALTH_STORE_DEADLINE_MS = 500;

/**
 * Default deadline of each session store call (`storeTimeoutMs`). A healthy Redis answers in about a
 * millisecond, and a client that has lost its connection fails at once (`redisStore` never queues a
 * command while its client is offline), so this only bounds a server that is stuck, overloaded or
 * failing over: a route then answers 503 instead of hanging.
 */
export const STORE_TIMEOUT_MS = 1_000;

/**
 * How long a store call that missed its deadline keeps the others from being sent (they fail at once
 * meanwhile): long enough that a stuck store is not sent a command per request, short enough that a
 * client that had to find a failed-over master again is asked once more soon.
 */
export const STORE_STUCK_MS = 2_000;

/** `Retry-After` of a 503 `store_unavailable`: the browser's own poll interval. */
export const STORE_RETRY_AFTER_MS = 2_000;

/** Background work (a timer's result step) that met a failing store is tried again after these delays, then every 30 s. */
export const STORE_RETRY_BACKOFF_MS = [1_000, 2_000, 5_000, 10_000, 30_000] as const;

/** Background retries after store failures stop after this long (the longest a result stays worth fetching, plus margin). */
export const STORE_RETRY_GIVE_UP_MS = 40 * 60_000;

/** `Retry-After` of a 503 from the health route: about one load balancer check interval. */
export const HEALTH_RETRY_AFTER_MS = 5_000;

/**
 * How many times one session's link may be sent to a phone (`POST …/send`), attempts that failed or
 * timed out included (the message may have gone out all the same).
 */
export const MAX_SENDS_PER_SESSION = 3;

/** Longest `sendLinkTimeoutMs`: the browser waits 30 s for the answer, and must hear the 502. */
export const MAX_SEND_LINK_TIMEOUT_MS = 25_000;
