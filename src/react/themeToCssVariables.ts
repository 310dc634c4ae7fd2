import type { CSSProperties } from 'react';

/** Colours and shape of the default look; each becomes a `--liveness-*` CSS variable on the root. */
export interface LivenessTheme {
  /** Buttons, links, spinner. → `--liveness-accent` */
  accent?: string;
  /** Text colour on the accent (button labels). → `--liveness-accent-foreground` */
  accentForeground?: string;
  /** Text. → `--liveness-foreground` */
  foreground?: string;
  /** Panel background. → `--liveness-background` */
  background?: string;
  /** Secondary text and borders. → `--liveness-muted` */
  muted?: string;
  /** Error text. → `--liveness-danger` */
  danger?: string;
  /** Corner radius of panel and buttons. → `--liveness-radius` */
  radius?: string;
  /** Font stack. → `--liveness-font` */
  font?: string;
  /** QR modules (passed to the encoder, no CSS variable). Keep it dark: phone cameras read dark-on-light best. @default '#000000' */
  qrForeground?: string;
  /** QR background and quiet zone. @default '#ffffff' */
  qrBackground?: string;
}

// qrForeground has no variable: it is passed to the QR encoder, which draws with a literal colour.
const VARIABLES: Record<Exclude<keyof LivenessTheme, 'qrForeground'>, string> = {
  accent: '--liveness-accent',
  accentForeground: '--liveness-accent-foreground',
  foreground: '--liveness-foreground',
  background: '--liveness-background',
  muted: '--liveness-muted',
  danger: '--liveness-danger',
  radius: '--liveness-radius',
  font: '--liveness-font',
  qrBackground: '--liveness-qr-background',
};

/** Maps a theme to CSS custom properties; unset keys are left to the stylesheet. */
export function themeToCssVariables(theme: LivenessTheme | undefined): CSSProperties {
  const style: Record<string, string> = {};
  if (!theme) return style;
  for (const key of Object.keys(VARIABLES) as (keyof typeof VARIABLES)[]) {
    const value = theme[key];
    if (typeof value === 'string' && value !== '') style[VARIABLES[key]] = value;
  }
  return style as CSSProperties;
}
