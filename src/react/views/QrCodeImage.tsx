import { QRCodeSVG } from 'qrcode.react';
import { warnIfDense } from './denseQrWarning.js';
import type { QrLevel } from './qrErrorCorrection.js';

export interface QrCodeImageProps {
  value: string;
  size: number;
  level: QrLevel;
  marginSize: number;
  fgColor: string;
  bgColor: string;
}

/**
 * The only module that imports the QR encoder. It is a lazily loaded part (lazyParts.ts), so a phone in
 * link mode never downloads qrcode.react.
 */
export default function QrCodeImage(props: QrCodeImageProps) {
  // A callback ref sees the drawn code (its viewBox) after every commit; production builds drop it.
  const devRef = process.env.NODE_ENV !== 'production' ? (svg: SVGSVGElement | null) => warnIfDense(svg, props.size) : undefined;
  return <QRCodeSVG {...props} ref={devRef} aria-hidden="true" focusable="false" />;
}
