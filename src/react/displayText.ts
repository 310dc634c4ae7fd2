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
