// The package's `/server` handler as a Next.js route handler, exactly as the README shows it:
// POST /sessions, GET /sessions/:id, GET /callback, GET /l/:id.
import { liveness } from '../../../../lib/liveness';

export const dynamic = 'force-dynamic';

export const GET = liveness;
export const POST = liveness;
