export { createMockUpstream, appendCallbackParams } from './testing/createMockUpstream.js';
export type { MockAction, MockCall, MockFault, MockKeyFault, MockOutcome, MockRateLimit, MockSession, MockUpstream, MockUpstreamOptions } from './testing/createMockUpstream.js';
export type { MockAsset, MockAssetInput, MockAssetOutcome } from './testing/mockAssets.js';
export { samplePhoto, MOCK_FACE_MISMATCH_MARKER, MOCK_INVALID_MEDIA_MARKER } from './testing/samplePhoto.js';
export type { SamplePhotoOptions } from './testing/samplePhoto.js';
export { MOCK_DECIDE_PATH, MOCK_H5_PATH } from './testing/fakeH5Link.js';
