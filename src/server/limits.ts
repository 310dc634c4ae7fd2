/** Largest request body the handler and the Node adapter read (16 KiB); real bodies are < 1 KiB. */
export const MAX_BODY_BYTES = 16 * 1024;

/** Longest `returnUrl` accepted. */
export const MAX_RETURN_URL_LENGTH = 2048;

/**
 * Largest upstream answer read (64 KiB); real ones are ~1 KiB, so anything bigger is not the API talking.
 * Reading stops at this many bytes instead of buffering whatever a broken proxy streams.
 */
export const MAX_UPSTREAM_BODY_BYTES = 64 * 1024;

/** Longest `Retry-After` passed on from an upstream 429/503 (60 s); a link lives ~2 minutes. */
export const MAX_UPSTREAM_RETRY_AFTER_MS = 60_000;
