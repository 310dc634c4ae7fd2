import type { WireLocale } from '../../core/wire/protocol.js';

/** A query part named `lng` (`lng`, `lng=…`), or an empty one (`&&`, a leading or trailing `&`). */
const LNG_OR_EMPTY_PART = /(?:^|&)(?:lng(?:[=&]|$)|&|$)/;

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
  // The usual link has a query with no `lng` and no empty part: the parameter is appended to it as it is.
  if (query !== '' && !LNG_OR_EMPTY_PART.test(query)) return `${beforeHash}&lng=${encodeURIComponent(locale)}${hash}`;
  const kept = query.split('&').filter((part) => part !== '' && part.split('=')[0] !== 'lng');
  kept.push(`lng=${encodeURIComponent(locale)}`);
  return `${base}?${kept.join('&')}${hash}`;
}
