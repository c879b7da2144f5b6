// The SDK as a service installs it: compiled by its own tsconfig, loaded through its package.json exports by plain
// Node (no TypeScript loader), and without the frameworks it does not use.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { ROOT, tempDir } from '../support/processes.js';

describe('the SDK package', () => {
  it('builds, and every entry point of its exports loads in plain Node, with types beside it', { timeout: 120_000 }, (t) => {
    const project = tempDir(t);
    const installed = join(project, 'node_modules', '@latchkey', 'sdk');
    mkdirSync(installed, { recursive: true });
    const tsc = join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc');
    execFileSync(process.execPath, [tsc, '-p', join(ROOT, 'sdk', 'tsconfig.json'), '--outDir', join(installed, 'dist')], { stdio: 'pipe' });
    copyFileSync(join(ROOT, 'sdk', 'package.json'), join(installed, 'package.json'));

    const manifest = JSON.parse(readFileSync(join(installed, 'package.json'), 'utf8')) as { exports: Record<string, { types: string; default: string }>; dependencies?: object };
    assert.equal(manifest.dependencies, undefined, 'no runtime dependencies');
    for (const [entry, files] of Object.entries(manifest.exports)) {
      assert.ok(existsSync(join(installed, files.types)), `${entry}: ${files.types}`);
      assert.ok(existsSync(join(installed, files.default)), `${entry}: ${files.default}`);
    }
    const script = `
      const sdk = await import('@latchkey/sdk');
      const names = ['express', 'fastify', 'hono'];
      const guards = await Promise.all(names.map((name) => import('@latchkey/sdk/' + name)));
      console.log(JSON.stringify([typeof sdk.LatchkeyClient, typeof sdk.decide, ...guards.map((g) => typeof g.requireApiKey)]));`;
    const out = execFileSync(process.execPath, ['--input-type=module', '-e', script], { cwd: project, encoding: 'utf8', env: { PATH: process.env.PATH ?? '' } });
    assert.deepEqual(JSON.parse(out), ['function', 'function', 'function', 'function', 'function']);
  });
});
