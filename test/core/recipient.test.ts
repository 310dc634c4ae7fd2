// Issue 24: who a link may be sent to. One rule for the server (authoritative) and the component's form:
// an E.164 number for `sms`, one plain ASCII address for `email`; nothing that could smuggle a second
// recipient, a header or a look-alike letter past a person's eyes.
import { describe, expect, it } from 'vitest';
import { isValidRecipient, MAX_EMAIL_LENGTH } from '../../src/core/wire/recipient';

const TEN_KB = 10 * 1024;

describe('isValidRecipient: sms (E.164)', () => {
  it.each(['+447700900123', '+15551234567', '+8613800138000', '+2905123', '+123456789012345'])('takes %s', (to) => {
    expect(isValidRecipient('sms', to)).toBe(true);
  });

  it.each([
    ['empty', ''],
    ['a plus alone', '+'],
    ['no plus', '447700900123'],
    ['a national number', '07700900123'],
    ['country code 0', '+0447700900123'],
    ['too short (6 digits)', '+123456'],
    ['16 digits', '+1234567890123456'],
    ['spaces', '+44 7700 900123'],
    ['hyphens', '+44-7700-900123'],
    ['brackets', '+1 (555) 123-4567'],
    ['a trailing CR/LF', '+447700900123\r\n'],
    ['a line break and a second number', '+447700900123\n+15551234567'],
    ['two numbers, comma', '+447700900123,+15551234567'],
    ['two numbers, semicolon', '+447700900123;+15551234567'],
    ['a letter O for a zero', '+44770090O123'],
    ['full-width digits and plus', '＋４４７７００９００１２３'],
    ['Arabic-Indic digits', '+٤٤٧٧٠٠٩٠٠١٢٣'],
    ['a full-width plus', '＋447700900123'],
    ['a zero-width space', '+4477009\u200b00123'],
    ['a leading space', ' +447700900123'],
    ['an e-mail address', 'name@example.com'],
    ['10 kB of digits', `+${'1'.repeat(TEN_KB)}`],
    ['10 kB of anything', 'x'.repeat(TEN_KB)],
  ])('refuses %s', (_name, to) => {
    expect(isValidRecipient('sms', to)).toBe(false);
  });

  it.each([null, undefined, 447700900123, ['+447700900123'], { to: '+447700900123' }, true])('refuses a %j that is not a string', (to) => {
    expect(isValidRecipient('sms', to)).toBe(false);
  });
});

describe('isValidRecipient: email (one plain address)', () => {
  it.each(['name@example.com', "o'brien+tag@mail.example.co.uk", 'first.last@example.org', 'x@xn--bcher-kva.example', 'name@example.xn--p1ai', 'UPPER@EXAMPLE.COM', `${'a'.repeat(64)}@example.com`])(
    'takes %s',
    (to) => {
      expect(isValidRecipient('email', to)).toBe(true);
    },
  );

  it('takes an address of exactly the longest length, and refuses one character more', () => {
    const domain = `${'d'.repeat(63)}.${'e'.repeat(63)}.${'f'.repeat(63)}.com`;
    const local = 'l'.repeat(MAX_EMAIL_LENGTH - domain.length - 1);
    expect(`${local}@${domain}`).toHaveLength(MAX_EMAIL_LENGTH);
    expect(isValidRecipient('email', `${local}@${domain}`)).toBe(true);
    expect(isValidRecipient('email', `${local}l@${domain}`)).toBe(false);
  });

  it.each([
    ['empty', ''],
    ['no @', 'name'],
    ['no domain', 'name@'],
    ['no local part', '@example.com'],
    ['a single-label domain', 'name@example'],
    ['a one-letter top-level domain', 'name@example.c'],
    ['a numeric top-level domain (an IP)', 'name@127.0.0.1'],
    ['an IP literal', 'name@[127.0.0.1]'],
    ['two @', 'name@@example.com'],
    ['two addresses, comma', 'a@example.com,b@example.com'],
    ['two addresses, semicolon', 'a@example.com;b@example.com'],
    ['two addresses, space', 'a@example.com b@example.com'],
    ['a quoted display name', '"Name" <a@example.com>'],
    ['a display name', 'Name <a@example.com>'],
    ['angle brackets alone', '<a@example.com>'],
    ['a comment', 'a@example.com (me)'],
    ['a header injected after CR/LF', 'a@example.com\r\nBcc: everyone@example.net'],
    ['a trailing LF', 'a@example.com\n'],
    ['a tab', 'a\t@example.com'],
    ['a leading space', ' a@example.com'],
    ['a trailing space', 'a@example.com '],
    ['a NUL', 'a@example.com\u0000'],
    ['a Cyrillic а in the local part', 'nаme@example.com'],
    ['a Cyrillic а in the domain', 'name@exаmple.com'],
    ['a Greek ο in the domain', 'name@gοogle.com'],
    ['a full-width letter', 'ｎame@example.com'],
    ['a full-width @', 'name＠example.com'],
    ['a zero-width space', 'name@example.com\u200b'],
    ['a right-to-left override', 'name@example.com\u202e'],
    ['an internationalised domain (not in punycode)', 'name@bücher.example'],
    ['percent-hack routing', 'user%other.example@example.com'],
    ['bang-path routing', 'host!user@example.com'],
    ['a leading dot', '.name@example.com'],
    ['two dots', 'na..me@example.com'],
    ['a trailing dot in the local part', 'name.@example.com'],
    ['a hyphen starting a label', 'name@-example.com'],
    ['a trailing dot in the domain', 'name@example.com.'],
    ['a 65-character local part', `${'a'.repeat(65)}@example.com`],
    ['a 64-character label', `name@${'a'.repeat(64)}.com`],
    ['a backslash', 'na\\me@example.com'],
    ['a phone number', '+447700900123'],
    ['10 kB', `${'a'.repeat(TEN_KB)}@example.com`],
    ['10 kB of dotted labels', `name@${'a.'.repeat(TEN_KB / 2)}com`],
  ])('refuses %s', (_name, to) => {
    expect(isValidRecipient('email', to)).toBe(false);
  });

  it.each([null, undefined, 42, ['a@example.com'], { address: 'a@example.com' }])('refuses a %j that is not a string', (to) => {
    expect(isValidRecipient('email', to)).toBe(false);
  });
});
