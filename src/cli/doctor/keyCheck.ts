import { check, type CheckResult } from './checkResult.js';

// Words that sit in example values, never in a key Anyfast issues.
const PLACEHOLDER = /your|placeholder|change[-_ ]?me|replace|example|insert|dummy|todo|not[-_]secret|<|>|\.\.\.|…|x{4,}|\*{3,}/i;

/**
 * The API key as the environment holds it. Every message names the variable, never the value, not even
 * a part or its length: output of this command ends up in tickets and chat.
 */
export function keyCheck(name: string, value: string | undefined): { result: CheckResult; key?: string } {
  const fail = (message: string) => ({ result: check('key', 'fail', `${name} ${message}`) });
  if (value === undefined || value.trim() === '') {
    return fail(`is not set. Export your Anyfast API key (a key of the Byteplus-Direct group) as ${name}, or name the variable that holds it with --key-env NAME.`);
  }
  const key = value.trim();
  if (/^(["']).*\1$/s.test(key)) return fail('is wrapped in quotes. Remove them: your .env loader kept them as part of the key.');
  if (/^bearer\s/i.test(key)) return fail('starts with "Bearer ". Set the key alone: the handler adds "Bearer " itself.');
  if (/\s/.test(key)) return fail('contains spaces or line breaks. Set the key alone, on one line.');
  if (PLACEHOLDER.test(key) || /^(.)\1*$/.test(key) || key.length < 12) {
    return fail("holds a placeholder, not a key. Put the API key from Anyfast's console there (a key of the Byteplus-Direct group).");
  }
  return { result: check('key', 'ok', `${name} is set (the key is never shown).`), key };
}
