// Types for buildCli.mjs, so the tests (which run the doctor as a child process) can import it.
export declare function buildCli(outfile?: string): Promise<string>;
