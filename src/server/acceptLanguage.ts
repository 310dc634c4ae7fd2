import { preferredWireLocale } from '../core/preferredLocale.js';
import type { WireLocale } from '../core/protocol.js';

// An `Accept-Language` header → its language tags, most preferred first. Read in bounded pieces: the
// header comes from anyone, and only its first few entries matter.
const MAX_HEADER_LENGTH = 1024;
const MAX_ENTRIES = 32;

/** Tags by descending `q` (stable for equal weights), without the ones refused with `q=0` and without `*`. */
export function acceptedLanguages(header: string | null | undefined): string[] {
  if (!header) return [];
  const entries: { tag: string; q: number; index: number }[] = [];
  for (const [index, part] of header.slice(0, MAX_HEADER_LENGTH).split(',', MAX_ENTRIES).entries()) {
    const [rawTag = '', ...params] = part.split(';');
    const tag = rawTag.trim();
    if (!/^[A-Za-z]{1,8}(-[A-Za-z0-9]{1,8})*$/.test(tag)) continue;
    const weight = params.map((param) => /^\s*q\s*=\s*([01](\.\d{0,3})?)\s*$/.exec(param)).find(Boolean);
    const q = weight ? Number(weight[1]) : 1;
    if (q > 0 && q <= 1) entries.push({ tag, q, index });
  }
  return entries.sort((a, b) => b.q - a.q || a.index - b.index).map((entry) => entry.tag);
}

/**
 * The H5 page's (and the phone pages') language for a request that names none: the first of its
 * `Accept-Language` languages that is English, Simplified or Traditional Chinese, else English. The
 * browser half applies the same rule to `navigator.languages`.
 */
export function localeFromAcceptLanguage(header: string | null | undefined): WireLocale {
  return preferredWireLocale(acceptedLanguages(header));
}
