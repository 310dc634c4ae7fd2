// QR scannability: the real component, fed a canned create response (long H5 link, optional short
// qrUrl) through its `fetch` option, at the size asked for; several side by side, one screenshot.
// The panel's 360 px max-width is lifted so sizes above ~312 px are not clipped (with the default
// stylesheet a bigger code overflows the panel).
import { createRoot } from 'react-dom/client';
import { LivenessSession } from 'react-liveness-session';
import 'react-liveness-session/styles.css';

const root = createRoot(document.getElementById('root'));
let generation = 0;

function stub(body) {
  return async () => new Response(JSON.stringify(body), { status: 201, headers: { 'Content-Type': 'application/json' } });
}

/** Renders one component per case until each shows its code; resolves with each svg's box and viewBox width. */
window.showQrs = ({ cases, size }) => {
  generation += 1;
  const expiresAt = new Date(Date.now() + 3_600_000).toISOString();
  root.render(
    <div style={{ display: 'flex', flexWrap: 'wrap', alignItems: 'flex-start', gap: 24 }}>
      {cases.map(({ h5Link, qrUrl, level }, i) => (
        <LivenessSession
          key={`${generation}-${i}`}
          data-bench-key={`${generation}-${i}`}
          endpoint="/bench/sessions"
          mode="qr"
          locale="en"
          fetch={stub({ sessionId: `bench-${generation}-${i}`, h5Link, expiresAt, ...(qrUrl ? { qrUrl } : {}) })}
          qr={level ? { size, level } : { size }}
          resume={false}
          style={{ maxWidth: 'none', width: 'auto' }}
        />
      ))}
    </div>,
  );
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const check = () => {
      const boxes = [];
      for (let i = 0; i < cases.length; i += 1) {
        const rootEl = document.querySelector(`[data-liveness-session][data-bench-key="${generation}-${i}"]`);
        if (rootEl?.getAttribute('data-state') === 'error') return reject(new Error(`case ${i}: the component shows an error`));
        const svg = rootEl?.querySelector('[data-slot="qrCode"] svg');
        if (!svg) break;
        const box = svg.getBoundingClientRect();
        boxes.push({ x: box.x + scrollX, y: box.y + scrollY, width: box.width, height: box.height, viewBox: svg.viewBox.baseVal.width });
      }
      if (boxes.length === cases.length) return resolve(boxes);
      if (performance.now() - started > 5000) return reject(new Error('no QR codes within 5 s'));
      requestAnimationFrame(check);
    };
    check();
  });
};
window.benchReady = true;
