/** Largest request body the handler and the Node adapter read (16 KiB); real bodies are < 1 KiB. */
export const MAX_BODY_BYTES = 16 * 1024;

/** Longest `returnUrl` accepted. */
export const MAX_RETURN_URL_LENGTH = 2048;

/** Largest upstream answer parsed; real ones are ~1 KiB, so anything bigger is not the API talking. */
export const MAX_UPSTREAM_BODY_CHARS = 64 * 1024;
