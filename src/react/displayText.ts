/** Locales with complete built-in display text. */
export type LivenessLocale = 'en' | 'zh-CN' | 'zh-TW';

/**
 * Every string a person sees or hears. Keys are public API: override any of them with the
 * `displayText` prop; the defaults per locale are exported below.
 */
export interface LivenessDisplayText {
  /** Heading above the code or button. */
  title: string;
  /** Shown while the session is being created; also announced. */
  creatingText: string;
  /** Instruction next to the QR code (desktop). */
  qrInstruction: string;
  /** Accessible label of the QR code image. */
  qrLabel: string;
  /** Secondary link under the QR code that opens the check in this browser. */
  openOnThisDeviceLink: string;
  /** Instruction above the button (mobile). */
  linkInstruction: string;
  /** The button that opens the check (mobile). */
  linkButton: string;
  /** Shown while idle (`enabled={false}` or after `reset()`): starts the session. */
  startButton: string;
  /** Announced when the link or code appears. */
  readyAnnouncement: string;
  /** The retry button in the error view. */
  retryButton: string;
  /** Heading of the error view. */
  errorTitle: string;
  /** The device could not reach the server. */
  networkError: string;
  /** The server did not answer in time. */
  timeoutError: string;
  /** Too many attempts (HTTP 429 or 503). */
  rateLimitedError: string;
  /** The person is not signed in or not allowed (HTTP 401 or 403). */
  unauthorizedError: string;
  /** Any other HTTP failure. */
  serverError: string;
  /** The server's answer could not be understood. */
  invalidResponseError: string;
  /** The link failed validation and was withheld. */
  invalidLinkError: string;
  /** The request was cancelled. */
  abortedError: string;
  /** Heading once the backend confirms the check. */
  verifiedTitle: string;
  /** Text once verified. */
  verifiedText: string;
  /** Heading when the check failed. */
  failedTitle: string;
  /** Text when the check failed; the retry button starts a new session. */
  failedText: string;
  /** Heading when the code expired and no automatic refresh is left. */
  expiredTitle: string;
  /** Text when expired. */
  expiredText: string;
  /** Button that creates a new code after expiry. */
  newCodeButton: string;
  /** Shown while an expired code is replaced on its own. */
  refreshingText: string;
  /** Countdown under the code; `{time}` becomes `m:ss`. */
  countdownText: string;
  /** Announced 60, 30 and 10 seconds before expiry; `{seconds}` becomes the number. */
  expiringAnnouncement: string;
  /** Shown in in-app browsers (WeChat and similar), which often cannot use the camera. */
  inAppBrowserHint: string;
  /** Shown above the start button when the person lands here after finishing a check begun elsewhere. */
  finishedElsewhereText: string;
}

export const defaultDisplayTextEn: LivenessDisplayText = {
  title: 'Verify that it’s you',
  creatingText: 'Preparing a secure verification link…',
  qrInstruction: 'Scan this code with your phone’s camera, then follow the steps on your phone.',
  qrLabel: 'QR code that opens the verification page on your phone',
  openOnThisDeviceLink: 'Or open the check on this device',
  linkInstruction: 'You will need your camera. The check opens in a new tab.',
  linkButton: 'Start verification',
  startButton: 'Start verification',
  readyAnnouncement: 'Your verification link is ready.',
  retryButton: 'Try again',
  errorTitle: 'Verification could not start',
  networkError: 'We couldn’t reach the server. Check your connection and try again.',
  timeoutError: 'The server took too long to answer. Please try again.',
  rateLimitedError: 'There have been too many attempts. Please wait a moment, then try again.',
  unauthorizedError: 'You are not signed in, or not allowed to verify here. Sign in and try again.',
  serverError: 'Something went wrong on our side. Please try again.',
  invalidResponseError: 'We received an unexpected answer from the server. Please try again.',
  invalidLinkError: 'The verification link could not be trusted, so it was not shown. Please try again.',
  abortedError: 'The request was cancelled. Please try again.',
  verifiedTitle: 'You’re verified',
  verifiedText: 'Thank you. Your identity check is complete.',
  failedTitle: 'Verification didn’t succeed',
  failedText: 'The check could not confirm it’s you. You can try again with a new code.',
  expiredTitle: 'This code has expired',
  expiredText: 'For your security, codes only work for a short time. Get a new one to continue.',
  newCodeButton: 'Get a new code',
  refreshingText: 'The code expired. Getting a new one…',
  countdownText: 'Expires in {time}',
  expiringAnnouncement: 'The code expires in {seconds} seconds.',
  inAppBrowserHint: 'This app’s browser may not be able to use your camera. If the check doesn’t start, open this page in your phone’s browser (Safari or Chrome).',
  finishedElsewhereText: 'Your check is done. Go back to the tab or device where you started it to continue.',
};

