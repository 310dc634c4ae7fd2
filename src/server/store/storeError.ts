/**
 * Why a session store call failed, as `onEvent`'s `store.error` and {@link LivenessStoreError} name it.
 * The store cannot answer for now (the routes answer 503 `store_unavailable` with `Retry-After`):
 * - `connection`: no connection (refused, reset, closed, offline while the client reconnects);
 * - `timeout`: no answer within `storeTimeoutMs`;
 * - `cluster_down`: a Redis Cluster without a master for the slot (`CLUSTERDOWN`, `TRYAGAIN`, `MASTERDOWN`);
 * - `moved`: the slot moved, or the node stepped down (`MOVED`, `ASK`, `READONLY`) and the client did not follow;
 * - `busy`: the server is loading its data after a restart, running a long script, or out of memory (`LOADING`, `BUSY`, `OOM`);
 * - `error`: anything else a store throws (a custom store's own errors).
 *
 * The store is set up wrong, and waiting will not help (the routes answer 500 `store_misconfigured`):
 * - `crossslot`: keys of one script on different Redis Cluster slots (`CROSSSLOT`);
 * - `noscript`: an adapter that runs scripts by digest without loading them (`NOSCRIPT`);
 * - `wrong_type`: a key of this store's prefix holds another type: another app writes there (`WRONGTYPE`);
 * - `unknown_command`: the server lacks a command the store needs (`EVAL` disabled or renamed);
 * - `auth`: the connection is not allowed in (`NOAUTH`, `WRONGPASS`, `NOPERM`).
 */
export const StoreErrorClass = {
  connection: 'connection',
  timeout: 'timeout',
  clusterDown: 'cluster_down',
  moved: 'moved',
  busy: 'busy',
  error: 'error',
  crossSlot: 'crossslot',
  noScript: 'noscript',
  wrongType: 'wrong_type',
  unknownCommand: 'unknown_command',
  auth: 'auth',
} as const;
export type StoreErrorClass = (typeof StoreErrorClass)[keyof typeof StoreErrorClass];

const MISCONFIGURED: ReadonlySet<StoreErrorClass> = new Set(['crossslot', 'noscript', 'wrong_type', 'unknown_command', 'auth']);

/**
 * What a route, `getSession` and the background work get when a store call fails: the class, never the
 * store's own message (it may name a key, an address or a password), and no `cause`.
 */
export class LivenessStoreError extends Error {
  override readonly name = 'LivenessStoreError';
  /** `store_unavailable` (try again shortly) or `store_misconfigured` (the setup must change). */
  readonly code: StoreErrorCode;
  readonly storeError: StoreErrorClass;

  constructor(storeError: StoreErrorClass) {
    const code = storeErrorCode(storeError);
    super(code === 'store_misconfigured' ? `The session store is misconfigured (${storeError}).` : `The session store is unavailable (${storeError}).`);
    this.storeError = storeError;
    this.code = code;
  }
}

/** The `ServerErrorCode` a failure of this class is answered with. */
export type StoreErrorCode = 'store_unavailable' | 'store_misconfigured';

export function storeErrorCode(storeError: StoreErrorClass): StoreErrorCode {
  return MISCONFIGURED.has(storeError) ? 'store_misconfigured' : 'store_unavailable';
}

export function isLivenessStoreError(error: unknown): error is LivenessStoreError {
  return error instanceof LivenessStoreError;
}

// Redis replies start with their code; inside a Lua script (Redis 6) the code follows the script's
// own prefix, so codes are matched as words anywhere in the message.
const REPLY_CODES: readonly [RegExp, StoreErrorClass][] = [
  [/\bCROSSSLOT\b/, 'crossslot'],
  [/\bNOSCRIPT\b/, 'noscript'],
  [/\bWRONGTYPE\b/, 'wrong_type'],
  [/unknown (?:redis )?command|unknown or disabled command|unknown command/i, 'unknown_command'],
  [/\b(?:NOAUTH|WRONGPASS|NOPERM)\b/, 'auth'],
  [/\b(?:CLUSTERDOWN|TRYAGAIN|MASTERDOWN)\b/, 'cluster_down'],
  [/^(?:MOVED|ASK) \d|\bREADONLY\b/, 'moved'],
  [/\b(?:LOADING|BUSY|OOM)\b/, 'busy'],
];

// Node's socket errors, and the words of node-redis (ClientClosedError, ClientOfflineError,
// DisconnectsClientError: a node's client dropped after a failover, SocketClosedUnexpectedlyError, ConnectionTimeoutError, ReconnectStrategyError) and ioredis
// ("Connection is closed.", MaxRetriesPerRequestError, a disabled offline queue).
const CONNECTION_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ECONNABORTED', 'EPIPE', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'ENOTFOUND', 'EAI_AGAIN', 'ERR_SOCKET_CLOSED']);
const CONNECTION_NAMES =
  /^(?:ClientClosedError|ClientOfflineError|DisconnectsClientError|SocketClosedUnexpectedlyError|ConnectionTimeoutError|ReconnectStrategyError|MaxRetriesPerRequestError|AbortError)$/;
const CONNECTION_WORDS =
  /client is (?:closed|offline)|disconnects client|connection (?:is )?closed|socket closed|closed unexpectedly|offline queue|max retries per request|ECONNREFUSED|ECONNRESET|EPIPE|ETIMEDOUT|not connected|connection lost|disconnected/i;

/** The class of whatever a store threw. Reads the error's name, code and message; keeps none of them. */
export function classifyStoreError(error: unknown): StoreErrorClass {
  if (error instanceof LivenessStoreError) return error.storeError;
  if (typeof error !== 'object' || error === null) return 'error';
  const { name, code, message } = error as { name?: unknown; code?: unknown; message?: unknown };
  const text = typeof message === 'string' ? message : '';
  for (const [pattern, found] of REPLY_CODES) if (pattern.test(text)) return found;
  if ((typeof code === 'string' && CONNECTION_CODES.has(code)) || (typeof name === 'string' && CONNECTION_NAMES.test(name)) || CONNECTION_WORDS.test(text)) {
    return 'connection';
  }
  return 'error';
}
