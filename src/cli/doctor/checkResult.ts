/** The checks, in the order the doctor runs and prints them. */
export const CheckName = {
  key: 'key',
  publicUrl: 'publicUrl',
  create: 'create',
  result: 'result',
  health: 'health',
  redis: 'redis',
} as const;
export type CheckName = (typeof CheckName)[keyof typeof CheckName];

/** `ok` ✓, `fail` ✗ (the exit code is 1), `warn` !, `skip` - (not run, and why). */
export const CheckStatus = { ok: 'ok', fail: 'fail', warn: 'warn', skip: 'skip' } as const;
export type CheckStatus = (typeof CheckStatus)[keyof typeof CheckStatus];

/** One line of the doctor's report. `message` says what was found and, unless it passed, what to do. */
export interface CheckResult {
  check: CheckName;
  status: CheckStatus;
  message: string;
}

export const check = (name: CheckName, status: CheckStatus, message: string): CheckResult => ({ check: name, status, message });
