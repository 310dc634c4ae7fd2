export { en, zhCN, zhTW } from './react/text/locales.js';
export type { LivenessDisplayText, LivenessLocale, LivenessLocaleData, LivenessSendLinkText } from './react/text/displayText.js';
export { assetsEn, assetsZhCN, assetsZhTW } from './react/assets/assetsLocales.js';
export type { LivenessAssetsDisplayText, LivenessAssetsLocaleData } from './react/assets/assetsDisplayText.js';
