#!/usr/bin/env node
// The package's command line (`npx react-liveness-session <command>`), built to dist/cli.js as one
// self-contained file: it needs nothing but Node ≥ 20, not even the app's dependencies.
import { readFileSync } from 'node:fs';
import { doctorCommand } from './doctor/doctorCommand.js';

const HELP = `Usage: npx react-liveness-session <command> [options]

Commands:
  doctor      check the API key, publicUrl, a real create and result call, the health route and
              Redis, one line each with the fix (npx react-liveness-session doctor --help)

Options:
  -h, --help      show this help
  -v, --version   show the version
`;

function version(): string {
  try {
    return (JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string }).version;
  } catch {
    return 'unknown';
  }
}

async function main(args: string[]): Promise<number> {
  const [command, ...rest] = args;
  const io = { env: process.env, out: (text: string) => process.stdout.write(text), err: (text: string) => process.stderr.write(text) };
  if (command === undefined || command === '-h' || command === '--help' || command === 'help') {
    io.out(HELP);
    return 0;
  }
  if (command === '-v' || command === '--version') {
    io.out(`${version()}\n`);
    return 0;
  }
  if (command === 'doctor') return doctorCommand(rest, io);
  // The word itself is not echoed: a key pasted by mistake would land in the terminal's scrollback.
  io.err(`react-liveness-session: unknown command.\n\n${HELP}`);
  return 2;
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    // A bug of the command itself: its class only, as everywhere else in this command.
    process.stderr.write(`react-liveness-session: unexpected ${error instanceof Error ? error.name : 'error'}; please report it.\n`);
    process.exitCode = 1;
  },
);
