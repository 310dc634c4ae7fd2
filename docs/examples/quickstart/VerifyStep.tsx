// docs/examples/quickstart/VerifyStep.tsx
'use client'; // Next.js App Router; a Vite app needs no directive
import { LivenessSession, type LivenessState } from 'react-liveness-session';
import 'react-liveness-session/styles.css';

/**
 * A step of your sign-up flow. By the time the browser hears `verified`, your server's `onVerified`
 * (server/liveness.ts) has stored the GroupId for the signed-in user: the callbacks here only move the
 * page on. Never send a GroupId from the browser to an account; read it on your server.
 */
export function VerifyStep({ onDone }: { onDone: () => void }) {
  return (
    <LivenessSession
      endpoint="/api/liveness/sessions"
      onVerified={({ sessionId }) => {
        console.info(`verified in session ${sessionId}`);
        onDone();
      }}
      // reason: 'device' | 'liveness' | 'unconfirmed' | 'unknown'; the component shows advice for each.
      onFailed={({ reason }) => console.info(`the check did not pass: ${reason}`)}
      // Branch on error.code ('network', 'timeout', 'http', …), never on the message.
      onError={(error) => console.warn(`the check could not start: ${error.code}`)}
      onStateChange={(state: LivenessState) => {
        if (state.status === 'opened' && state.openedAt) console.info('a phone opened the code');
      }}
    />
  );
}
