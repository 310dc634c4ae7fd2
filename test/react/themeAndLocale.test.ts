import { describe, expect, it } from 'vitest';
import { themeToCssVariables } from '../../src/react/themeToCssVariables';
import { toWireLocale } from '../../src/react/toWireLocale';
import { en, zhCN, zhTW } from '../../src/locales';

describe('toWireLocale and themeToCssVariables', () => {
  it('maps display locales to the H5 page’s locales', () => {
    expect(toWireLocale('en')).toBe('en');
    expect(toWireLocale('zh-CN')).toBe('zh');
    expect(toWireLocale('zh-TW')).toBe('zh-Hant');
    expect(toWireLocale(undefined)).toBeUndefined();
    // Locale data maps by its code.
    expect([toWireLocale(en), toWireLocale(zhCN), toWireLocale(zhTW)]).toEqual(['en', 'zh', 'zh-Hant']);
  });

  it('maps every theme key but qrForeground (given to the encoder) to its variable, skipping unset or empty ones', () => {
    expect(themeToCssVariables(undefined)).toEqual({});
    expect(themeToCssVariables({ accent: '#f00', radius: '', qrForeground: '#000', qrBackground: '#fff' })).toEqual({
      '--liveness-accent': '#f00',
      '--liveness-qr-background': '#fff',
    });
  });
});
