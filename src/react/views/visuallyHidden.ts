import type { CSSProperties } from 'react';

/**
 * Hidden from sight, heard by screen readers (the live regions). Lengths are written out with their
 * unit: under `nonce` the same properties become a CSS rule (scopedStyleSheet), where a bare 1 is no length.
 */
export const VISUALLY_HIDDEN = {
  position: 'absolute',
  width: '1px',
  height: '1px',
  margin: '-1px',
  padding: 0,
  overflow: 'hidden',
  clip: 'rect(0 0 0 0)',
  whiteSpace: 'nowrap',
  border: 0,
} as const satisfies CSSProperties;
