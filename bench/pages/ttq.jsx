// Time to QR, the library: <LivenessSession mode="qr"> against the local handler, as the README shows it.
import { Profiler } from 'react';
import { createRoot } from 'react-dom/client';
import { LivenessSession } from 'react-liveness-session';
import 'react-liveness-session/styles.css';

const countCommit = () => {
  window.__bench.commits += 1;
};

performance.mark('mount');
createRoot(document.getElementById('root')).render(
  <Profiler id="liveness" onRender={countCommit}>
    <LivenessSession endpoint="/api/liveness/sessions" mode="qr" locale="en" />
  </Profiler>,
);
