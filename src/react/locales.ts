// Display text per locale, as plain data. The `react-liveness-session/locales` entry carries no
// 'use client': apps import only the locales they use (each costs its bytes), from server or client
// components alike. English is also built into the component (displayText.ts).
import { defaultDisplayTextEn, type LivenessDisplayText, type LivenessLocaleData } from './displayText.js';

/** English (built in; exported for symmetry). */
export const en: LivenessLocaleData = { code: 'en', displayText: defaultDisplayTextEn };

const zhCNText: LivenessDisplayText = {
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

const zhTWText: LivenessDisplayText = {
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

/** Simplified Chinese; the H5 page gets `lng=zh`. */
export const zhCN: LivenessLocaleData = { code: 'zh-CN', displayText: zhCNText };

/** Traditional Chinese; the H5 page gets `lng=zh-Hant`. */
export const zhTW: LivenessLocaleData = { code: 'zh-TW', displayText: zhTWText };
