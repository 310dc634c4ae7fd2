// A private Redis Cluster for a test file: six redis-server processes in cluster mode on free 127.0.0.1
// ports (three masters, three replicas), joined by `redis-cli --cluster create`, each stopped by its
// own PID. The node timeout is low (1 s) so that the cluster forms, and a replica takes over from a
// killed master, within a few seconds.
import { spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createClient, createCluster } from 'redis';
import { freePort } from '../freePort.js';
import { REDIS_BIN, spawnRedis, stopProcess } from './redisProcess.js';

export const REDIS_CLI = '/usr/bin/redis-cli';
/** Neither binary: locally such a file skips, in CI it fails (a silent skip would hide a broken store). */
export const clusterUnavailable = !existsSync(REDIS_BIN) || !existsSync(REDIS_CLI);
export const skipCluster = clusterUnavailable && process.env.CI !== 'true';

export type RedisClusterClient = ReturnType<typeof createCluster>;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export interface ClusterNode {
  port: number;
  url: string;
  process: ChildProcess;
}

export interface RedisCluster {
  nodes: ClusterNode[];
  /** A cluster client of node-redis (`createCluster({ rootNodes })`), connected; closed by `stop()`. */
  connect(): Promise<RedisClusterClient>;
  /** The node that serves `key`'s slot as master now. */
  masterOf(key: string): Promise<ClusterNode>;
  /** Kills a node (SIGKILL: no goodbye to the cluster) and waits until it has exited. */
  kill(node: ClusterNode): Promise<void>;
  /** Waits until every live node says `cluster_state:ok`, every slot is served, and every replica is in sync with its master. */
  waitHealthy(timeoutMs?: number): Promise<void>;
  stop(): Promise<void>;
}

async function startNode(port: number, busPort: number, dir: string, nodeTimeoutMs: number): Promise<ClusterNode> {
  const child = await spawnRedis(
    [
      '--port',
      String(port),
      '--cluster-port',
      String(busPort),
      '--bind',
      '127.0.0.1',
      '--cluster-enabled',
      'yes',
      '--cluster-config-file',
      join(dir, `nodes-${port}.conf`),
      '--cluster-node-timeout',
      String(nodeTimeoutMs),
      '--dir',
      dir,
      '--save',
      '',
      '--appendonly',
      'no',
      // A replica that never finished its first sync cannot take over: sync at once (Redis 7 waits 5 s
      // for more replicas by default).
      '--repl-diskless-sync-delay',
      '0',
    ],
    'redis-server (cluster)',
  );
  return { port, url: `redis://127.0.0.1:${port}`, process: child };
}

async function info(node: ClusterNode, section: string[]): Promise<string> {
  const client = createClient({ url: node.url, socket: { reconnectStrategy: false, connectTimeout: 1000 } });
  client.on('error', () => {});
  try {
    await client.connect();
    return await client.sendCommand<string>(section);
  } finally {
    client.destroy();
  }
}

/** Starts a cluster of `masters` masters with one replica each. */
export async function startRedisCluster({ masters = 3, nodeTimeoutMs = 1000 } = {}): Promise<RedisCluster> {
  if (clusterUnavailable) throw new Error(`CI=true but ${REDIS_BIN} or ${REDIS_CLI} is missing`);
  const dir = mkdtempSync(join(tmpdir(), 'rls-cluster-'));
  const nodes: ClusterNode[] = [];
  const clients: RedisClusterClient[] = [];
  const stop = async () => {
    for (const client of clients) client.destroy();
    await Promise.all(nodes.map((node) => stopProcess(node.process, 'SIGTERM')));
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    for (let i = 0; i < masters * 2; i += 1) {
      // Ports one by one: two free ports asked for at once could be the same one.
      const port = await freePort();
      const busPort = await freePort();
      nodes.push(await startNode(port, busPort, dir, nodeTimeoutMs));
    }
    const create = spawnSync(REDIS_CLI, ['--cluster', 'create', ...nodes.map((node) => `127.0.0.1:${node.port}`), '--cluster-replicas', '1', '--cluster-yes'], {
      encoding: 'utf8',
      timeout: 60_000,
    });
    if (create.status !== 0) throw new Error(`redis-cli --cluster create failed: ${create.stdout}${create.stderr}`);
  } catch (error) {
    await stop();
    throw error;
  }
  const alive = () => nodes.filter((node) => node.process.exitCode === null && node.process.signalCode === null);

  const cluster: RedisCluster = {
    nodes,
    async connect() {
      const client = createCluster({ rootNodes: alive().map((node) => ({ url: node.url })) });
      client.on('error', () => {});
      clients.push(client);
      await client.connect();
      return client;
    },
    async masterOf(key) {
      const slot = Number(await info(alive()[0]!, ['CLUSTER', 'KEYSLOT', key]));
      const lines = (await info(alive()[0]!, ['CLUSTER', 'NODES'])).split('\n');
      for (const line of lines) {
        const [, address, flags, , , , , , ...ranges] = line.split(' ');
        if (!flags?.includes('master') || flags.includes('fail')) continue;
        for (const range of ranges) {
          const [from, to = from] = range.split('-').map(Number);
          if (slot >= from! && slot <= to!) {
            const port = Number(address!.split('@')[0]!.split(':')[1]);
            return nodes.find((node) => node.port === port)!;
          }
        }
      }
      throw new Error(`no master for slot ${slot}`);
    },
    async kill(node) {
      await stopProcess(node.process, 'SIGKILL');
    },
    async waitHealthy(timeoutMs = 30_000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        try {
          const states = await Promise.all(alive().map((node) => info(node, ['CLUSTER', 'INFO'])));
          const replication = await Promise.all(alive().map((node) => info(node, ['INFO', 'replication'])));
          const synced = replication.every((text) => !text.includes('role:slave') || text.includes('master_link_status:up'));
          if (synced && states.every((state) => state.includes('cluster_state:ok') && state.includes('cluster_slots_ok:16384'))) return;
        } catch {
          // A node that is still starting: ask again.
        }
        if (Date.now() > deadline) throw new Error('the cluster did not become healthy in time');
        await sleep(100);
      }
    },
    stop,
  };
  try {
    await cluster.waitHealthy();
  } catch (error) {
    await stop();
    throw error;
  }
  return cluster;
}
