#!/usr/bin/env node
// The `latchkey` command (package bin): runs the built CLI in dist/ (npm install builds it).
let main;
try {
  ({ main } = await import('../dist/cli/main.js'));
} catch (error) {
  if (error?.code !== 'ERR_MODULE_NOT_FOUND' || !String(error.message).includes('dist')) throw error;
  process.stderr.write('latchkey: the CLI is not built yet; run npm run build (npm install does it too)\n');
  process.exit(1);
}

process.exitCode = await main(process.argv);
// Everything is closed by now; should a stray handle keep the event loop alive, leave anyway
// (the timer is unref'd, so a clean exit never waits for it).
setTimeout(() => process.exit(), 2000).unref();
