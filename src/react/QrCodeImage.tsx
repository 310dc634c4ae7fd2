import { QRCodeSVG } from 'qrcode.react';
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
 * The only module that imports the QR encoder. It is loaded lazily (see views.tsx), so a phone in
 * link mode never downloads qrcode.react.
 */
export default function QrCodeImage(props: QrCodeImageProps) {
  return <QRCodeSVG {...props} aria-hidden="true" focusable="false" />;
}
