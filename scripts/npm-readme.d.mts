// Types for npm-readme.mjs, so the tests (test/docs/npmReadme.test.ts) can import it.
/** `git+https://github.com/o/r.git` → `https://github.com/o/r`, from package.json's `repository`. */
export declare function repositoryWebUrl(pkg: { repository?: string | { url?: string } }): string;
/** The README npm shows, made from the repository's. */
export declare function npmReadme(text: string, webUrl: string): string;
