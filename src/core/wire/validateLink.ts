import { livenessError, LivenessErrorCode, type LivenessError } from '../LivenessError.js';

/** Options for {@link validateLink}. */
export interface LinkValidationOptions {
  /**
   * Hosts the link may point to. Exact host names, or `*.example.com` for any subdomain.
   * @default undefined (any host)
   */
  allowedHosts?: readonly string[] | undefined;
  /**
   * Longest link accepted, in characters. Real links with temporary credentials reach ~1,000.
   * @default 4096
   */
  maxLength?: number | undefined;
}

/** Default cap on link length; well above real links, far below anything that hurts a QR encoder. */
export const DEFAULT_MAX_LINK_LENGTH = 4096;

const ESCAPED_AMPERSAND = /\\u0026/gi;

/**
 * Control characters and whitespace: never legitimate inside a URL, and able to smuggle a scheme past
 * a naive check. Also used on the backend URLs of a create answer. No `g` flag: `test` keeps no state.
 */
// eslint-disable-next-line no-control-regex -- matching control characters is what this pattern is for
export const UNSAFE_URL_CHARACTER = /[\u0000-\u001f\u007f\s]/;

function isLoopbackHost(hostname: string): boolean {
  const host = hostname.replace(/^\[|\]$/g, '');
  return host === 'localhost' || host.endsWith('.localhost') || host === '::1' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host);
}

function hostAllowed(hostname: string, allowed: readonly string[]): boolean {
  const host = hostname.toLowerCase();
  return allowed.some((entry) => {
    const rule = entry.toLowerCase();
    if (rule.startsWith('*.')) return host.endsWith(rule.slice(1)) && host.length > rule.length - 1;
    return host === rule;
  });
}

// The server entry validates links too, and runs on edge runtimes that may have no `process` at all:
// hence `typeof process` before each `process.env.NODE_ENV` in this file (a production build still
// folds the sentence away).
function invalid(devMessage: string | false): LivenessError {
  // The link itself is a secret (it may carry temporary credentials): never put it in the message.
  return livenessError(LivenessErrorCode.invalidLink, devMessage);
}

/**
 * Checks a link before it may become an `href` or a QR code (DESIGN.md rule 2) and returns it
 * normalised: literal `\u0026` decoded to `&`. Only `https:` is accepted, plain `http:` only for
 * loopback hosts (demos and tests). Throws a `LivenessError` with code `invalid_link` otherwise.
 */
export function validateLink(raw: unknown, options: LinkValidationOptions = {}): string {
  if (typeof raw !== 'string') throw invalid(typeof process !== 'undefined' && process.env.NODE_ENV !== 'production' && 'The verification link is missing or not text.');
  const maxLength = options.maxLength ?? DEFAULT_MAX_LINK_LENGTH;
  const decoded = raw.replace(ESCAPED_AMPERSAND, '&').trim();
  if (decoded.length === 0) throw invalid(typeof process !== 'undefined' && process.env.NODE_ENV !== 'production' && 'The verification link is empty.');
  if (decoded.length > maxLength) throw invalid(typeof process !== 'undefined' && process.env.NODE_ENV !== 'production' && `The verification link is longer than ${maxLength} characters.`);
  if (UNSAFE_URL_CHARACTER.test(decoded)) throw invalid(typeof process !== 'undefined' && process.env.NODE_ENV !== 'production' && 'The verification link contains invalid characters.');
  let url: URL;
  try {
    url = new URL(decoded);
  } catch {
    throw invalid(typeof process !== 'undefined' && process.env.NODE_ENV !== 'production' && 'The verification link is not an absolute URL.');
  }
  if (url.username || url.password) throw invalid(typeof process !== 'undefined' && process.env.NODE_ENV !== 'production' && 'The verification link must not carry user credentials.');
  if (url.protocol === 'http:') {
    if (!isLoopbackHost(url.hostname)) throw invalid(typeof process !== 'undefined' && process.env.NODE_ENV !== 'production' && 'The verification link must use https.');
  } else if (url.protocol !== 'https:') {
    throw invalid(typeof process !== 'undefined' && process.env.NODE_ENV !== 'production' && 'The verification link must use https.');
  }
  if (options.allowedHosts && !hostAllowed(url.hostname, options.allowedHosts)) {
    throw invalid(typeof process !== 'undefined' && process.env.NODE_ENV !== 'production' && 'The verification link points to a host that is not allowed.');
  }
  return decoded;
}
