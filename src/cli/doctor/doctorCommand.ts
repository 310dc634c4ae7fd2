import { DOCTOR_HELP, doctorOptions } from './doctorOptions.js';
import { reportJson, reportLine, summaryLine } from './report.js';
import { runDoctor } from './runDoctor.js';

export interface CommandIo {
  env: Record<string, string | undefined>;
  out: (text: string) => void;
  err: (text: string) => void;
}

/** `react-liveness-session doctor [options]`: resolves to the exit code (0 nothing failed, 1 a check failed, 2 a bad command line). */
export async function doctorCommand(args: readonly string[], io: CommandIo): Promise<number> {
  const parsed = doctorOptions(args);
  if ('help' in parsed) {
    io.out(DOCTOR_HELP);
    return 0;
  }
  if ('error' in parsed) {
    io.err(`react-liveness-session doctor: ${parsed.error}\nRun npx react-liveness-session doctor --help for the options.\n`);
    return 2;
  }
  const { options } = parsed;
  if (!options.json) io.out(`react-liveness-session doctor: what a phone and Anyfast will meet\n`);
  const results = await runDoctor(options, io.env, (result) => {
    if (!options.json) io.out(`${reportLine(result)}\n`);
  });
  io.out(options.json ? reportJson(results) : `${summaryLine(results)}\n`);
  return results.some((result) => result.status === 'fail') ? 1 : 0;
}
