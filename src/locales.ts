export { en, zhCN, zhTW } from './react/locales.js';
export type { LivenessDisplayText, LivenessLocale, LivenessLocaleData, LivenessSendLinkText } from './react/displayText.js';
