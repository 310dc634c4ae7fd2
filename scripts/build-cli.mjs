// `npm run build`'s last step: dist/cli.js, the package's bin (see scripts/lib/buildCli.mjs).
import { buildCli } from './lib/buildCli.mjs';
await buildCli();