export const defaultDisplayTextZhCN: LivenessDisplayText = {
  title: '验证是您本人',
  creatingText: '正在生成安全验证链接…',
  qrInstruction: '请用手机相机扫描此二维码，然后在手机上按提示完成验证。',
  qrLabel: '在手机上打开验证页面的二维码',
  openOnThisDeviceLink: '或在本设备上打开验证',
  linkInstruction: '验证需要使用相机，将在新标签页中打开。',
  linkButton: '开始验证',
  startButton: '开始验证',
  readyAnnouncement: '验证链接已准备好。',
  retryButton: '重试',
  errorTitle: '无法开始验证',
  networkError: '无法连接服务器。请检查网络后重试。',
  timeoutError: '服务器响应超时，请重试。',
  rateLimitedError: '尝试次数过多，请稍候再试。',
  unauthorizedError: '您尚未登录或无权在此验证。请登录后重试。',
  serverError: '服务出现问题，请重试。',
  invalidResponseError: '服务器返回了无法识别的内容，请重试。',
  invalidLinkError: '验证链接未通过安全检查，因此未显示。请重试。',
  abortedError: '请求已取消，请重试。',
  verifiedTitle: '验证成功',
  verifiedText: '谢谢，身份验证已完成。',
  failedTitle: '验证未通过',
  failedText: '未能确认是您本人。您可以使用新的二维码重试。',
  expiredTitle: '二维码已过期',
  expiredText: '为了您的安全，二维码仅在短时间内有效。请获取新的二维码继续。',
  newCodeButton: '获取新二维码',
  refreshingText: '二维码已过期，正在获取新的二维码…',
  countdownText: '{time} 后过期',
  expiringAnnouncement: '二维码将在 {seconds} 秒后过期。',
  inAppBrowserHint: '当前应用内的浏览器可能无法使用相机。如果验证无法开始，请在手机浏览器（Safari 或 Chrome）中打开此页面。',
  finishedElsewhereText: '验证已完成。请回到您开始验证的标签页或设备继续。',
};

export const defaultDisplayTextZhTW: LivenessDisplayText = {
  title: '驗證是您本人',
  creatingText: '正在產生安全驗證連結…',
  qrInstruction: '請用手機相機掃描此 QR 碼，然後在手機上依提示完成驗證。',
  qrLabel: '在手機上開啟驗證頁面的 QR 碼',
  openOnThisDeviceLink: '或在本裝置上開啟驗證',
  linkInstruction: '驗證需要使用相機，將在新分頁中開啟。',
  linkButton: '開始驗證',
  startButton: '開始驗證',
  readyAnnouncement: '驗證連結已準備好。',
  retryButton: '重試',
  errorTitle: '無法開始驗證',
  networkError: '無法連線至伺服器。請檢查網路後重試。',
  timeoutError: '伺服器回應逾時，請重試。',
  rateLimitedError: '嘗試次數過多，請稍候再試。',
  unauthorizedError: '您尚未登入或無權在此驗證。請登入後重試。',
  serverError: '服務發生問題，請重試。',
  invalidResponseError: '伺服器傳回無法辨識的內容，請重試。',
  invalidLinkError: '驗證連結未通過安全檢查，因此未顯示。請重試。',
  abortedError: '要求已取消，請重試。',
  verifiedTitle: '驗證成功',
  verifiedText: '謝謝，身分驗證已完成。',
  failedTitle: '驗證未通過',
  failedText: '無法確認是您本人。您可以使用新的 QR 碼重試。',
  expiredTitle: 'QR 碼已過期',
  expiredText: '為了您的安全，QR 碼僅在短時間內有效。請取得新的 QR 碼繼續。',
  newCodeButton: '取得新 QR 碼',
  refreshingText: 'QR 碼已過期，正在取得新的 QR 碼…',
  countdownText: '{time} 後過期',
  expiringAnnouncement: 'QR 碼將在 {seconds} 秒後過期。',
  inAppBrowserHint: '目前應用程式內的瀏覽器可能無法使用相機。若驗證無法開始，請在手機瀏覽器（Safari 或 Chrome）中開啟此頁面。',
  finishedElsewhereText: '驗證已完成。請回到您開始驗證的分頁或裝置繼續。',
};

/** Built-in display text per locale. */
export const defaultDisplayText: Readonly<Record<LivenessLocale, LivenessDisplayText>> = {
  en: defaultDisplayTextEn,
  'zh-CN': defaultDisplayTextZhCN,
  'zh-TW': defaultDisplayTextZhTW,
};

/** The built-in text for `locale` with `overrides` applied; unknown locales fall back to English. */
export function resolveDisplayText(locale: LivenessLocale | undefined, overrides?: Partial<LivenessDisplayText>): LivenessDisplayText {
  const base = (locale && defaultDisplayText[locale]) || defaultDisplayTextEn;
  return overrides ? { ...base, ...overrides } : base;
}
