// Time to QR, the baseline: QRCodeSVG straight from a fetch in useEffect, same size, level and margin.
import { Profiler, useEffect, useState } from 'react';
import { createRoot } from 'react-dom/client';
import { QRCodeSVG } from 'qrcode.react';

const level = (text) => (text.length <= 120 ? 'Q' : text.length <= 400 ? 'M' : 'L');

function Baseline() {
  const [value, setValue] = useState(null);
  useEffect(() => {
    let live = true;
    fetch('/api/liveness/sessions', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ locale: 'en' }),
    })
      .then((response) => response.json())
      .then((data) => {
        if (live) setValue(data.qrUrl ?? data.h5Link);
      });
    return () => {
      live = false;
    };
  }, []);
  return value ? (
    <div data-liveness-session="" data-state="ready">
      <QRCodeSVG value={value} size={200} level={level(value)} marginSize={4} />
    </div>
  ) : (
    <p>Loading…</p>
  );
}

const countCommit = () => {
  window.__bench.commits += 1;
};

performance.mark('mount');
createRoot(document.getElementById('root')).render(
  <Profiler id="baseline" onRender={countCommit}>
    <Baseline />
  </Profiler>,
);
