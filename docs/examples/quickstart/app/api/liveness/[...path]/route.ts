// docs/examples/quickstart/app/api/liveness/[...path]/route.ts
// Next.js (App Router): one route file serves all of the handler's routes. Export every method it
// answers: GET and HEAD (status, events, callback, short link), POST (create), DELETE (cancel).
import { liveness } from '../../../../server/liveness';

export const GET = liveness;
export const HEAD = liveness;
export const POST = liveness;
export const DELETE = liveness;
