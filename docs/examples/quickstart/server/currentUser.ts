// docs/examples/quickstart/server/currentUser.ts
// Your own sign-in, whatever it is: who sent this request? Here a session cookie looked up in the
// database; with Auth.js it would be `(await auth())?.user?.id`.
import { pool } from './db.js';

export async function currentUserId(request: Request): Promise<string | undefined> {
  const token = /(?:^|;\s*)session=([^;]+)/.exec(request.headers.get('cookie') ?? '')?.[1];
  if (!token) return undefined;
  const { rows } = await pool.query<{ user_id: string }>('SELECT user_id FROM user_sessions WHERE token = $1 AND expires_at > now()', [token]);
  return rows[0]?.user_id;
}
