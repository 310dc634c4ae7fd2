// typescript-eslint, resolved from this workspace so that it runs on the TypeScript beside it (6.0) and
// not on the project's TypeScript 7, which has no JavaScript API. The repository's eslint.config.js
// imports it from here.
export { default } from 'typescript-eslint';
