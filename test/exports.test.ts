import { expect, it } from 'vitest';

// Every name here is public API: adding one is a feature, removing or renaming one is a breaking change.
it('exports exactly this public surface from the main entry', async () => {
  const names = Object.keys(await import('../src/index')).sort();
  expect(names).toMatchInlineSnapshot(`
    [
      "LivenessError",
      "LivenessErrorCode",
      "LivenessSession",
      "LivenessStatus",
      "SessionStatus",
      "defaultDisplayText",
      "defaultDisplayTextEn",
      "defaultDisplayTextZhCN",
      "defaultDisplayTextZhTW",
      "detectInAppBrowser",
      "detectMobile",
      "isLivenessError",
      "livenessQueryKey",
      "parseSessionResponse",
      "parseStatusResponse",
      "useVisualValidateSession",
      "validateLink",
      "visualValidateSessionOptions",
    ]
  `);
});

it('keeps the public code values stable (they appear in data-state, on the wire and in apps’ switch statements)', async () => {
  const mod = await import('../src/index');
  expect(Object.values(mod.LivenessErrorCode).sort()).toEqual(['aborted', 'http', 'invalid_link', 'invalid_response', 'network', 'timeout']);
  expect(Object.values(mod.LivenessStatus).sort()).toEqual(['creating', 'error', 'expired', 'failed', 'idle', 'ready', 'verified']);
  expect(Object.values(mod.SessionStatus).sort()).toEqual(['expired', 'failed', 'pending', 'verified']);
  expect(mod.livenessQueryKey).toEqual(['react-liveness-session']);
});
