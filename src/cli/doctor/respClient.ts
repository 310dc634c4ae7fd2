// A minimal Redis client (RESP2 over node:net / node:tls): the few commands the doctor needs, with a
// deadline on each. Its own, so that the check runs from `npx` without the app's `redis` package, and
// tests the server the store will talk to whatever client the app uses (node-redis, ioredis).
import net from 'node:net';
import tls from 'node:tls';

/** An error reply of the server (`-ERR …`, `-NOAUTH …`). */
export class RedisReplyError extends Error {}

export type RespValue = string | number | null | RedisReplyError | RespValue[];

interface Parsed {
  value: RespValue;
  next: number;
}

function parse(buffer: Buffer, offset: number): Parsed | undefined {
  if (offset >= buffer.length) return undefined;
  const lineEnd = buffer.indexOf('\r\n', offset);
  if (lineEnd === -1) return undefined;
  const type = String.fromCharCode(buffer[offset]!);
  const line = buffer.toString('utf8', offset + 1, lineEnd);
  const after = lineEnd + 2;
  switch (type) {
    case '+':
      return { value: line, next: after };
    case '-':
      return { value: new RedisReplyError(line), next: after };
    case ':':
      return { value: Number(line), next: after };
    case '$': {
      const length = Number(line);
      if (length < 0) return { value: null, next: after };
      if (buffer.length < after + length + 2) return undefined;
      return { value: buffer.toString('utf8', after, after + length), next: after + length + 2 };
    }
    case '*': {
      const count = Number(line);
      if (count < 0) return { value: null, next: after };
      const items: RespValue[] = [];
      let next = after;
      for (let i = 0; i < count; i += 1) {
        const item = parse(buffer, next);
        if (!item) return undefined;
        items.push(item.value);
        next = item.next;
      }
      return { value: items, next };
    }
    default:
      throw new Error('not a Redis server (unexpected reply)');
  }
}

function encode(args: readonly string[]): string {
  return `*${args.length}\r\n${args.map((arg) => `$${Buffer.byteLength(arg)}\r\n${arg}\r\n`).join('')}`;
}

export interface RespConnection {
  /** Sends a command; resolves to its reply (an error reply resolves too, as a `RedisReplyError`). */
  command(args: readonly string[]): Promise<RespValue>;
  /** Pub/sub messages (`message`, channel, payload) arriving on a subscribed connection. */
  onMessage(listener: (channel: string, message: string) => void): void;
  close(): void;
}

export interface RespTarget {
  host: string;
  port: number;
  tls: boolean;
}

/** Connects within `timeoutMs`; every command then has `timeoutMs` to be answered. */
export function connectResp(target: RespTarget, timeoutMs: number): Promise<RespConnection> {
  return new Promise((resolve, reject) => {
    const socket = target.tls
      ? tls.connect({ host: target.host, port: target.port, servername: net.isIP(target.host) ? undefined : target.host })
      : net.connect({ host: target.host, port: target.port });
    const waiting: { resolve: (value: RespValue) => void; reject: (error: Error) => void; timer: ReturnType<typeof setTimeout> }[] = [];
    const listeners: ((channel: string, message: string) => void)[] = [];
    let buffer = Buffer.alloc(0);
    let failure: Error | undefined;
    const connectTimer = setTimeout(() => {
      socket.destroy();
      reject(Object.assign(new Error('connect timeout'), { code: 'ETIMEDOUT' }));
    }, timeoutMs);

    const failAll = (error: Error) => {
      failure ??= error;
      for (const entry of waiting.splice(0)) {
        clearTimeout(entry.timer);
        entry.reject(error);
      }
    };
    socket.on('error', (error) => {
      clearTimeout(connectTimer);
      failAll(error);
      reject(error);
    });
    socket.on('close', () => failAll(Object.assign(new Error('connection closed'), { code: 'ECONNRESET' })));
    socket.on('data', (chunk: Buffer) => {
      buffer = Buffer.concat([buffer, chunk]);
      let offset = 0;
      for (;;) {
        let parsed: Parsed | undefined;
        try {
          parsed = parse(buffer, offset);
        } catch (error) {
          failAll(error as Error);
          socket.destroy();
          return;
        }
        if (!parsed) break;
        offset = parsed.next;
        const { value } = parsed;
        // `smessage`: a message of sharded pub/sub (SSUBSCRIBE), which redisStore uses on Redis 7.
        if (Array.isArray(value) && (value[0] === 'message' || value[0] === 'smessage') && typeof value[1] === 'string' && typeof value[2] === 'string') {
          for (const listener of listeners) listener(value[1], value[2]);
          continue;
        }
        const entry = waiting.shift();
        if (entry) {
          clearTimeout(entry.timer);
          entry.resolve(value);
        }
      }
      buffer = buffer.subarray(offset);
    });
    socket.once(target.tls ? 'secureConnect' : 'connect', () => {
      clearTimeout(connectTimer);
      resolve({
        command(args) {
          if (failure) return Promise.reject(failure);
          return new Promise((done, fail) => {
            const timer = setTimeout(() => {
              fail(Object.assign(new Error(`no answer to ${args[0]} within ${timeoutMs} ms`), { code: 'ETIMEDOUT' }));
              socket.destroy();
            }, timeoutMs);
            waiting.push({ resolve: done, reject: fail, timer });
            socket.write(encode(args));
          });
        },
        onMessage(listener) {
          listeners.push(listener);
        },
        close() {
          socket.destroy();
        },
      });
    });
  });
}
