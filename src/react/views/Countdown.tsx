import { useEffect, useState } from 'react';
import type { LivenessDisplayText } from '../text/displayText.js';
import { slot, type LivenessClassNames } from '../slots.js';
import { VISUALLY_HIDDEN } from './visuallyHidden.js';

// A lazily loaded part (lazyParts.ts): only a component with `showCountdown` loads it.

// Screen readers hear the countdown only at these marks, not every second.
const ANNOUNCE_AT_SECONDS = [60, 30, 10];

function formatTime(seconds: number): string {
  const m = Math.floor(seconds / 60);
  const s = seconds % 60;
  return `${m}:${s.toString().padStart(2, '0')}`;
}

/** Seconds left until `expiresAt` on the server's clock (`offsetMs` ahead of this one), ticking once a second while mounted. */
export function useSecondsLeft(expiresAt: string, offsetMs = 0): number {
  const target = Date.parse(expiresAt) - offsetMs;
  // The clock is state, read once a second; what is left is worked out from it in render, so a new
  // `expiresAt` shows at once (not one render later, from an effect).
  const [now, setNow] = useState(Date.now);
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(timer);
  }, []);
  return Math.max(0, Math.ceil((target - now) / 1000));
}

export function Countdown({ expiresAt, offsetMs, displayText, classNames }: { expiresAt: string; offsetMs: number; displayText: LivenessDisplayText; classNames: LivenessClassNames | undefined }) {
  const left = useSecondsLeft(expiresAt, offsetMs);
  const mark = ANNOUNCE_AT_SECONDS.find((s) => left <= s && left > s - 5);
  return (
    <p {...slot('countdown', classNames)}>
      <span aria-hidden="true">{displayText.countdownText.replace('{time}', formatTime(left))}</span>
      <span role="status" aria-live="polite" style={VISUALLY_HIDDEN}>
        {mark === undefined ? '' : displayText.expiringAnnouncement.replace('{seconds}', String(mark))}
      </span>
    </p>
  );
}
