// redis-server processes for the tests (a server, a restartable one, a cluster's nodes): started from
// Debian's binary on 127.0.0.1, stopped by their own PID.
import { spawn, type ChildProcess, type ChildProcessByStdio } from 'node:child_process';
import type { Readable } from 'node:stream';

export const REDIS_BIN = '/usr/bin/redis-server';

/**
 * Starts `redis-server` with `args` and resolves once it accepts connections (rejects if it exits first,
 * or after 10 s). Its output is read to the end, so that a full pipe never blocks the server.
 */
export async function spawnRedis(args: readonly string[], what = 'redis-server'): Promise<ChildProcessByStdio<null, Readable, Readable>> {
  const child = spawn(REDIS_BIN, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${what} did not start within 10 s`)), 10_000);
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes('Ready to accept connections')) {
        clearTimeout(timer);
        resolve();
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`${what} exited with ${code}: ${output}`));
    });
  });
  child.stdout.resume();
  child.stderr.resume();
  return child;
}

/** Stops a process by its PID and waits until it has exited; one that has already ended is left alone. */
export async function stopProcess(child: ChildProcess | undefined, signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
  if (!child?.pid || child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  process.kill(child.pid, signal);
  await exited;
}
