import { check, type CheckResult } from './checkResult.js';
import type { DoctorOptions } from './doctorOptions.js';
import { healthCheck } from './healthCheck.js';
import { keyCheck } from './keyCheck.js';
import { publicUrlCheck } from './publicUrlCheck.js';
import { redisCheck } from './redisCheck.js';
import { createCheck, resultCheck } from './upstreamChecks.js';

// The sid of the doctor's own create: not a session id, so a phone that ever lands there gets the
// handler's "unknown session" page.
const DOCTOR_SID = 'doctor';
const HEALTH_TIMEOUT_MS = 10_000;
const REDIS_TIMEOUT_MS = 5_000;

/** Every check, in order; `onResult` hears each as it finishes (the report prints it at once). */
export async function runDoctor(options: DoctorOptions, env: Record<string, string | undefined>, onResult: (result: CheckResult) => void): Promise<CheckResult[]> {
  const results: CheckResult[] = [];
  const add = (result: CheckResult) => {
    results.push(result);
    onResult(result);
  };
  const key = keyCheck(options.keyEnv, env[options.keyEnv]);
  add(key.result);
  const address = publicUrlCheck(options.publicUrl, options.basePath);
  add(address.result);

  if (options.noCreate) {
    add(check('create', 'skip', 'skipped (--no-create).'));
    add(check('result', 'skip', 'skipped: it needs the token of a new session (--no-create).'));
  } else if (!key.key || !address.address || address.result.status === 'fail') {
    add(check('create', 'skip', `not tried: fix ${!key.key ? 'the key' : 'publicUrl'} first.`));
    add(check('result', 'skip', 'not tried: it needs the token of a new session.'));
  } else {
    const settings = { upstreamUrl: options.upstreamUrl, key: key.key, keyEnv: options.keyEnv, timeoutMs: options.timeoutMs };
    const created = await createCheck(settings, `${address.address.callbackBase}${DOCTOR_SID}`);
    add(created.result);
    add(created.token ? await resultCheck(settings, created.token) : check('result', 'skip', 'not tried: no session was created.'));
  }

  if (address.address) {
    add(await healthCheck(`${address.address.publicUrl}${address.address.basePath}/health`, Math.min(HEALTH_TIMEOUT_MS, options.timeoutMs)));
  } else {
    add(check('health', 'skip', 'not tried: it needs a valid publicUrl.'));
  }
  if (options.redisUrl === undefined) {
    add(check('redis', 'skip', 'not checked (pass --redis-url to check the Redis a redisStore will use).'));
  } else {
    add(await redisCheck(options.redisUrl, REDIS_TIMEOUT_MS));
  }
  return results;
}
