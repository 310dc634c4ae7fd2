import { isObject } from '../../core/isObject.js';
import { validateLink } from '../../core/wire/validateLink.js';
import { check, type CheckResult } from './checkResult.js';
import { upstreamCall, type UpstreamAnswer } from './upstreamCall.js';

export interface UpstreamSettings {
  upstreamUrl: string;
  key: string;
  /** The name of the key's variable, for messages. */
  keyEnv: string;
  timeoutMs: number;
}

const seconds = (ms: number) => `${Math.round(ms / 100) / 10} s`;
const codeOf = (answer: { status: number; code: string | undefined }) => (answer.code ? `${answer.status} ${answer.code}` : String(answer.status));

type Answered = Extract<UpstreamAnswer, { kind: 'answer' }>;

/** The failures both calls share: no answer at all, the key refused, the budget spent. */
function commonFailure(name: 'create' | 'result', answer: UpstreamAnswer, settings: UpstreamSettings): CheckResult | Answered {
  const fail = (message: string) => check(name, 'fail', message);
  if (answer.kind === 'timeout') {
    return fail(
      `no answer within ${seconds(settings.timeoutMs)}. Anyfast holds the connection while it relays to BytePlus (12 s happen), so keep upstreamTimeoutMs at 30 s; if it never answers, check this machine's outbound HTTPS (a firewall, or a proxy: Node's fetch ignores HTTPS_PROXY).`,
    );
  }
  if (answer.kind === 'unreachable') {
    return fail(`could not reach ${settings.upstreamUrl} (${answer.cause}). Check the network, DNS and --upstream-url.`);
  }
  const { status, code } = answer;
  if (answer.wrongGroup) {
    return fail(`the key belongs to the wrong group (Anyfast: "GroupType must be one of [AIGC]"). Create a key in the Byteplus-Direct group in Anyfast's console and put it in ${settings.keyEnv}.`);
  }
  if (status === 401 || code === 'InvalidAccessKeyId') {
    return fail(`Anyfast refused the key (${codeOf(answer)}). Check that ${settings.keyEnv} holds the whole key as Anyfast's console shows it, and that it was not revoked.`);
  }
  if (status === 429 || status === 503 || code === 'Throttling' || code === 'RateLimitExceeded') {
    const wait = answer.retryAfterMs === undefined ? '' : `, retry after ${seconds(answer.retryAfterMs)}`;
    return fail(
      `rate limited (${codeOf(answer)}${wait}). The account allows about 3 calls per second for each action, shared by every server using the key: try again in a moment, and keep upstreamRateLimit on in production.`,
    );
  }
  return answer;
}

/**
 * A real `CreateVisualValidateSession` with the CallbackURL the handler would send. Created: the H5
 * link's host and the token's length, never the link or the token. Otherwise the failure in words, with
 * the upstream's status and error code but never its body.
 */
export async function createCheck(settings: UpstreamSettings, callbackUrl: string): Promise<{ result: CheckResult; token?: string }> {
  const answer = commonFailure('create', await upstreamCall(settings.upstreamUrl, settings.key, 'CreateVisualValidateSession', { CallbackURL: callbackUrl }, settings.timeoutMs), settings);
  if (!('kind' in answer)) return { result: answer };
  const fail = (message: string) => ({ result: check('create', 'fail', message) });
  if (answer.missingCallbackUrl) {
    return fail(
      `Anyfast says CallbackURL is missing (${codeOf(answer)}), though the doctor sent it. Something between here and Anyfast drops or rewrites the request body (a proxy, a gateway at --upstream-url): call Anyfast's API directly.`,
    );
  }
  if (answer.status === 403 || answer.code === 'AccessDenied') {
    return fail(`Anyfast refused the create (${codeOf(answer)}): the key may not create verification sessions. Use a key of the Byteplus-Direct group that has LivenessFace enabled.`);
  }
  if (answer.status < 200 || answer.status > 299 || answer.code !== undefined) {
    return fail(`Anyfast answered ${codeOf(answer)}. Its answer is not shown (it may echo the request); try again, and report the status and code to Anyfast if it stays.`);
  }
  const payload = isObject(answer.json?.Result) ? answer.json.Result : answer.json;
  const token = typeof payload?.BytedToken === 'string' && payload.BytedToken.trim() !== '' ? payload.BytedToken.trim() : undefined;
  const link = typeof payload?.H5Link === 'string' ? payload.H5Link : undefined;
  if (!token || !link) {
    return fail(`Anyfast answered ${answer.status}, but not with a BytedToken and an H5Link. Check that --upstream-url is Anyfast's API (not a proxy's login page).`);
  }
  let host: string;
  try {
    host = new URL(validateLink(link)).hostname;
  } catch {
    return fail('Anyfast answered with an H5 link that is not a usable https link, which the handler would refuse (502). Report it to Anyfast.');
  }
  return { result: check('create', 'ok', `Anyfast created a session for this CallbackURL: H5 link on ${host}, token of ${token.length} characters.`), token };
}

/**
 * One `GetVisualValidateResult` on the fresh token. Nobody did the check, so the answer that proves the
 * key may read results is "not finished": `NotFound.BytedToken`, `ValidateNotReady`, any 404, or an
 * empty `GroupId`. This spends nothing: a token is spent only by the call that returns its GroupId.
 */
export async function resultCheck(settings: UpstreamSettings, token: string): Promise<CheckResult> {
  const answer = commonFailure('result', await upstreamCall(settings.upstreamUrl, settings.key, 'GetVisualValidateResult', { BytedToken: token }, settings.timeoutMs), settings);
  if (!('kind' in answer)) return answer;
  const notFinished = answer.code === 'ValidateNotReady' || answer.status === 404 || (answer.code?.startsWith('NotFound') ?? false);
  if (notFinished) {
    return check('result', 'ok', `a result call on the new token answered "not finished" (${codeOf(answer)}): the key may read results.`);
  }
  if (answer.status === 403 || answer.code === 'AccessDenied') {
    return check(
      'result',
      'fail',
      `Anyfast refused the result call (${codeOf(answer)}): the key may create sessions but not read their results, so no verification could ever finish. Ask Anyfast to allow GetVisualValidateResult for the key, or use one that has it.`,
    );
  }
  if (answer.status >= 200 && answer.status <= 299 && answer.code === undefined) {
    const payload = isObject(answer.json?.Result) ? answer.json.Result : answer.json;
    if (payload?.GroupId === '') return check('result', 'ok', 'a result call on the new token answered an empty GroupId ("not verified"): the key may read results.');
    return check('result', 'warn', `a result call on a session nobody did answered ${answer.status} with something other than "not finished". Unexpected: report it to Anyfast.`);
  }
  return check('result', 'fail', `Anyfast answered the result call with ${codeOf(answer)}. Its answer is not shown; try again, and report the status and code to Anyfast if it stays.`);
}
