import { VISUALLY_HIDDEN } from './views/visuallyHidden.js';

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

// The keys with a variable, each `--liveness-` and the key in kebab case (accentForeground →
// --liveness-accent-foreground). qrForeground has none: it is passed to the QR encoder, which draws with
// a literal colour. A Record, so a key added to LivenessTheme must be listed here (or left out above).
const THEMED: Record<Exclude<keyof LivenessTheme, 'qrForeground'>, 1> = { accent: 1, accentForeground: 1, foreground: 1, background: 1, muted: 1, danger: 1, radius: 1, font: 1, qrBackground: 1 };

/** A camelCase name as CSS writes it: `accentForeground` → `accent-foreground` (CSS variables stay as they are). */
const cssName = (name: string): string => name.replace(/[A-Z]/g, (letter) => `-${letter.toLowerCase()}`);

/**
 * Maps a theme to CSS custom properties; unset keys are left to the stylesheet. A value that could end
 * its declaration or rule (`;`, `{`, `}`, `<`, `>`, `\`) is dropped: with `nonce` the values go into a
 * `<style>` element, where such a value would write CSS (or HTML) of its own.
 */
export function themeToCssVariables(theme: LivenessTheme | undefined): Record<string, string> {
  const style: Record<string, string> = {};
  if (!theme) return style;
  for (const key of Object.keys(THEMED) as (keyof typeof THEMED)[]) {
    const value = theme[key];
    if (typeof value === 'string' && value !== '' && !/[;{}<>\\]/.test(value)) style[`--liveness-${cssName(key)}`] = value;
  }
  return style;
}

/** Style properties as CSS declarations: `{ whiteSpace: 'nowrap', '--x': 'red' }` → `white-space:nowrap;--x:red`. */
const declarations = (style: Record<string, string | number>): string =>
  Object.entries(style)
    .map(([name, value]) => `${cssName(name)}:${value}`)
    .join(';');

/**
 * The component's inline styles as one stylesheet scoped to its root (`data-liveness-scope`), for pages
 * whose Content-Security-Policy refuses `style` attributes (a strict `style-src` without
 * `'unsafe-inline'` drops them from server-rendered HTML, and hydration never puts them back): the theme's
 * variables, the live region's "visually hidden" rule and the placeholder's height.
 */
export function scopedStyleSheet(scope: string, variables: Record<string, string>, placeholderPx: number): string {
  const root = `[data-liveness-scope="${scope}"]`;
  return `${root}{${declarations(variables)}}${root} [data-slot=liveRegion]{${declarations(VISUALLY_HIDDEN)}}${root} [data-slot=placeholder]{min-height:${placeholderPx}px}`;
}
