/**
 * Below this many CSS pixels per module, the bench's phone-camera model (`npm run bench`, QR rows)
 * decodes no code even 15 cm from the screen; at 22 cm it needs about 4.
 */
export const MIN_PX_PER_MODULE = 3;
let warnedDense = false;

/**
 * Development only: says once per page when the code is too dense for a phone to scan, which is what a
 * long H5 link without a short `qrUrl` gives. Names sizes only, never the link (it carries secrets).
 */
export function warnIfDense(svg: SVGSVGElement | null, size: number) {
  const cells = Number(svg?.getAttribute('viewBox')?.split(' ')[3]);
  if (warnedDense || !(cells > 0) || size / cells >= MIN_PX_PER_MODULE) return;
  warnedDense = true;
  console.warn(
    `react-liveness-session: the QR code is ${cells} modules wide (quiet zone included) in ${size} px, ` +
      `${(size / cells).toFixed(1)} px per module; phone cameras need about 4. Have the backend return a short ` +
      '`qrUrl` (the /server handler does), or raise `qr.size`.',
  );
}

/** Lets a test see the warning again. */
export function resetDenseQrWarning() {
  warnedDense = false;
}
