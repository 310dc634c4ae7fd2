// What a node-redis Cluster client lacks after a failover: it learns where a slot moved only from a
// `MOVED` reply, which a dead master never sends, so commands for its slots wait on a connection that
// keeps being refused until that node comes back (issue 28: requests hung past 10 s). This asks the
// client to read the cluster's slots again when a command fails for want of a connection or is slow.

/** How long a command may take before the topology is read again (a healthy cluster answers in ~1 ms). */
const SLOW_COMMAND_MS = 250;
/** At most one reading of the topology per this long. */
const REDISCOVER_EVERY_MS = 500;

/** The parts of node-redis 5's cluster client this uses, all optional: any other client is left alone. */
interface ClusterInternals {
  masters?: readonly { client?: { isReady?: boolean } }[];
  replicas?: readonly { client?: { isReady?: boolean } }[];
  _self?: ClusterInternals;
  _slots?: { rediscover?: (startWith: unknown) => Promise<unknown> };
}

export interface ClusterTopology {
  /** `command`, watched: when it fails or is slow, the cluster client reads its slots again. */
  watch<T>(command: Promise<T>): Promise<T>;
}

/** `undefined` for a client that is not a node-redis Cluster (a single node, ioredis, a custom adapter). */
export function clusterTopology(client: unknown): ClusterTopology | undefined {
  const self = (client as ClusterInternals)?._self ?? (client as ClusterInternals);
  const slots = self?._slots;
  if (typeof slots?.rediscover !== 'function' || !Array.isArray(self.masters)) return undefined;
  let last = -Infinity;
  let running: Promise<unknown> | undefined;

  function rediscover(): void {
    const now = Date.now();
    if (running || now - last < REDISCOVER_EVERY_MS) return;
    last = now;
    // A node that is connected now: node-redis reads the slots through a new connection made with its
    // options, and a connection to a dead node would keep retrying (and the reading never end).
    const startWith = [...self.masters!, ...(self.replicas ?? [])].find((node) => node.client?.isReady)?.client;
    if (!startWith) return;
    running = Promise.resolve()
      .then(() => slots!.rediscover!.call(slots, startWith))
      .catch(() => undefined)
      .finally(() => (running = undefined));
  }

  return {
    watch(command) {
      const timer = setTimeout(rediscover, SLOW_COMMAND_MS);
      (timer as { unref?: () => void }).unref?.();
      return command.then(
        (value) => {
          clearTimeout(timer);
          return value;
        },
        (error: unknown) => {
          clearTimeout(timer);
          rediscover();
          throw error;
        },
      );
    },
  };
}
