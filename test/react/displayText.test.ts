import { describe, expect, it } from 'vitest';
import * as locales from '../../src/locales';
import { defaultDisplayTextEn, localeCode, resolveDisplayText } from '../../src/react/text/displayText';
import { firstTextEn } from '../../src/react/text/firstTextEn';
import { laterTextEn } from '../../src/react/text/laterTextEn';
import { sendLinkTextEn } from '../../src/react/sendLink/sendLinkTextEn';

// The component's up-front English and the send-link form's, which loads with the form (issue 24).
const englishKeys = [...Object.keys(defaultDisplayTextEn), ...Object.keys(sendLinkTextEn)].sort();

describe('displayText', () => {
  it('has English text for every key, and the form’s keys are not among the up-front ones', () => {
    expect(englishKeys.length).toBeGreaterThan(10);
    const english = { ...defaultDisplayTextEn, ...sendLinkTextEn } as unknown as Record<string, string>;
    for (const key of englishKeys) expect(english[key]!.trim()).not.toBe('');
    expect(new Set(englishKeys).size).toBe(englishKeys.length);
    expect(Object.keys(sendLinkTextEn).every((key) => key.startsWith('sendLink'))).toBe(true);
  });

  it.each([locales.en, locales.zhCN, locales.zhTW])('locale $code has exactly the English keys, each non-empty', ({ displayText }) => {
    const text = displayText as unknown as Record<string, unknown>;
    expect(Object.keys(text).sort()).toEqual(englishKeys);
    for (const key of englishKeys) {
      expect(typeof text[key], key).toBe('string');
      expect((text[key] as string).trim(), key).not.toBe('');
    }
  });

  it('ships en, zh-CN and zh-TW from react-liveness-session/locales, each under its own code', () => {
    // Beside them, the asset panel's text (issue 26): assetsEn, assetsZhCN, assetsZhTW.
    expect(Object.keys(locales).sort()).toEqual(['assetsEn', 'assetsZhCN', 'assetsZhTW', 'en', 'zhCN', 'zhTW']);
    expect([locales.en.code, locales.zhCN.code, locales.zhTW.code]).toEqual(['en', 'zh-CN', 'zh-TW']);
    // English complete: the up-front strings and the send-link form's, the same objects' values.
    expect(locales.en.displayText).toEqual({ ...defaultDisplayTextEn, ...sendLinkTextEn });
  });

  it('translates: Chinese locales differ from English and from each other where the script differs', () => {
    expect(locales.zhCN.displayText.title).not.toBe(defaultDisplayTextEn.title);
    expect(locales.zhTW.displayText.creatingText).not.toBe(locales.zhCN.displayText.creatingText);
  });

  it('resolveDisplayText uses the locale data, applies overrides per key, and is English for a bare code', () => {
    // Built-in English: the first views' strings up front, every string once the rest has loaded.
    expect(resolveDisplayText(undefined)).toBe(firstTextEn);
    expect(resolveDisplayText('en', undefined, laterTextEn)).toEqual(defaultDisplayTextEn);
    // A bare code carries no text (the text lives in the locale data, so apps ship only what they use).
    expect(resolveDisplayText('zh-CN')).toBe(firstTextEn);
    expect(resolveDisplayText(locales.zhTW)).toBe(locales.zhTW.displayText);
    expect(resolveDisplayText(locales.zhTW, undefined, laterTextEn)).toBe(locales.zhTW.displayText);
    const text = resolveDisplayText(locales.zhTW, { retryButton: 'Again' });
    expect(text.retryButton).toBe('Again');
    expect(text.title).toBe(locales.zhTW.displayText.title);
    // Overrides never mutate the exported locale data.
    expect(locales.zhTW.displayText.retryButton).not.toBe('Again');
    // An override of a later view's string applies before and after that string's English has loaded.
    expect(resolveDisplayText('en', { networkError: 'Offline?' }).networkError).toBe('Offline?');
    expect(resolveDisplayText('en', { networkError: 'Offline?' }, laterTextEn).networkError).toBe('Offline?');
  });

  it('splits English in two with nothing lost: the first views’ strings (up front) and the rest (loaded later)', () => {
    const first = Object.keys(firstTextEn);
    const later = Object.keys(laterTextEn);
    expect(first.filter((key) => later.includes(key))).toEqual([]);
    expect([...first, ...later].sort()).toEqual(Object.keys(defaultDisplayTextEn).sort());
    expect({ ...firstTextEn, ...laterTextEn }).toEqual(defaultDisplayTextEn);
    // What a page shows first is up front: the start button, the loading and ready views, and the error
    // view's heading and retry button; `opened` comes after a scan or a tap, with the rest.
    expect(first).toEqual(expect.arrayContaining(['startButton', 'creatingText', 'qrInstruction', 'linkButton', 'errorTitle', 'retryButton']));
    expect(later).toEqual(expect.arrayContaining(['openedTitle', 'startAgainButton', 'networkError', 'verifiedTitle', 'consentText']));
  });

  it('localeCode reads a code or locale data', () => {
    expect(localeCode(undefined)).toBeUndefined();
    expect(localeCode('zh-TW')).toBe('zh-TW');
    expect(localeCode(locales.zhCN)).toBe('zh-CN');
  });
});
