import type { SendLinkChannel } from './protocol.js';

/** The longest address a mail system must accept (RFC 5321's path limit, less the angle brackets). */
export const MAX_EMAIL_LENGTH = 254;

// E.164: a plus, a country code that does not start with 0, at most 15 digits in all (the shortest
// numbers in use, Saint Helena's, have 7). ASCII digits only: `\d` without the `u` flag is [0-9], so
// full-width and other scripts' digits, which an SMS gateway may read differently, never pass.
const E164 = /^\+[1-9][0-9]{6,14}$/;

// A plain `local@domain.tld`, ASCII only (a look-alike letter from another script never passes):
// - the local part is RFC 5322's dot-atom, 64 characters at most, without `!` and `%` (the old
//   bang-path and percent-hack routing, which some relays still honour) and without anything that
//   separates, quotes or names (`,` `;` `<` `>` `"` `(` `)` spaces), so a display name or a second
//   address can never ride along;
// - the domain is host names (letters, digits, inner hyphens, 63 at most a label), a dot-separated
//   name of two labels or more whose last is a real top-level domain (letters, or `xn--` punycode):
//   no IP literals, no single-label hosts.
const LOCAL_PART = /^[A-Za-z0-9#$&'*+/=?^_`{|}~-]+(?:\.[A-Za-z0-9#$&'*+/=?^_`{|}~-]+)*$/;
const DOMAIN = /^(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+(?:[A-Za-z]{2,63}|xn--[A-Za-z0-9-]{1,59})$/;

/**
 * Whether `to` is a recipient the `channel` may be sent to: for `sms` an E.164 number (`+447700900123`),
 * for `email` one plain address (`name@example.com`, at most 254 characters). Anything else, including
 * separators, spaces, line breaks, a display name, a second address or a letter of another script, is
 * not. The server's check; the component's form checks the same before it asks.
 */
export function isValidRecipient(channel: SendLinkChannel, to: unknown): to is string {
  if (typeof to !== 'string') return false;
  if (channel === 'sms') return to.length <= 16 && E164.test(to);
  if (to.length > MAX_EMAIL_LENGTH) return false;
  const at = to.indexOf('@');
  if (at < 1 || at !== to.lastIndexOf('@')) return false;
  const local = to.slice(0, at);
  const domain = to.slice(at + 1);
  return local.length <= 64 && domain.length <= 253 && LOCAL_PART.test(local) && DOMAIN.test(domain);
}
