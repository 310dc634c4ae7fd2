export { en, zhCN, zhTW } from './react/text/locales.js';
export type { LivenessDisplayText, LivenessLocale, LivenessLocaleData } from './react/text/displayText.js';
