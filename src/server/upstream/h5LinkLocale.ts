import type { WireLocale } from '../../core/wire/protocol.js';

/**
 * Sets the `lng` query parameter of an H5 link, replacing any existing one. Works on the text rather
 * than through `URL`/`URLSearchParams`, because re-serialising would re-encode the other parameters
 * (`%20` → `+`, reserved characters) and links that carry signed credentials must stay byte-for-byte.
 */
export function setLinkLocale(link: string, locale: WireLocale): string {
  const hashIndex = link.indexOf('#');
  const beforeHash = hashIndex === -1 ? link : link.slice(0, hashIndex);
  const hash = hashIndex === -1 ? '' : link.slice(hashIndex);
  const queryIndex = beforeHash.indexOf('?');
  const base = queryIndex === -1 ? beforeHash : beforeHash.slice(0, queryIndex);
  const query = queryIndex === -1 ? '' : beforeHash.slice(queryIndex + 1);
  const kept = query.split('&').filter((part) => part !== '' && part.split('=')[0] !== 'lng');
  kept.push(`lng=${encodeURIComponent(locale)}`);
  return `${base}?${kept.join('&')}${hash}`;
}
