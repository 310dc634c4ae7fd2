// docs/examples/assets/liveness.ts
// The quick start's handler, going on after `verified`: the GroupId that onVerified stores for the user
// is where their reference photos go, and each asset the upstream accepts is stored for them too, in
//   CREATE TABLE liveness_assets (
//     asset_id  text PRIMARY KEY,   -- Seedance 2.0 references it as asset://<asset_id>
//     user_id   text NOT NULL,
//     type      text NOT NULL,      -- 'image' or 'video'
//     active_at timestamptz NOT NULL
//   );
import { createLivenessHandler } from 'react-liveness-session/server';
import { currentUserId } from '../quickstart/server/currentUser.js';
import { pool } from '../quickstart/server/db.js';

export const liveness = createLivenessHandler({
  apiKey: process.env.ANYFAST_API_KEY!,
  publicUrl: process.env.PUBLIC_URL,
  // Assets need a subject: they are bound to it, and it names the group.
  authorize: async (request) => {
    const userId = await currentUserId(request);
    return userId ? { subject: userId } : false;
  },
  onVerified: async ({ sessionId, groupId, subject, verifiedAt }) => {
    await pool.query('INSERT INTO liveness_verifications (session_id, user_id, group_id, verified_at) VALUES ($1, $2, $3, $4) ON CONFLICT (session_id) DO NOTHING', [
      sessionId,
      subject,
      groupId,
      verifiedAt,
    ]);
  },
  assets: {
    // The group of the user's latest verification; none (not verified yet): the upload is answered 404.
    groupIdFor: async (subject) => {
      const { rows } = await pool.query<{ group_id: string }>('SELECT group_id FROM liveness_verifications WHERE user_id = $1 ORDER BY verified_at DESC LIMIT 1', [subject]);
      return rows[0]?.group_id;
    },
    // Exactly once per asset, before the browser reads `active` (an upsert: a call that timed out may have written).
    onAssetActive: async ({ subject, assetId, type, activeAt }) => {
      await pool.query('INSERT INTO liveness_assets (asset_id, user_id, type, active_at) VALUES ($1, $2, $3, $4) ON CONFLICT (asset_id) DO NOTHING', [assetId, subject, type, activeAt]);
    },
  },
});
