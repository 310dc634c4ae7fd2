// The redis-server of one test file or `describe`, in Vitest's hooks. Apart from redisServer.ts, which
// bench/redisOutage.mjs bundles for plain Node: Vitest stays out of that bundle.
import { afterAll, beforeAll } from 'vitest';
import { skipRedis, startRedis, type RedisServer } from './redisServer.js';

/** How long the `beforeAll` may take: starting redis-server on a loaded machine. */
const START_TIMEOUT_MS = 20_000;

/**
 * A private redis-server for the file or `describe` that calls this: its `beforeAll` starts one
 * (`startRedis()`), its `afterAll` closes the clients handed out and stops the server by its PID.
 * Where `skipRedis` holds nothing starts: the tests say `it.skipIf(skipRedis)` (or sit in a
 * `describe.skipIf(skipRedis)`). Returns `connect()` for clients of that server, to be called inside
 * the tests: before `beforeAll` has run there is no server, and `connect()` says so.
 */
export function redisServerForSuite(): Pick<RedisServer, 'connect'> {
  let server: RedisServer | undefined;
  beforeAll(async () => {
    if (!skipRedis) server = await startRedis();
  }, START_TIMEOUT_MS);
  afterAll(async () => {
    await server?.stop();
  });
  return {
    connect: () => {
      if (!server) throw new Error('redisServerForSuite: no redis-server runs yet (connect inside a test; where skipRedis holds, skip the test)');
      return server.connect();
    },
  };
}
