// docs/examples/redis/cluster.ts
import { createCluster } from 'redis';
import { createLivenessHandler, redisStore } from 'react-liveness-session/server';

// Any of the cluster's nodes will do as root nodes: the client finds the others.
const redis = await createCluster({
  rootNodes: (process.env.REDIS_CLUSTER_NODES ?? 'redis://127.0.0.1:7000').split(',').map((url) => ({ url })),
}).connect();

export const liveness = createLivenessHandler({
  apiKey: process.env.ANYFAST_API_KEY!,
  publicUrl: process.env.PUBLIC_URL,
  // Default options: keys carry hash tags, notifications use sharded pub/sub.
  store: redisStore({ client: redis }),
  // While a master fails over (a few seconds), routes answer 503 with Retry-After within this.
  storeTimeoutMs: 1000,
});
