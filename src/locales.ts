export { en, zhCN, zhTW } from './react/locales.js';
export type { LivenessDisplayText, LivenessLocale, LivenessLocaleData } from './react/displayText.js';
