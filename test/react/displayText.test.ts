import { describe, expect, it } from 'vitest';
import { defaultDisplayText, defaultDisplayTextEn, resolveDisplayText, type LivenessLocale } from '../../src/react/displayText';

const englishKeys = Object.keys(defaultDisplayTextEn).sort();

describe('displayText', () => {
  it('has English text for every key', () => {
    expect(englishKeys.length).toBeGreaterThan(10);
    for (const key of englishKeys) expect((defaultDisplayTextEn as unknown as Record<string, string>)[key]!.trim()).not.toBe('');
  });

  it.each(Object.keys(defaultDisplayText) as LivenessLocale[])('locale %s has exactly the English keys, each non-empty', (locale) => {
    const text = defaultDisplayText[locale] as unknown as Record<string, unknown>;
    expect(Object.keys(text).sort()).toEqual(englishKeys);
    for (const key of englishKeys) {
      expect(typeof text[key], key).toBe('string');
      expect((text[key] as string).trim(), key).not.toBe('');
    }
  });

  it('ships en, zh-CN and zh-TW', () => {
    expect(Object.keys(defaultDisplayText).sort()).toEqual(['en', 'zh-CN', 'zh-TW']);
  });

  it('translates: Chinese locales differ from English and from each other where the script differs', () => {
    expect(defaultDisplayText['zh-CN'].title).not.toBe(defaultDisplayTextEn.title);
    expect(defaultDisplayText['zh-TW'].creatingText).not.toBe(defaultDisplayText['zh-CN'].creatingText);
  });

  it('resolveDisplayText applies overrides per key and falls back to English', () => {
    expect(resolveDisplayText(undefined)).toBe(defaultDisplayTextEn);
    expect(resolveDisplayText('fr' as LivenessLocale)).toBe(defaultDisplayTextEn);
    const text = resolveDisplayText('zh-TW', { retryButton: 'Again' });
    expect(text.retryButton).toBe('Again');
    expect(text.title).toBe(defaultDisplayText['zh-TW'].title);
    // Overrides never mutate the exported defaults.
    expect(defaultDisplayText['zh-TW'].retryButton).not.toBe('Again');
  });
});
