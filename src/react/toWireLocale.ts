import type { WireLocale } from '../core/protocol.js';
import type { LivenessLocale } from './displayText.js';

const WIRE: Record<LivenessLocale, WireLocale> = { en: 'en', 'zh-CN': 'zh', 'zh-TW': 'zh-Hant' };

/** The H5 page's `lng` value for a display locale. */
export function toWireLocale(locale: LivenessLocale | undefined): WireLocale | undefined {
  return locale ? WIRE[locale] : undefined;
}
