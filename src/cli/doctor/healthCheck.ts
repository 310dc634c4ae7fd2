import { readCappedText } from '../../core/wire/readCappedText.js';
import { check, type CheckResult } from './checkResult.js';
import { causeOf } from './upstreamCall.js';

/**
 * `GET {publicUrl}{basePath}/health` from this machine. Only a warning when it fails: the doctor may run
 * where the app is not reachable (a laptop, CI), but a phone must reach this address to land on the
 * callback, so a failure here often means it will not either.
 */
export async function healthCheck(healthUrl: string, timeoutMs: number): Promise<CheckResult> {
  const warn = (message: string) => check('health', 'warn', `${healthUrl} ${message}`);
  let response: Response;
  let text: string | null;
  try {
    response = await fetch(healthUrl, { redirect: 'manual', signal: AbortSignal.timeout(timeoutMs) });
    text = await readCappedText(response.body, 4096);
  } catch (error) {
    const timedOut = error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError');
    const why = timedOut ? `did not answer within ${Math.round(timeoutMs / 1000)} s` : `could not be reached from here (${causeOf(error)})`;
    return warn(`${why}. Phones must reach publicUrl: deploy the handler there, and check DNS, TLS and the proxy in front of it.`);
  }
  let status: unknown;
  try {
    status = (JSON.parse(text ?? '') as { status?: unknown }).status;
  } catch {
    status = undefined;
  }
  if (response.status === 200 && status === 'ok') return check('health', 'ok', `${healthUrl} answered 200 {"status":"ok"}.`);
  if (response.status === 503 && status === 'unavailable') {
    return warn('answered 503: the handler runs, but its session store does not answer. Check the store (Redis: is it up, is the URL right?).');
  }
  if (response.status === 404) {
    return warn('answered 404: no handler at this path. Check --base-path, and that the proxy or router in front sends {basePath}/* to the handler.');
  }
  if (response.status >= 300 && response.status <= 399) {
    return warn(`answered ${response.status} (a redirect): the phone's callback would be redirected too. Pass the address the app is served at (https, final host) as publicUrl.`);
  }
  return warn(`answered ${response.status}, not the handler's {"status":"ok"}: something else answers at this path (an app route, a proxy's page), or the handler is older than the health route.`);
}
