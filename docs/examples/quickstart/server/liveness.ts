// docs/examples/quickstart/server/liveness.ts
// The server half: keeps the API key, creates sessions for signed-in users only, and stores each
// GroupId for its user before the browser hears `verified`.
import { createLivenessHandler } from 'react-liveness-session/server';
import { currentUserId } from './currentUser.js';
import { pool } from './db.js';

const apiKey = process.env.ANYFAST_API_KEY;
if (!apiKey) throw new Error('Set ANYFAST_API_KEY: an Anyfast key of the "Byteplus-Direct" group.');

export const liveness = createLivenessHandler({
  apiKey,
  // The https origin a phone reaches (the callback lands there). Required with Next.js, whose route
  // handlers see a localhost request.url.
  publicUrl: process.env.PUBLIC_URL,
  // One process here; with several (a cluster, serverless) pass `store: redisStore({ client })`.
  authorize: async (request) => {
    const userId = await currentUserId(request);
    return userId ? { subject: userId } : false; // signed out: 403, no session created
  },
  onVerified: async ({ sessionId, groupId, subject, verifiedAt }) => {
    // `subject` is optional in the type (a handler without `authorize` has none). Every session here
    // has one; check anyway, so a GroupId never reaches the table without its user.
    if (!subject) throw new Error(`session ${sessionId} has no subject`);
    // An insert keyed by sessionId: a call that timed out after writing is made again.
    await pool.query(
      'INSERT INTO liveness_verifications (session_id, user_id, group_id, verified_at) VALUES ($1, $2, $3, $4) ON CONFLICT (session_id) DO NOTHING',
      [sessionId, subject, groupId, verifiedAt], // verifiedAt is a Date
    );
  },
  onEvent: (event) => console.info('liveness', event.type, event.sessionId ?? ''), // never carries a secret or a GroupId
});
