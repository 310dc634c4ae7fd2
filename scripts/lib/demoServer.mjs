// The demo (`node demo/server.mjs`: the app, the /server handler and the mock upstream in one
// process) as a child process on a free 127.0.0.1 port, for the benchmarks (the end-to-end suite
// starts its demos from playwright.config.ts).
// `stop()` ends exactly that process, by its PID, politely first.
import { spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const repoRoot = resolve(fileURLToPath(new URL('../..', import.meta.url)));
const sleep = (ms) => new Promise((done) => setTimeout(done, ms));

/** A port that was free a moment ago on 127.0.0.1. */
export function freePort() {
  return new Promise((done, fail) => {
    const server = createServer();
    server.once('error', fail);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => done(port));
    });
  });
}

/** Starts the demo and resolves once it answers; `env` adds to or overrides its settings. */
export async function startDemo(env = {}) {
  const port = await freePort();
  const child = spawn(process.execPath, [join(repoRoot, 'demo/server.mjs')], {
    cwd: repoRoot,
    env: {
      ...process.env,
      PORT: String(port),
      HOST: '127.0.0.1',
      DEMO_QUIET: '1',
      // No file watcher and a private Vite cache: an edit or another Vite on this checkout cannot
      // reload a page in the middle of a test or a measurement.
      DEMO_WATCH: '0',
      DEMO_VITE_CACHE_DIR: join(repoRoot, 'node_modules/.cache/react-liveness-session-tools/vite'),
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (chunk) => (output += chunk));
  child.stderr.on('data', (chunk) => (output += chunk));
  const exited = new Promise((done) => child.once('exit', (code, signal) => done({ code, signal })));
  const origin = `http://127.0.0.1:${port}`;

  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    process.kill(child.pid, 'SIGTERM');
    let timer;
    const result = await Promise.race([exited, new Promise((done) => (timer = setTimeout(() => done('timeout'), 5_000)))]);
    clearTimeout(timer);
    if (result === 'timeout' && child.exitCode === null) {
      process.kill(child.pid, 'SIGKILL');
      await exited;
    }
  };

  const deadline = Date.now() + 30_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`demo server exited early (${child.exitCode}):\n${output}`);
    if (/demo: http:\/\//.test(output)) {
      const ok = await fetch(`${origin}/`).then(
        (response) => response.ok,
        () => false,
      );
      if (ok) break;
    }
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`demo server did not start within 30 s:\n${output}`);
    }
    await sleep(100);
  }
  // Warm Vite's transform cache, so the first page load does not pay for it (and a late dependency
  // optimisation cannot reload a page).
  for (const path of ['/', '/main.tsx', '/App.tsx', '/@vite/client']) await fetch(`${origin}${path}`).then((r) => r.text());

  return { origin, port, pid: child.pid, stop, output: () => output };
}
