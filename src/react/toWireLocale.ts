import type { WireLocale } from '../core/wire/protocol.js';
import { localeCode, type LivenessLocale, type LivenessLocaleData } from './text/displayText.js';

const WIRE: Record<LivenessLocale, WireLocale> = { en: 'en', 'zh-CN': 'zh', 'zh-TW': 'zh-Hant' };

/** The H5 page's `lng` value for a display locale. */
export function toWireLocale(locale: LivenessLocale | LivenessLocaleData | undefined): WireLocale | undefined {
  const code = localeCode(locale);
  return code ? WIRE[code] : undefined;
}
