import { defined } from '../defined.js';
import { isObject } from '../isObject.js';
import { randomId } from '../randomId.js';
import { validateLink } from './validateLink.js';
import { backendUrlOf, bad, expiryOf, sessionIdOf, type ParseSessionOptions, type SessionData } from './parseOwnSession.js';

// The create answers of other backends (a thin proxy in front of Anyfast or BytePlus, gateways), loaded
// only when an answer is not in the library's own protocol: most pages never download this.

/** Parses an answer in another backend's shape; see {@link parseSessionResponse}. */
export function parseGatewaySession(json: unknown, options: ParseSessionOptions = {}): SessionData {
  if (!isObject(json)) throw bad(process.env.NODE_ENV !== 'production' && 'The session response is not a JSON object.');
  const createId = options.createId ?? randomId;

  // BytePlus envelope: an Error inside ResponseMetadata means the call failed even on HTTP 200.
  if (isObject(json.ResponseMetadata)) {
    const error = json.ResponseMetadata.Error;
    if (isObject(error)) {
      const code = typeof error.Code === 'string' && error.Code.length <= 128 ? error.Code : undefined;
      throw bad(process.env.NODE_ENV !== 'production' && 'The verification service returned an error.', code);
    }
    if (!isObject(json.Result)) throw bad(process.env.NODE_ENV !== 'production' && 'The session response has no result.');
    return { sessionId: createId(), h5Link: validateLink(json.Result.H5Link, options) };
  }

  // Anyfast's flat answer.
  if ('H5Link' in json || 'BytedToken' in json) {
    return { sessionId: createId(), h5Link: validateLink(json.H5Link, options) };
  }

  // Gateways that wrap snake_case fields in `data`.
  if (isObject(json.data)) {
    const data = json.data;
    if (json.success === false) throw bad(process.env.NODE_ENV !== 'production' && 'The session response reports a failure.');
    return defined({
      sessionId: data.session_id === undefined ? createId() : sessionIdOf(data.session_id),
      h5Link: validateLink(data.h5_link, options),
      expiresAt: expiryOf(data.expires_at),
      statusUrl: backendUrlOf(data.status_url),
    });
  }

  throw bad(process.env.NODE_ENV !== 'production' && 'The session response has an unknown shape.');
}
