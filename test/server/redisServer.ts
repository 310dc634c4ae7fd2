// A private redis-server for a test file: started on a free 127.0.0.1 port, stopped by its own PID.
import type { ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createClient } from 'redis';
import { freePort } from '../freePort.js';
import { REDIS_BIN, spawnRedis, stopProcess } from './redisProcess.js';

export { REDIS_BIN } from './redisProcess.js';
const externalUrl = process.env.REDIS_URL;
/** Neither REDIS_URL nor the binary: locally such a file skips, in CI it fails (a silent skip would hide a broken store). */
export const redisUnavailable = !externalUrl && !existsSync(REDIS_BIN);
export const skipRedis = redisUnavailable && process.env.CI !== 'true';

export type RedisClient = ReturnType<typeof createClient>;

/** A node-redis client of `url`, connected, kept in `clients` for the clean-up. */
async function connectClient(url: string, clients: RedisClient[]): Promise<RedisClient> {
  const client = createClient({ url });
  client.on('error', () => {});
  await client.connect();
  clients.push(client);
  return client;
}

export interface RedisServer {
  url: string;
  connect(): Promise<RedisClient>;
  stop(): Promise<void>;
}

/**
 * `extraArgs` configure a server of its own (`['--requirepass', 'pw']`, `['--rename-command', 'EVAL', '']`):
 * with them, REDIS_URL is not used, and the binary is required.
 */
export async function startRedis(extraArgs: readonly string[] = []): Promise<RedisServer> {
  if (redisUnavailable) throw new Error(`CI=true but neither REDIS_URL nor ${REDIS_BIN} is available`);
  let child: ChildProcess | undefined;
  let url = extraArgs.length === 0 ? externalUrl : undefined;
  if (!url) {
    const port = await freePort();
    child = await spawnRedis(['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', ...extraArgs]);
    url = `redis://127.0.0.1:${port}`;
  }
  const clients: RedisClient[] = [];
  return {
    url,
    connect: () => connectClient(url, clients),
    async stop() {
      for (const client of clients) if (client.isOpen) await client.close();
      await stopProcess(child);
    },
  };
}

export interface RestartableRedis {
  url: string;
  /** Connected clients of node-redis with their default reconnection; closed by `remove()`. */
  connect(): Promise<RedisClient>;
  /** Stops the server by its PID (SIGTERM: it writes its append-only file and exits). */
  stop(): Promise<void>;
  /** Starts it again on the same port, from the same data directory. */
  start(): Promise<void>;
  /** Stops it and removes its data. */
  remove(): Promise<void>;
}

/**
 * A redis-server of its own (never REDIS_URL) with `appendonly yes`, in a data directory of its own, that
 * a test stops and starts again by PID on the same port: an outage that keeps the data.
 */
export async function startRestartableRedis(): Promise<RestartableRedis> {
  if (!existsSync(REDIS_BIN)) throw new Error(`${REDIS_BIN} is missing`);
  const dir = mkdtempSync(join(tmpdir(), 'rls-redis-'));
  const port = await freePort();
  const url = `redis://127.0.0.1:${port}`;
  let child: ChildProcess | undefined;
  const clients: RedisClient[] = [];
  async function start(): Promise<void> {
    child = await spawnRedis(['--port', String(port), '--bind', '127.0.0.1', '--dir', dir, '--save', '', '--appendonly', 'yes', '--appendfsync', 'always']);
  }
  const stop = () => stopProcess(child);
  await start();
  return {
    url,
    connect: () => connectClient(url, clients),
    stop,
    start,
    async remove() {
      // Clients that keep reconnecting to a server that is gone would hold `close()` for ever.
      for (const client of clients) client.destroy();
      await stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
