'use client';
export { LivenessSession } from './react/LivenessSession.js';
export type { LivenessSessionProps, LivenessComponents, LivenessConsent } from './react/LivenessSession.js';
export { useVisualValidateSession } from './react/useVisualValidateSession.js';
export type { UseVisualValidateSessionOptions, UseVisualValidateSessionResult } from './react/useVisualValidateSession.js';
export { LivenessStatus } from './core/lifecycle/livenessState.js';
export type { LivenessState, LivenessCallbacks } from './core/lifecycle/livenessState.js';
export { visualValidateSessionOptions, livenessQueryKey } from './react/visualValidateSessionOptions.js';
export type { SessionRequestOptions, VisualValidateSessionQueryOptions } from './react/visualValidateSessionOptions.js';
export { defaultDisplayTextEn } from './react/text/displayText.js';
export type { LivenessDisplayText, LivenessLocale, LivenessLocaleData, LivenessSendLinkText } from './react/text/displayText.js';
export type { LivenessSendLinkDefaults } from './react/sendLink/sendLinkProps.js';
export type { LivenessTheme } from './react/themeToCssVariables.js';
export type { LivenessMode } from './react/useDisplayMode.js';
export type { LivenessClassNames, LivenessSlot } from './react/slots.js';
export type { ErrorViewProps, LoadingViewProps, ResultViewProps, LivenessQrOptions } from './react/views/views.js';
export type { QrLevel } from './react/views/qrErrorCorrection.js';
export { detectMobile } from './react/detectMobile.js';
export { detectInAppBrowser } from './react/detectInAppBrowser.js';
export { parseSessionResponse } from './core/wire/parseSessionResponse.js';
export { sendLinkChannels } from './core/wire/sendLinkChannels.js';
export type { SessionData, ParseSessionOptions } from './core/wire/parseSessionResponse.js';
export { parseStatusResponse } from './core/wire/parseStatusResponse.js';
export type { SessionStatusData } from './core/wire/parseStatusResponse.js';
export { validateLink } from './core/wire/validateLink.js';
export type { LinkValidationOptions } from './core/wire/validateLink.js';
export { LivenessError, LivenessErrorCode, isLivenessError } from './core/LivenessError.js';
export type { Endpoint } from './core/wire/endpoint.js';
export { SessionStatus, FailureReason } from './core/wire/protocol.js';
export type {
  CreateSessionRequest,
  CreateSessionResponse,
  SessionStatusResponse,
  ErrorResponseBody,
  WireLocale,
  SendLinkChannel,
  SendLinkRequest,
  SendLinkResponse,
} from './core/wire/protocol.js';
