import type { WireLocale } from './protocol.js';

/** The H5 page's language when nobody says which: the documented default. */
export const DEFAULT_WIRE_LOCALE: WireLocale = 'en';

/** One BCP 47 tag (`zh-TW`, `zh-Hant-HK`, `en-GB`) → the H5 page's locale, or `undefined` for other languages. */
function wireLocaleOf(tag: string): WireLocale | undefined {
  const [language, ...rest] = tag.trim().toLowerCase().split(/[-_]/);
  if (language === 'en') return 'en';
  if (language !== 'zh') return undefined;
  // The script decides when it is named; else the regions that write Traditional Chinese.
  if (rest.includes('hant')) return 'zh-Hant';
  if (rest.includes('hans')) return 'zh';
  return rest.some((part) => part === 'tw' || part === 'hk' || part === 'mo') ? 'zh-Hant' : 'zh';
}

/**
 * The rule both halves apply when the app names no locale: the first of `languages` (most preferred
 * first, as `navigator.languages` and a sorted `Accept-Language` list them) that is English, Simplified
 * or Traditional Chinese; English when none is.
 */
export function preferredWireLocale(languages: readonly string[]): WireLocale {
  for (const tag of languages) {
    const locale = wireLocaleOf(tag);
    if (locale) return locale;
  }
  return DEFAULT_WIRE_LOCALE;
}

/**
 * The browser's preferred locale for the H5 page; `undefined` outside a browser (a prefetch on the
 * server), where the backend applies the same rule to the request's `Accept-Language`. Read when a
 * create request leaves, never during render, so server and client renders agree.
 */
export function browserWireLocale(): WireLocale | undefined {
  if (typeof document === 'undefined' || typeof navigator === 'undefined') return undefined;
  const languages = navigator.languages?.length ? navigator.languages : navigator.language ? [navigator.language] : [];
  return preferredWireLocale(languages);
}
