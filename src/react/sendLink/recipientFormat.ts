import type { SendLinkChannel } from '../../core/wire/protocol.js';

/**
 * What a person typed, as the server wants it. A number loses the spaces, dots, brackets and dashes
 * people write it with, full-width digits (a Chinese keyboard) become ASCII, and a leading `00` (the
 * international prefix of most countries) becomes `+`; an address is trimmed. Nothing else is guessed:
 * a number without its country code stays invalid, and the person is asked for it.
 */
export function normalizeRecipient(channel: SendLinkChannel, typed: string): string {
  if (channel === 'email') return typed.trim();
  const compact = typed.normalize('NFKC').replace(/[\s().\u2010-\u2015\u2212-]/g, '');
  return compact.startsWith('00') ? `+${compact.slice(2)}` : compact;
}

/**
 * The recipient as the page may show it once sent: the number's last four digits (`•••• 0123`), the
 * address's first letter and domain (`n•••@example.com`). Enough for the person to spot a typo, not
 * enough for someone looking over their shoulder.
 */
export function maskRecipient(channel: SendLinkChannel, to: string): string {
  return channel === 'sms' ? `•••• ${to.slice(-4)}` : `${to[0]}•••${to.slice(to.lastIndexOf('@'))}`;
}
