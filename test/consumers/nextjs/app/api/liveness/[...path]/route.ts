// The package's `/server` handler as a Next.js route handler, exactly as the README shows it: every
// method the handler serves (test/docs/nextRouteMethods.test.ts checks): GET and HEAD (status, events,
// callback, short link), POST (create), DELETE (cancel, "Start again").
import { liveness } from '../../../../lib/liveness';

export const dynamic = 'force-dynamic';

export const GET = liveness;
export const HEAD = liveness;
export const POST = liveness;
export const DELETE = liveness;
