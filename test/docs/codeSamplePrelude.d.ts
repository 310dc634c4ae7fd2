// The app-side names the docs' samples may use without declaring them: your database, your Redis
// client, your sign-in. Only test/docs/codeSamples.ts compiles this file (tsconfig.json excludes it,
// so these names are not global anywhere else). Keep it small: a sample that needs more should
// declare it, or be a file under docs/examples/.

/** Your database (a Prisma-style client here). */
declare const db: {
  livenessVerification: {
    upsert(args: { where: { sessionId: string }; create: { sessionId: string; userId: string; groupId: string; verifiedAt: Date }; update: Record<string, never> }): Promise<unknown>;
  };
};

/** A connected node-redis client (`await createClient({ url }).connect()`). */
declare const redis: import('redis').RedisClientType;

/** Your sign-in, whatever it is: who sent this request? */
declare function getUser(request: Request): Promise<{ id: string } | undefined>;

/** Auth.js's `auth()` (Next.js): the signed-in session, if any. */
declare function auth(): Promise<{ user?: { id: string } } | null>;

// The SMS and e-mail SDKs of docs/server.md's sendLink examples, as far as the samples use them (the
// package depends on neither; these shapes are those of twilio 5 and @aws-sdk/client-sesv2 3).
declare module 'twilio' {
  interface MessageOptions {
    to: string;
    from?: string;
    messagingServiceSid?: string;
    body: string;
  }
  export default function twilio(accountSid?: string, authToken?: string): { messages: { create(options: MessageOptions): Promise<{ sid: string }> } };
}

declare module '@aws-sdk/client-sesv2' {
  interface Content {
    Data: string;
    Charset?: string;
  }
  export interface SendEmailCommandInput {
    FromEmailAddress?: string;
    Destination?: { ToAddresses?: string[]; CcAddresses?: string[]; BccAddresses?: string[] };
    Content: { Simple?: { Subject: Content; Body: { Text?: Content; Html?: Content } } };
  }
  export class SendEmailCommand {
    constructor(input: SendEmailCommandInput);
  }
  export class SESv2Client {
    constructor(config?: { region?: string });
    send(command: SendEmailCommand, options?: { abortSignal?: AbortSignal }): Promise<{ MessageId?: string }>;
  }
}
