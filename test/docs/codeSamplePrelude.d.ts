// The app-side names the docs' samples may use without declaring them: your database, your Redis
// client, your sign-in. Only test/docs/codeSamples.ts compiles this file (tsconfig.json excludes it,
// so these names are not global anywhere else). Keep it small: a sample that needs more should
// declare it, or be a file under docs/examples/.

/** Your database (a Prisma-style client here). */
declare const db: {
  livenessVerification: {
    upsert(args: {
      where: { sessionId: string };
      create: { sessionId: string; userId: string; groupId: string; verifiedAt: Date };
      update: Record<string, never>;
    }): Promise<unknown>;
  };
};

/** A connected node-redis client (`await createClient({ url }).connect()`). */
declare const redis: import('redis').RedisClientType;

/** Your sign-in, whatever it is: who sent this request? */
declare function getUser(request: Request): Promise<{ id: string } | undefined>;

/** Auth.js's `auth()` (Next.js): the signed-in session, if any. */
declare function auth(): Promise<{ user?: { id: string } } | null>;
