// docs/examples/quickstart/server/db.ts
// Your database: PostgreSQL through node-postgres (`npm install pg`) here, with this table:
//   CREATE TABLE liveness_verifications (
//     session_id  text PRIMARY KEY,        -- one row per verification: onVerified may run twice
//     user_id     text NOT NULL,
//     group_id    text NOT NULL,           -- the asset GroupId (Seedance 2.0 and other Anyfast APIs)
//     verified_at timestamptz NOT NULL
//   );
import pg from 'pg';

export const pool = new pg.Pool({ connectionString: process.env.DATABASE_URL });
