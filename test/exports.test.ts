import { expect, it } from 'vitest';

// Every name here is public API: adding one is a feature, removing or renaming one is a breaking change.
it('exports exactly this public surface from the main entry', async () => {
  const names = Object.keys(await import('../src/index')).sort();
  expect(names).toMatchInlineSnapshot(`
    [
      "FailureReason",
      "LivenessError",
      "LivenessErrorCode",
      "LivenessSession",
      "LivenessStatus",
      "SessionStatus",
      "defaultDisplayTextEn",
      "detectInAppBrowser",
      "detectMobile",
      "isLivenessError",
      "livenessQueryKey",
      "parseSessionResponse",
      "parseStatusResponse",
      "sendLinkChannels",
      "useVisualValidateSession",
      "validateLink",
      "visualValidateSessionOptions",
    ]
  `);
});

it('exports the locales as plain data from react-liveness-session/locales', async () => {
  const locales = await import('../src/locales');
  expect(Object.keys(locales).sort()).toEqual(['assetsEn', 'assetsZhCN', 'assetsZhTW', 'en', 'zhCN', 'zhTW']);
  // Plain data (no functions): a server component can pass it to the client component as a prop.
  for (const locale of Object.values(locales)) expect(JSON.parse(JSON.stringify(locale))).toEqual(locale);
});

it('keeps the public code values stable (they appear in data-state, on the wire and in apps’ switch statements)', async () => {
  const mod = await import('../src/index');
  expect(Object.values(mod.LivenessErrorCode).sort()).toEqual(['aborted', 'http', 'invalid_link', 'invalid_response', 'network', 'timeout', 'unavailable']);
  expect(Object.values(mod.LivenessStatus).sort()).toEqual(['creating', 'error', 'expired', 'failed', 'idle', 'opened', 'ready', 'verified']);
  expect(Object.values(mod.FailureReason).sort()).toEqual(['device', 'liveness', 'unconfirmed', 'unknown']);
  expect(Object.values(mod.SessionStatus).sort()).toEqual(['expired', 'failed', 'pending', 'verified']);
  expect(mod.livenessQueryKey).toEqual(['react-liveness-session']);
});

it('exports exactly this public surface from react-liveness-session/assets (issue 26)', async () => {
  const names = Object.keys(await import('../src/assets')).sort();
  expect(names).toMatchInlineSnapshot(`
    [
      "AssetFailureReason",
      "AssetItemState",
      "AssetRejectionReason",
      "AssetStatus",
      "LIVENESS_FACE_LIMITS",
      "LivenessAssets",
      "defaultAssetsDisplayTextEn",
      "useLivenessAssets",
    ]
  `);
});

it('gives every asset locale every key of the English text', async () => {
  const { assetsZhCN, assetsZhTW } = await import('../src/locales');
  const { defaultAssetsDisplayTextEn } = await import('../src/assets');
  for (const locale of [assetsZhCN, assetsZhTW]) {
    expect(Object.keys(locale.displayText).sort()).toEqual(Object.keys(defaultAssetsDisplayTextEn).sort());
    for (const key of Object.keys(locale.displayText) as (keyof typeof defaultAssetsDisplayTextEn)[]) {
      // The same placeholders as the English text, so no value is left out or shown raw.
      const placeholders = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map((match) => match[1]).sort();
      expect(placeholders(locale.displayText[key]), `${locale.code}.${key}`).toEqual(placeholders(defaultAssetsDisplayTextEn[key]));
    }
  }
});
