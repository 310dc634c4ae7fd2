// Size budgets, checked by `npm test` (size-limit). Each check bundles an import the way an app's
// production build does: esbuild, minified, tree-shaken, `process.env.NODE_ENV` set to "production"
// (so development-only warnings drop out), peers external. `npm run bench` measures the same way.
// The client limits sit about 0.25 KB above the sizes measured once the lifecycle moved into core
// (component 10.24 kB, hook 6.54 kB): it now polls, keeps the server's clock and resumes on its own
// instead of leaning on useQuery. Issue 11's target of 8.5 / 5.5 KB is not met.
const PEERS = ['react', 'react-dom', '@tanstack/react-query'];
const production = (config) => ({ ...config, define: { ...config.define, 'process.env.NODE_ENV': '"production"' } });

export default [
  {
    name: '<LivenessSession>, own code = what a phone in link mode loads (import { LivenessSession }; peers and qrcode.react external)',
    path: 'dist/index.js',
    import: '{ LivenessSession }',
    ignore: [...PEERS, 'qrcode.react'],
    limit: '10.5 KB',
  },
  {
    name: '<LivenessSession> with qrcode.react (peers external)',
    path: 'dist/index.js',
    import: '{ LivenessSession }',
    ignore: PEERS,
    limit: '16.8 KB',
  },
  {
    name: 'headless hook (import { useVisualValidateSession }; peers external)',
    path: 'dist/index.js',
    import: '{ useVisualValidateSession }',
    ignore: [...PEERS, 'qrcode.react'],
    limit: '6.8 KB',
  },
  {
    name: 'whole client entry (import *; peers and qrcode.react external)',
    path: 'dist/index.js',
    import: '*',
    ignore: [...PEERS, 'qrcode.react'],
    limit: '10.7 KB',
  },
  {
    name: "one extra locale (import { zhCN } from 'react-liveness-session/locales')",
    path: 'dist/locales.js',
    import: '{ zhCN }',
    limit: '1.5 KB',
  },
  // Issue 12 (retries under a lease, lost-callback checks, idempotent creates, shared budgets in Lua,
  // one-device short links) took the server entry from 10.4 to 16.6 kB; it runs on servers only.
  { name: 'server entry', path: 'dist/server.js', import: '*', limit: '17.5 KB' },
  { name: 'testing entry', path: 'dist/testing.js', import: '*', limit: '5 KB' },
].map((check) => ({ ...check, gzip: true, modifyEsbuildConfig: production }));
