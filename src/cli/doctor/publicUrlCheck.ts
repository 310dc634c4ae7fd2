import { resolveHandlerOptions } from '../../server/handlerOptions.js';
import { check, type CheckResult } from './checkResult.js';

export interface PublicAddress {
  /** Normalised as the handler normalises it. */
  publicUrl: string;
  basePath: string;
  /** `{publicUrl}{basePath}/callback?sid=`: the handler appends the session id. */
  callbackBase: string;
}

function isLoopback(hostname: string): boolean {
  const host = hostname.replace(/^\[|\]$/g, '');
  return host === 'localhost' || host.endsWith('.localhost') || host === '::1' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host);
}

/**
 * `publicUrl` and `basePath` as the handler would take them (its own option parsing, so the printed
 * CallbackURL is the one it sends), then what a phone and Anyfast need: an absolute https address
 * (plain http only on this machine, as a warning), no query, fragment or credentials.
 */
export function publicUrlCheck(publicUrl: string | undefined, basePath: string): { result: CheckResult; address?: PublicAddress } {
  const fail = (message: string) => ({ result: check('publicUrl', 'fail', message) });
  if (publicUrl === undefined || publicUrl.trim() === '') {
    return fail("not given. Pass --public-url with the https address at which phones reach this app (the handler's publicUrl option), e.g. --public-url https://app.example.com.");
  }
  let url: URL;
  try {
    url = new URL(publicUrl.trim());
  } catch {
    return fail('is not an absolute URL. Pass the full address, e.g. https://app.example.com.');
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return fail(`must be an https address, not ${url.protocol.replace(/:$/, '')}:. Pass e.g. https://app.example.com.`);
  if (url.username || url.password) return fail('carries a user name or password. Remove them: phones and Anyfast must reach the address without them.');
  if (url.search || url.hash || /[?#]/.test(publicUrl))
    return fail(`${url.origin}${url.pathname} was given with a query or fragment. Pass the bare address (scheme, host, optional path): the handler appends its own path and query.`);
  let resolved: { publicUrl: string | undefined; basePath: string };
  try {
    resolved = resolveHandlerOptions({ apiKey: 'doctor', publicUrl: url.href, basePath });
  } catch (error) {
    // The handler's own messages name the option, never a value.
    return fail(`${(error as Error).message.replace(/^createLivenessHandler: /, '')} (as createLivenessHandler would refuse it).`);
  }
  const base = resolved.publicUrl!;
  const callbackBase = `${base}${resolved.basePath}/callback?sid=`;
  const address = { publicUrl: base, basePath: resolved.basePath, callbackBase };
  const sends = `the handler sends CallbackURL ${callbackBase}<session id>`;
  if (url.protocol === 'http:') {
    if (!isLoopback(url.hostname)) {
      return { result: check('publicUrl', 'fail', `${base} is plain http. Phones and Anyfast need https: serve the app over https and pass that address.`), address };
    }
    return { result: check('publicUrl', 'warn', `${base} is plain http on this machine: fine for a try, but phones reach only a public https address; ${sends}.`), address };
  }
  return { result: check('publicUrl', 'ok', `${base}; ${sends}.`), address };
}
