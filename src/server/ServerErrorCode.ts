/**
 * Every `error.code` the `/server` handler answers with, so apps and the browser half can branch on
 * a stable value instead of parsing messages.
 */
export const ServerErrorCode = {
  /** The body is not valid JSON. */
  invalidJson: 'invalid_json',
  /** The body is JSON but a field has the wrong type or value. */
  invalidRequest: 'invalid_request',
  /** `returnUrl` is not on the allowlist. */
  returnUrlNotAllowed: 'return_url_not_allowed',
  /** The body is larger than the handler accepts (16 KiB). */
  payloadTooLarge: 'payload_too_large',
  /** A POST without a JSON `Content-Type`. */
  unsupportedMediaType: 'unsupported_media_type',
  /** Unknown route or unknown session. */
  notFound: 'not_found',
  /** Known route, wrong method; see the `Allow` header. */
  methodNotAllowed: 'method_not_allowed',
  /** The session exists but its link can no longer be used (410 from the short link; 409 from `POST …/send`). */
  sessionGone: 'session_gone',
  /** The `authorize` hook threw. */
  unauthorized: 'unauthorized',
  /** A browser on another site tried to create a session (its `Origin` is not allowed). */
  originNotAllowed: 'origin_not_allowed',
  /** The `authorize` hook returned `false`. */
  forbidden: 'forbidden',
  /** The upstream budget (shared by every instance on one `redisStore`) is spent; see `Retry-After`. */
  rateLimited: 'rate_limited',
  /** This client's own create budget (`clientRateLimit`) is spent; see `Retry-After`. */
  clientRateLimited: 'client_rate_limited',
  /** An `Idempotency-Key` was sent again with a different body: it names another request. */
  idempotencyKeyReused: 'idempotency_key_reused',
  /** The `Host` of the request is not a host (Node adapter). */
  invalidHost: 'invalid_host',
  /** A `GET` or `HEAD` request came with a body (Node adapter): refused at once, never read. */
  bodyNotAllowed: 'body_not_allowed',
  /** The request body did not arrive within the adapter's `bodyTimeoutMs`. */
  requestTimeout: 'request_timeout',
  /** The upstream answered with an error, or with something that is not the expected JSON. */
  upstreamError: 'upstream_error',
  /** The upstream rejected the API key (wrong key, or a key of the wrong group). */
  upstreamUnauthorized: 'upstream_unauthorized',
  /** The upstream could not be reached at all. */
  upstreamUnreachable: 'upstream_unreachable',
  /** The upstream returned a link that failed validation (scheme, host, length). */
  upstreamInvalidLink: 'upstream_invalid_link',
  /** The upstream is throttling or unavailable (its 429 or 503); see `Retry-After`. */
  upstreamUnavailable: 'upstream_unavailable',
  /** The upstream did not answer within `upstreamTimeoutMs`. */
  upstreamTimeout: 'upstream_timeout',
  /** This server holds as many event streams as it may (`maxEventStreams`): poll the status instead; see `Retry-After`. */
  tooManyStreams: 'too_many_streams',
  /** `POST …/send`: `to` is not a recipient of the channel (an E.164 number for `sms`, one plain address for `email`). */
  invalidRecipient: 'invalid_recipient',
  /** `POST …/send`: the channel is not one of `sendLinkChannels`. */
  channelNotAllowed: 'channel_not_allowed',
  /** `POST …/send`: a phone has opened the session's link already, so it is not sent again (409). */
  sessionOpened: 'session_opened',
  /** `POST …/send`: the session's link was sent as often as it may be, or this client's budget is spent; see `Retry-After`. */
  sendRateLimited: 'send_rate_limited',
  /** `POST …/send`: the app's `sendLink` threw or took longer than `sendLinkTimeoutMs`. Its error is never echoed. */
  sendFailed: 'send_failed',
  /** An asset upload whose file is of an accepted type but outside the limits, unreadable or cut short; see `error.reason`. */
  invalidMedia: 'invalid_media',
  /** The upstream does not know the person's asset group (what `groupIdFor` answered): verify again. */
  upstreamGroupNotFound: 'upstream_group_not_found',
  /**
   * The session store cannot answer right now (Redis down, restarting, failing over, or slower than
   * `storeTimeoutMs`): nothing was changed; see `Retry-After`.
   */
  storeUnavailable: 'store_unavailable',
  /**
   * The session store answered with an error that waiting will not fix (`CROSSSLOT`, `NOSCRIPT`, a key
   * of the wrong type, a missing command, refused credentials): its setup must change. `onEvent`'s
   * `store.error` names the class.
   */
  storeMisconfigured: 'store_misconfigured',
  /** A bug. */
  internal: 'internal_error',
} as const;
export type ServerErrorCode = (typeof ServerErrorCode)[keyof typeof ServerErrorCode];
