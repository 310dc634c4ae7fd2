import type { WireLocale } from './wire/protocol.js';

/**
 * The rule both halves apply when the app names no locale: the first of `languages` (most preferred
 * first, as `navigator.languages` and a sorted `Accept-Language` list them) that is English (`en`,
 * `en-GB`…), Simplified Chinese (`zh`, `zh-CN`, `zh-SG`, `zh-Hans-*`) or Traditional Chinese (`zh-TW`,
 * `zh-HK`, `zh-MO`, `zh-Hant-*`); English when none is.
 */
export function preferredWireLocale(languages: readonly string[]): WireLocale {
  for (const language of languages) {
    const tag = language.toLowerCase();
    if (/^en\b/.test(tag)) return 'en';
    // The script decides when it is named; else the regions that write Traditional Chinese.
    if (/^zh\b/.test(tag)) return /-hant\b/.test(tag) || (!/-hans\b/.test(tag) && /-(tw|hk|mo)\b/.test(tag)) ? 'zh-Hant' : 'zh';
  }
  return 'en';
}

/**
 * The browser's preferred locale for the H5 page; `undefined` outside a browser (a prefetch on the
 * server), where the backend applies the same rule to the request's `Accept-Language`. Read when a
 * create request leaves, never during render, so server and client renders agree.
 */
export function browserWireLocale(): WireLocale | undefined {
  return typeof document === 'undefined' ? undefined : preferredWireLocale(navigator.languages || [navigator.language]);
}
