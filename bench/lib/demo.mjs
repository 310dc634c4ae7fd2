// Starts `node demo/server.mjs` (the app, the /server handler and the mock upstream, one process) on a
// free 127.0.0.1 port; `stop()` ends exactly that child, by its PID.
import { spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { repo } from './pages.mjs';
import { sleep } from './stats.mjs';

function freePort() {
  return new Promise((done, fail) => {
    const server = createServer();
    server.once('error', fail);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => done(port));
    });
  });
}

export async function startDemo(env = {}) {
  const port = await freePort();
  const child = spawn(process.execPath, [join(repo, 'demo/server.mjs')], {
    cwd: repo,
    env: { ...process.env, PORT: String(port), HOST: '127.0.0.1', DEMO_QUIET: '1', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (chunk) => (output += chunk));
  child.stderr.on('data', (chunk) => (output += chunk));
  const exited = new Promise((done) => child.once('exit', done));
  const origin = `http://127.0.0.1:${port}`;
  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    process.kill(child.pid, 'SIGTERM');
    const timeout = sleep(5000).then(() => 'timeout');
    if ((await Promise.race([exited, timeout])) === 'timeout' && child.exitCode === null) {
      process.kill(child.pid, 'SIGKILL');
      await exited;
    }
  };
  const deadline = Date.now() + 30_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`demo server exited early:\n${output}`);
    if (/demo: http:\/\//.test(output)) {
      const ok = await fetch(`${origin}/`).then((r) => r.ok, () => false);
      if (ok) break;
    }
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`demo server did not start within 30 s:\n${output}`);
    }
    await sleep(100);
  }
  // Warm Vite's transforms so a late dependency optimisation cannot reload a page mid-measurement.
  for (const path of ['/', '/main.tsx', '/App.tsx', '/@vite/client']) await fetch(`${origin}${path}`).then((r) => r.text());
  return { origin, pid: child.pid, stop };
}
