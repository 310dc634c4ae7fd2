export { createMockUpstream, appendCallbackParams } from './testing/createMockUpstream.js';
export type { MockAction, MockCall, MockFault, MockKeyFault, MockOutcome, MockSession, MockUpstream, MockUpstreamOptions } from './testing/createMockUpstream.js';
export { MOCK_DECIDE_PATH, MOCK_H5_PATH } from './testing/fakeH5Link.js';
