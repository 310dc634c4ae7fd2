import { randomBytes } from 'node:crypto';
import { check, type CheckResult } from './checkResult.js';
import { connectResp, RedisReplyError, type RespConnection, type RespValue } from './respClient.js';
import { causeOf } from './upstreamCall.js';

// What redisStore does on every write, in small: a script that writes, reads back and deletes a key.
const SCRIPT = "redis.call('SET', KEYS[1], ARGV[1], 'PX', 10000) local value = redis.call('GET', KEYS[1]) redis.call('DEL', KEYS[1]) return value";

/** The URL as it may be printed: no user name, no password. */
export function redisAddress(url: URL): string {
  return `${url.protocol}//${url.host}${url.pathname === '/' ? '' : url.pathname}`;
}

/** A reply's first line, capped, without the arguments Redis may repeat; a password is masked besides. */
function replyText(value: RespValue | Error, password: string): string {
  const text = value instanceof Error ? value.message : String(value);
  // "ERR unknown command 'X', with args beginning with: …" repeats what was sent (a script, a password): cut.
  const line = (text.split(/\r?\n/)[0] ?? '').replace(/, with args beginning with:.*$/, '').slice(0, 120);
  return password ? line.split(password).join('***') : line;
}

/**
 * With `--redis-url`: connect (with the URL's user, password and database), `PING`, one Lua `EVAL`, and
 * a publish/subscribe round trip on a second connection: what `redisStore` needs (its writes are
 * scripts; event streams on several instances hear of each other's writes through pub/sub).
 */
export async function redisCheck(rawUrl: string, timeoutMs: number): Promise<CheckResult> {
  const fail = (message: string) => check('redis', 'fail', message);
  let url: URL;
  try {
    url = new URL(rawUrl);
  } catch {
    return fail('--redis-url is not a URL. Pass e.g. redis://127.0.0.1:6379 or rediss://:password@redis.example.com:6380/0.');
  }
  if (url.protocol !== 'redis:' && url.protocol !== 'rediss:') return fail('--redis-url must start with redis:// or rediss:// (TLS).');
  const where = redisAddress(url);
  const username = decodeURIComponent(url.username);
  const password = decodeURIComponent(url.password);
  const database = url.pathname.replace(/^\//, '');
  if (database !== '' && !/^\d+$/.test(database)) return fail(`${where}: the path must be a database number (/0, /1…).`);
  const target = { host: url.hostname.replace(/^\[|\]$/g, ''), port: Number(url.port) || 6379, tls: url.protocol === 'rediss:' };
  const started = Date.now();
  const connections: RespConnection[] = [];
  // The wait for the pub/sub message: cleared at the end, so that nothing keeps the process alive.
  let timer: ReturnType<typeof setTimeout> | undefined;

  const open = async (): Promise<RespConnection | CheckResult> => {
    let connection: RespConnection;
    try {
      connection = await connectResp(target, timeoutMs);
    } catch (error) {
      return fail(`could not connect to ${where} (${causeOf(error)}). Check --redis-url, and that this machine may reach Redis (firewall, TLS: rediss://).`);
    }
    connections.push(connection);
    if (password) {
      const auth = await connection.command(username ? ['AUTH', username, password] : ['AUTH', password]);
      if (auth instanceof RedisReplyError) return fail(`${where} refused the credentials in --redis-url (${replyText(auth, password)}).`);
    }
    return connection;
  };

  try {
    const main = await open();
    if (!('command' in main)) return main;
    const pong = await main.command(['PING']);
    if (pong instanceof RedisReplyError) {
      const needsPassword = /^NOAUTH/.test(pong.message);
      return fail(`${where} answered PING with an error (${replyText(pong, password)})${needsPassword ? ': it needs a password; put it in the URL (redis://:password@host:6379)' : ''}.`);
    }
    if (database !== '') {
      const selected = await main.command(['SELECT', database]);
      if (selected instanceof RedisReplyError) return fail(`${where}: database ${database} cannot be selected (${replyText(selected, password)}).`);
    }
    const nonce = randomBytes(12).toString('hex');
    const echoed = await main.command(['EVAL', SCRIPT, '1', `liveness:doctor:${nonce}`, nonce]);
    if (echoed !== nonce) {
      const why = echoed instanceof RedisReplyError ? replyText(echoed, password) : 'the script did not read back what it wrote';
      return fail(
        `${where} answers PING, but a Lua script failed (${why}). redisStore runs every write as a script (EVAL, SET, GET, DEL, SPUBLISH or PUBLISH): use a Redis that allows EVAL and grants them to this user.`,
      );
    }
    const subscriber = await open();
    if (!('command' in subscriber)) return subscriber;
    const channel = `liveness:doctor:${nonce}`;
    const heard = new Promise<boolean>((resolve) => {
      timer = setTimeout(() => resolve(false), timeoutMs);
      subscriber.onMessage((from, message) => {
        if (from === channel && message === nonce) {
          clearTimeout(timer);
          resolve(true);
        }
      });
    });
    // As redisStore does: sharded pub/sub where the server has it (Redis 7), classic otherwise.
    let sharded = true;
    let subscribed = await subscriber.command(['SSUBSCRIBE', channel]);
    if (subscribed instanceof RedisReplyError && /unknown command/i.test(subscribed.message)) {
      sharded = false;
      subscribed = await subscriber.command(['SUBSCRIBE', channel]);
    }
    const published = subscribed instanceof RedisReplyError ? subscribed : await main.command([sharded ? 'SPUBLISH' : 'PUBLISH', channel, nonce]);
    if (published instanceof RedisReplyError || !(await heard)) {
      const why = published instanceof RedisReplyError ? replyText(published, password) : `no message within ${timeoutMs} ms`;
      return fail(
        `${where} runs scripts, but publish/subscribe failed (${why}). Event streams on several instances hear of each other's writes through it: allow SSUBSCRIBE and SPUBLISH (Redis 7; SUBSCRIBE and PUBLISH before it, or with pubsub: 'classic'), or pass subscriber: false to redisStore (streams then read the store every 2 s).`,
      );
    }
    return check('redis', 'ok', `${where} answered PING, ran a Lua script (EVAL) and passed a message through publish/subscribe, in ${Date.now() - started} ms.`);
  } catch (error) {
    return fail(`${where} stopped answering (${causeOf(error)}). Check that it is a Redis server (not a proxy that drops connections) and reachable from here.`);
  } finally {
    clearTimeout(timer);
    for (const connection of connections) connection.close();
  }
}
