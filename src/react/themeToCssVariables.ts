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

/**
 * Maps a theme to CSS custom properties; unset keys are left to the stylesheet. A value that could end
 * its declaration or rule (`;`, `{`, `}`, `<`, `>`, `\`) is dropped: with `nonce` the values go into a
 * `<style>` element, where such a value would write CSS (or HTML) of its own.
 */
export function themeToCssVariables(theme: LivenessTheme | undefined): Record<string, string> {
  const style: Record<string, string> = {};
  if (!theme) return style;
  for (const key of Object.keys(VARIABLES) as (keyof typeof VARIABLES)[]) {
    const value = theme[key];
    if (typeof value === 'string' && value !== '' && !/[;{}<>\\]/.test(value)) style[VARIABLES[key]] = value;
  }
  return style;
}

// The live region's "visually hidden" rule, for the `<style>` that replaces inline styles under `nonce`.
const HIDDEN_RULE = 'position:absolute;width:1px;height:1px;margin:-1px;padding:0;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap;border:0';

/**
 * The component's inline styles as one stylesheet scoped to its root (`data-liveness-scope`), for pages
 * whose Content-Security-Policy refuses `style` attributes (a strict `style-src` without
 * `'unsafe-inline'` drops them from server-rendered HTML, and hydration never puts them back).
 */
export function scopedStyleSheet(scope: string, variables: Record<string, string>, placeholderPx: number): string {
  const root = `[data-liveness-scope="${scope}"]`;
  const declarations = Object.entries(variables)
    .map(([name, value]) => `${name}:${value}`)
    .join(';');
  return `${root}{${declarations}}${root} [data-slot=liveRegion]{${HIDDEN_RULE}}${root} [data-slot=placeholder]{min-height:${placeholderPx}px}`;
}
