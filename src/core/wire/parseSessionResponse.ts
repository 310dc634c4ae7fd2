import { parseGatewaySession } from './parseGatewaySession.js';
import { isOwnSessionShape, parseOwnSession, type ParseSessionOptions, type SessionData } from './parseOwnSession.js';

export type { ParseSessionOptions, SessionData } from './parseOwnSession.js';

/**
 * Normalises a create-session answer into {@link SessionData}. Accepts the library's own protocol,
 * Anyfast's flat `{ BytedToken, H5Link, CallbackURL }`, the BytePlus `{ ResponseMetadata, Result }`
 * envelope and `{ data: { session_id, h5_link, expires_at } }`. The link is validated (DESIGN.md rule 2).
 * Anything else throws a `LivenessError` (`invalid_response` or `invalid_link`), never another error.
 */
export function parseSessionResponse(json: unknown, options: ParseSessionOptions = {}): SessionData {
  return isOwnSessionShape(json) ? parseOwnSession(json, options) : parseGatewaySession(json, options);
}
