import { renderToStaticMarkup } from 'react-dom/server';
import { QRCodeSVG } from 'qrcode.react';
import { describe, expect, it } from 'vitest';
import { qrErrorCorrection } from '../../src/react/views/qrErrorCorrection';

// QR versions are a stable stand-in for scannability: bench/qr.mjs measured that version 4 (33
// modules) decodes in 100 % of degraded camera trials at the default 200 px, version 6 in 25–50 %.
function versionOf(value: string): number {
  const svg = renderToStaticMarkup(<QRCodeSVG value={value} level={qrErrorCorrection(value)} marginSize={0} />);
  const size = Number(/viewBox="0 0 (\d+) \d+"/.exec(svg)?.[1]);
  return (size - 17) / 4;
}

const ID = 'Zm9vYmFyYmF6cXV4cXV1eA'; // 22 characters, like the server's 128-bit ids

describe('QR budget for the server short link', () => {
  it.each([
    ['https, custom domain', `https://verify.example-company.com/api/liveness/l/${ID}`],
    ['http, loopback demo', `http://127.0.0.1:5173/api/liveness/l/${ID}`],
    ['https, long host', `https://identity.accounts.example.com/api/liveness/l/${ID}`],
  ])('%s stays at QR version 4 or lower', (_label, url) => {
    expect(versionOf(url)).toBeLessThanOrEqual(4);
  });

  it('a 900-character H5 link would need version 20 or more (why the QR encodes qrUrl)', () => {
    const long = `https://h5.example.test/authorization?${'accessKeyId=FAKE&'.repeat(53)}`.slice(0, 900);
    expect(versionOf(long)).toBeGreaterThanOrEqual(20);
  });
});
