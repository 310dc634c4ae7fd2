import type { CheckResult, CheckStatus } from './checkResult.js';

const MARK: Record<CheckStatus, string> = { ok: '✓', fail: '✗', warn: '!', skip: '-' };

/** One check as the doctor prints it: `✓ key: ANYFAST_API_KEY is set (the key is never shown).` */
export function reportLine(result: CheckResult): string {
  return `${MARK[result.status]} ${result.check}: ${result.message}`;
}

/** The last line: how many failed and warned. */
export function summaryLine(results: readonly CheckResult[]): string {
  const failed = results.filter((result) => result.status === 'fail').length;
  const warned = results.filter((result) => result.status === 'warn').length;
  const plural = (count: number, word: string) => `${count} ${word}${count === 1 ? '' : 's'}`;
  if (failed === 0 && warned === 0) return 'No problem found.';
  return `${failed === 0 ? 'No check failed' : `${plural(failed, 'check')} failed`}${warned === 0 ? '' : `, ${plural(warned, 'warning')}`}.`;
}

/** `--json`: one document, the same checks and words. */
export function reportJson(results: readonly CheckResult[]): string {
  return `${JSON.stringify({ ok: !results.some((result) => result.status === 'fail'), checks: results }, null, 2)}\n`;
}
