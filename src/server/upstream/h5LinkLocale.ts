import type { WireLocale } from '../../core/wire/protocol.js';

const EQUALS = 61; // '='

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
  // One pass over the parts (a real link is ~800 characters and already has an `lng`): every part but
  // the empty ones and those named `lng` is kept as it is, then `lng` goes last.
  let kept = '';
  for (let start = 0; start < query.length;) {
    let end = query.indexOf('&', start);
    if (end === -1) end = query.length;
    const named = query.startsWith('lng', start) && (start + 3 === end || query.charCodeAt(start + 3) === EQUALS);
    if (end > start && !named) kept += `${query.slice(start, end)}&`;
    start = end + 1;
  }
  return `${base}?${kept}lng=${encodeURIComponent(locale)}${hash}`;
}
