import { StrictMode, version } from 'react';
import { createRoot } from 'react-dom/client';
import { LivenessSession, type LivenessSessionProps, type LivenessState } from 'react-liveness-session';
import 'react-liveness-session/styles.css';

const seen: NonNullable<Window['__consumer']> = { react: version, created: [], states: [] };
window.__consumer = seen;

const onStateChange = (state: LivenessState) => {
  seen.states.push(state.status);
};
const props: LivenessSessionProps = {
  endpoint: '/api/liveness/sessions',
  mode: 'qr',
  onSessionCreated: (session) => {
    seen.created.push(session.sessionId);
  },
  onStateChange,
};

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <main>
      <h1>Verify it is you</h1>
      <LivenessSession {...props} />
    </main>
  </StrictMode>,
);
