// docs/examples/quickstart/server/express.ts
// Express 5: the handler answers /api/liveness/* and hands every other path on (`next`).
import express from 'express';
import { toNodeHandler } from 'react-liveness-session/server';
import { liveness } from './liveness.js';

const app = express();
// Behind a reverse proxy, `trustProxy: true` counts each client by its own address, not the proxy's.
app.use(toNodeHandler(liveness, { trustProxy: process.env.BEHIND_PROXY === '1' }));
app.use(express.static('dist')); // your front end, e.g. Vite's build with <VerifyStep> in it
app.listen(Number(process.env.PORT ?? 3000), (error) => {
  if (error) throw error;
});
