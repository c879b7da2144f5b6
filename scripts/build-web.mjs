// Builds the dashboard (web/) into dist/web with Vite, as part of `npm run build` (and so `npm install`).
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

if (!existsSync('web/vite.config.ts')) {
  console.log('latchkey: no web/vite.config.ts, so no dashboard to build');
  process.exit(0);
}
// vite's package exports do not expose its bin, so it is run from its folder.
const vite = 'node_modules/vite/bin/vite.js';
const result = spawnSync(process.execPath, [vite, 'build', '--config', 'web/vite.config.ts', '--logLevel', 'warn'], { stdio: 'inherit' });
process.exit(result.status ?? 1);
