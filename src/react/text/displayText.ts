import { firstTextEn } from './firstTextEn.js';
import { laterTextEn } from './laterTextEn.js';
import type { FirstTextKey, LivenessDisplayText, LivenessLocale, LivenessLocaleData, LivenessSendLinkText } from './LivenessDisplayText.js';

export type { FirstTextKey, LivenessDisplayText, LivenessLocale, LivenessLocaleData, LivenessSendLinkText } from './LivenessDisplayText.js';

/** English, every key. */
export const defaultDisplayTextEn: LivenessDisplayText = /* @__PURE__ */ Object.assign({}, firstTextEn, laterTextEn);

/** The locale code, whether `locale` was given as a code or as locale data. */
export function localeCode(locale: LivenessLocale | LivenessLocaleData | undefined): LivenessLocale | undefined {
  return typeof locale === 'object' ? locale.code : locale;
}

/** What the component has of a locale's text: every key, or (built-in English) those of the first views until the rest has loaded. */
export type ResolvedDisplayText = Pick<LivenessDisplayText, FirstTextKey> & Partial<LivenessDisplayText & LivenessSendLinkText>;

/**
 * The text of `locale` (English unless locale data is given) with `overrides` applied. Built-in English
 * is complete once `laterEn` (the lazily loaded rest) is given; locale data always is. The send-link
 * form's English is not here: it loads with the form (`sendLink/sendLinkTextEn.ts`).
 */
export function resolveDisplayText(
  locale: LivenessLocale | LivenessLocaleData | undefined,
  overrides?: Partial<LivenessDisplayText & LivenessSendLinkText>,
  laterEn?: Omit<LivenessDisplayText, FirstTextKey>,
): ResolvedDisplayText {
  const base = typeof locale === 'object' ? locale.displayText : laterEn ? { ...firstTextEn, ...laterEn } : firstTextEn;
  return overrides ? { ...base, ...overrides } : base;
}
