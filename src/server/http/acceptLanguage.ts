import { preferredWireLocale } from '../../core/preferredLocale.js';
import type { WireLocale } from '../../core/wire/protocol.js';

/**
 * An `Accept-Language` header → its language tags by descending `q` (stable for equal weights), without
 * the ones refused with `q=0`, `*` or anything malformed. Read in bounded pieces: the header comes from
 * anyone, and only its first few entries matter.
 */
export function acceptedLanguages(header: string | null | undefined): string[] {
  return (header ?? '')
    .slice(0, 1024)
    .split(',', 32)
    .map((part) => {
      const [tag = '', q] = part.trim().split(/\s*;\s*q\s*=\s*/);
      return { tag, q: q === undefined ? 1 : Number(q) };
    })
    .filter(({ tag, q }) => /^[a-z]{1,8}(-[a-z\d]{1,8})*$/i.test(tag) && q > 0 && q <= 1)
    .sort((a, b) => b.q - a.q)
    .map(({ tag }) => tag);
}

/**
 * The H5 page's (and the phone pages') language for a request that names none: the first of its
 * `Accept-Language` languages that is English, Simplified or Traditional Chinese, else English. The
 * browser half applies the same rule to `navigator.languages`.
 */
export function localeFromAcceptLanguage(header: string | null | undefined): WireLocale {
  return preferredWireLocale(acceptedLanguages(header));
}
