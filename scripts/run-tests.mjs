// Runs the test suite with Node's test runner: every test/**/*.test.ts, or the files and folders given.
// Node 20's runner has no glob support, so the files are found here.
import { spawn } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

function testFiles(path) {
  if (statSync(path).isFile()) return [path];
  return readdirSync(path, { withFileTypes: true })
    .flatMap((entry) => {
      const child = join(path, entry.name);
      if (entry.isDirectory()) return entry.name === 'node_modules' ? [] : testFiles(child);
      return entry.name.endsWith('.test.ts') ? [child] : [];
    })
    .sort();
}

const args = process.argv.slice(2);
const files = (args.length > 0 ? args : ['test']).flatMap(testFiles);
const child = spawn(process.execPath, ['--import', 'tsx', '--test', '--test-concurrency=2', ...files], { stdio: 'inherit' });
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
