export { createLivenessHandler } from './server/createLivenessHandler.js';
export type { LivenessHandler, ServerSessionView } from './server/createLivenessHandler.js';
export type { AuthorizeResult, LivenessHandlerOptions } from './server/handlerOptions.js';
export type { FailedSession, OnVerifiedContext, SendLinkContext, SendLinkMessage, VerifiedSession } from './server/handlerOptions.js';
export type { ActiveAsset, LivenessAssetOptions, OnAssetActiveContext } from './server/assets/assetOptions.js';
export { toNodeHandler } from './server/http/nodeAdapter.js';
export type { FetchHandler, NodeHandlerOptions, NodeListener } from './server/http/nodeAdapter.js';
export { memoryStore } from './server/store/memoryStore.js';
export type { MemoryStoreOptions } from './server/store/memoryStore.js';
export { redisStore } from './server/store/redis/redisStore.js';
export type { RedisEvalClient, RedisSessionStore, RedisStoreOptions } from './server/store/redis/redisStore.js';
export type { RedisSubscriberClient } from './server/store/redis/redisSubscriptions.js';
export type { ResultLease, SessionPatch, SessionStore, SessionSubscription, SlotRequest, SlotResult, StoredSession, StoredSessionStatus } from './server/store/sessionStore.js';
export { LivenessStoreError, StoreErrorClass } from './server/store/storeError.js';
export type { StoreErrorCode } from './server/store/storeError.js';
export type { LivenessServerEvent, LivenessServerEventType } from './server/events.js';
export type { UpstreamRateLimit } from './server/upstream/upstreamBudget.js';
export type {
  LivenessTelemetry,
  TelemetryAttributes,
  TelemetryAttributeValue,
  TelemetryCounter,
  TelemetryHistogram,
  TelemetryInstrumentOptions,
  TelemetryMeter,
  TelemetrySpan,
  TelemetrySpanOptions,
  TelemetryTracer,
} from './server/telemetry/telemetryTypes.js';
export { clientAddressOf } from './server/http/clientAddress.js';
export { ServerErrorCode } from './server/ServerErrorCode.js';
export type {
  CreateSessionRequest,
  CreateSessionResponse,
  ErrorResponseBody,
  FailureReason,
  SendLinkChannel,
  SendLinkRequest,
  SendLinkResponse,
  SessionStatusResponse,
  WireLocale,
} from './core/wire/protocol.js';
export { SessionStatus } from './core/wire/protocol.js';
export { AssetFailureReason, AssetRejectionReason, AssetStatus } from './core/wire/assetProtocol.js';
export type { AssetErrorResponseBody, AssetStatusResponse, CreateAssetResponse } from './core/wire/assetProtocol.js';
