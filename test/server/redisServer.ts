// A private redis-server for a test file: started on a free 127.0.0.1 port, stopped by its own PID.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import net from 'node:net';
import { createClient } from 'redis';

export const REDIS_BIN = '/usr/bin/redis-server';
const externalUrl = process.env.REDIS_URL;
/** Neither REDIS_URL nor the binary: locally such a file skips, in CI it fails (a silent skip would hide a broken store). */
export const redisUnavailable = !externalUrl && !existsSync(REDIS_BIN);
export const skipRedis = redisUnavailable && process.env.CI !== 'true';

export type RedisClient = ReturnType<typeof createClient>;

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as net.AddressInfo;
      probe.close(() => resolve(port));
    });
  });
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
    const spawned = spawn(REDIS_BIN, ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', ...extraArgs], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child = spawned;
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('redis-server did not start within 10 s')), 10_000);
      let output = '';
      spawned.stdout!.on('data', (chunk: Buffer) => {
        output += chunk.toString();
        if (output.includes('Ready to accept connections')) {
          clearTimeout(timer);
          resolve();
        }
      });
      spawned.once('exit', (code) => {
        clearTimeout(timer);
        reject(new Error(`redis-server exited with ${code}: ${output}`));
      });
    });
    url = `redis://127.0.0.1:${port}`;
  }
  const clients: RedisClient[] = [];
  return {
    url,
    async connect() {
      const client = createClient({ url });
      client.on('error', () => {});
      await client.connect();
      clients.push(client);
      return client;
    },
    async stop() {
      for (const client of clients) if (client.isOpen) await client.close();
      if (child?.pid && child.exitCode === null) {
        const exited = new Promise((resolve) => child!.once('exit', resolve));
        process.kill(child.pid, 'SIGTERM');
        await exited;
      }
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
  const { mkdtempSync, rmSync } = await import('node:fs');
  const { tmpdir } = await import('node:os');
  const { join } = await import('node:path');
  const dir = mkdtempSync(join(tmpdir(), 'rls-redis-'));
  const port = await freePort();
  const url = `redis://127.0.0.1:${port}`;
  let child: ChildProcess | undefined;
  const clients: RedisClient[] = [];
  async function start(): Promise<void> {
    const spawned = spawn(REDIS_BIN, ['--port', String(port), '--bind', '127.0.0.1', '--dir', dir, '--save', '', '--appendonly', 'yes', '--appendfsync', 'always'], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child = spawned;
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('redis-server did not start within 10 s')), 10_000);
      let output = '';
      spawned.stdout!.on('data', (chunk: Buffer) => {
        output += chunk.toString();
        if (output.includes('Ready to accept connections')) {
          clearTimeout(timer);
          resolve();
        }
      });
      spawned.once('exit', (code) => {
        clearTimeout(timer);
        reject(new Error(`redis-server exited with ${code}: ${output}`));
      });
    });
    spawned.stdout!.resume();
  }
  async function stop(): Promise<void> {
    const running = child;
    if (!running?.pid || running.exitCode !== null || running.signalCode !== null) return;
    const exited = new Promise((resolve) => running.once('exit', resolve));
    process.kill(running.pid, 'SIGTERM');
    await exited;
  }
  await start();
  return {
    url,
    async connect() {
      const client = createClient({ url });
      client.on('error', () => {});
      await client.connect();
      clients.push(client);
      return client;
    },
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
