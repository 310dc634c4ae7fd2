import { parseArgs } from 'node:util';

/** What `react-liveness-session doctor` was asked to check. */
export interface DoctorOptions {
  /** The environment variable holding the key. @default 'ANYFAST_API_KEY' */
  keyEnv: string;
  publicUrl: string | undefined;
  /** @default '/api/liveness' */
  basePath: string;
  /** @default 'https://www.anyfast.ai' */
  upstreamUrl: string;
  redisUrl: string | undefined;
  /** Skip the real create (and the result call on its token). @default false */
  noCreate: boolean;
  json: boolean;
  /** Deadline of each upstream call, as the handler's `upstreamTimeoutMs`. @default 30000 */
  timeoutMs: number;
}

export const DOCTOR_HELP = `Usage: npx react-liveness-session doctor [options]

Checks what a first real verification needs, one line each: the API key, publicUrl and the
CallbackURL the handler builds from it, a real create on Anyfast with that CallbackURL and a result
call on its token, the health route, and Redis. ✓ passed, ✗ failed (with the fix), ! warning,
- not checked. Exit code 0 when no check failed, 1 when one did, 2 for a bad command line.
The key is read from the environment and never printed, nor the H5 link or the token.

Options:
  --public-url URL     the https address at which phones reach your app (the handler's publicUrl)
  --base-path PATH     the handler's basePath (default /api/liveness)
  --key-env NAME       the variable that holds the Anyfast API key (default ANYFAST_API_KEY)
  --upstream-url URL   the Anyfast API (default https://www.anyfast.ai)
  --redis-url URL      also check the Redis a redisStore will use (redis:// or rediss://)
  --no-create          skip the real create (one session on Anyfast that nobody opens) and the
                       result call on its token
  --timeout-ms MS      deadline of each upstream call (default 30000, the handler's upstreamTimeoutMs)
  --json               print the results as JSON: { ok, checks: [{ check, status, message }] }
  -h, --help           show this help
`;

/** The options, or what is wrong with the command line (the command then exits 2). */
export function doctorOptions(args: readonly string[]): { options: DoctorOptions } | { help: true } | { error: string } {
  let values: Record<string, string | boolean | undefined>;
  let positionals: string[];
  try {
    ({ values, positionals } = parseArgs({
      args: [...args],
      strict: true,
      allowPositionals: true,
      options: {
        'public-url': { type: 'string' },
        'base-path': { type: 'string' },
        'key-env': { type: 'string' },
        'upstream-url': { type: 'string' },
        'redis-url': { type: 'string' },
        'no-create': { type: 'boolean' },
        'timeout-ms': { type: 'string' },
        json: { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
    }));
  } catch (error) {
    // parseArgs names the option, never its value; a name that could be a pasted key is not echoed either.
    const message = (error as Error).message.split('\n')[0]!.replace(/\. To specify a positional argument.*$/, '.');
    return { error: message.replace(/'(-[^']*)'/g, (quoted, name: string) => (/^--?[a-z][a-z-]{0,23}$/.test(name) ? quoted : 'an option')) };
  }
  if (values.help) return { help: true };
  if (positionals.length > 0) return { error: 'unexpected arguments (every option is a --flag; see --help).' };
  const keyEnv = (values['key-env'] as string | undefined) ?? 'ANYFAST_API_KEY';
  if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(keyEnv)) return { error: '--key-env takes the name of an environment variable (letters, digits, _), not the key.' };
  const timeout = (values['timeout-ms'] as string | undefined) ?? '30000';
  if (!/^\d+$/.test(timeout) || Number(timeout) < 1) return { error: '--timeout-ms takes a positive number of milliseconds.' };
  const upstreamUrl = ((values['upstream-url'] as string | undefined) ?? 'https://www.anyfast.ai').replace(/\/+$/, '');
  try {
    const url = new URL(upstreamUrl);
    if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new Error();
  } catch {
    return { error: '--upstream-url must be an absolute http(s) URL.' };
  }
  return {
    options: {
      keyEnv,
      publicUrl: values['public-url'] as string | undefined,
      basePath: (values['base-path'] as string | undefined) ?? '/api/liveness',
      upstreamUrl,
      redisUrl: values['redis-url'] as string | undefined,
      noCreate: values['no-create'] === true,
      json: values.json === true,
      timeoutMs: Number(timeout),
    },
  };
}
