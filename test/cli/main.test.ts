import assert from 'node:assert/strict';
import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { describe, it } from 'node:test';
import { generateKey } from '../../src/core/key-format.js';
import { cliWorld, lines } from './cli-harness.js';

describe('latchkey: arguments, exit codes and one-line errors', () => {
  it('answers each bad argument with one line naming it and exit code 2', async (t) => {
    const world = cliWorld(t);
    const cases: [string[], RegExp][] = [
      [['key', 'create', '--name', 'x', '--env', 'production'], /required option '--tenant <tenant-id>' not specified/],
      [['key', 'create', '--tenant', 'ten_x', '--name', 'x', '--env', 'prod'], /'--env <environment>' argument 'prod' is invalid\. Use one of production, staging, development/],
      [['key', 'create', '--tenant', 'ten_x', '--name', 'x', '--env', 'production', '--rpm', 'fast'], /'--rpm <n>' argument 'fast' is invalid/],
      [['key', 'create', '--tenant', 'ten_x', '--name', 'x', '--env', 'production', '--rpm', '0'], /'--rpm <n>'.*at least 1/],
      [['key', 'create', '--tenant', 'ten_x', '--name', 'x', '--env', 'production', '--expires', 'tomorrow'], /'--expires <time>' argument 'tomorrow' is invalid/],
      [['key', 'list', '--tenant', 'ten_x', '--status', 'dead'], /'--status <status>' argument 'dead' is invalid\. Use one of active, inactive, expired, revoked/],
      [['key', 'rotate', 'key_x', '--grace', '-5'], /--grace/],
      [['tenant', 'create', '--name', 'A', '--status', 'closed'], /Use one of active, pending, suspended/],
      [['member', 'add', '--tenant', 'ten_x', '--email', 'a@example.com', '--role', 'boss'], /Use one of owner, admin, developer, viewer/],
      [['tenant', 'update', 'ten_x'], /needs at least one of --name, --plan, --status/],
      [['check', '--url', 'localhost:8080', '--key', 'k', '--tenant', 't'], /--url <url>' must be an http:\/\/ or https:\/\/ URL/],
      [['nonsense'], /unknown command 'nonsense'/],
      [['tenant', 'list', '--colour'], /unknown option '--colour'/],
    ];
    for (const [args, message] of cases) {
      const run = await world.run(args);
      assert.equal(run.code, 2, `${args.join(' ')} → ${run.stderr}`);
      assert.equal(lines(run.stderr).length, 1, `one line for ${args.join(' ')}: ${run.stderr}`);
      assert.match(run.stderr, /^latchkey: /);
      assert.match(run.stderr, message);
      assert.equal(run.stdout, '', 'nothing on stdout');
    }
  });

  it('exits 0 for `help` and `help <command>`, which ask for help, and 2 for a missing command', async (t) => {
    const world = cliWorld(t);
    for (const args of [['help'], ['help', 'key'], ['help', 'key', '--json']]) {
      const run = await world.run(args);
      assert.equal(run.code, 0, args.join(' '));
      assert.match(run.stdout, /^Usage: latchkey/);
      assert.equal(run.stderr, '', args.join(' '));
    }
    assert.equal((await world.run(['key'])).code, 2);
  });

  it('never repeats a key pasted where an id belongs, in the line or the JSON error', async (t) => {
    const world = cliWorld(t);
    const secret = generateKey('production');
    for (const args of [['key', 'revoke', secret], ['key', 'show', secret, '--json'], ['tenant', 'show', secret]]) {
      const run = await world.run(args);
      assert.equal(run.code, 1, args.join(' '));
      assert.match(run.stderr, /lk_live_\[redacted\]/);
      assert.equal(run.stderr.includes(secret), false);
    }
  });

  it('never repeats a key given as an option value in the JSON fields of a usage error', async (t) => {
    const world = cliWorld(t);
    const secret = generateKey('production');
    const tenantId = (await world.run(['tenant', 'create', '--name', 'Acme', '--json'])).json().id as string;
    for (const option of ['--allow-ip', '--scope']) {
      const run = await world.run(['key', 'create', '--json', '--tenant', tenantId, '--name', 'x', '--env', 'production', option, secret]);
      assert.equal(run.code, 2, option);
      assert.ok((run.error().fields ?? []).length > 0, run.stderr);
      assert.match(run.stderr, /lk_live_\[redacted\]/);
      assert.equal(run.stderr.includes(secret.slice(8)), false, run.stderr);
    }
  });

  it('points a usage error at the help of the command that was run', async (t) => {
    const run = await cliWorld(t).run(['key', 'create', '--tenant', 'ten_x', '--name', 'x', '--env', 'qa']);
    assert.match(run.stderr, /\(see latchkey key create --help\)$/m);
  });

  it('gives a JSON error object on stderr with --json, before or after the command', async (t) => {
    const world = cliWorld(t);
    for (const args of [['--json', 'key', 'list', '--tenant', 'ten_missing'], ['key', 'list', '--tenant', 'ten_missing', '--json']]) {
      const run = await world.run(args);
      assert.equal(run.code, 1);
      assert.equal(run.stdout, '');
      assert.deepEqual(run.error(), { code: 'not_found', details: 'No tenant ten_missing.' });
    }
    const usage = await world.run(['key', 'create', '--json', '--tenant', 'ten_x', '--name', 'x', '--env', 'prod']);
    assert.equal(usage.code, 2);
    assert.equal(usage.error().code, 'invalid_arguments');
    const none = await world.run(['--json']);
    assert.equal(none.code, 2);
    assert.equal(none.error().code, 'invalid_arguments');
  });

  it('takes a value the service refuses for a bad argument: exit 2, one line naming the option with the reason', async (t) => {
    const world = cliWorld(t);
    const tenant = (await world.run(['tenant', 'create', '--name', 'Acme', '--json'])).json();
    const key = ['key', 'create', '--tenant', tenant.id, '--env', 'production'];
    const member = ['member', 'add', '--tenant', tenant.id, '--role', 'viewer'];
    const cases: [string[], RegExp][] = [
      [[...key, '--name', 'x', '--scope', 'BAD'], /^latchkey: option '--scope <scope>': "BAD" is not a scope like "sites:read" \(see latchkey key create --help\)$/],
      [[...key, '--name', 'x', '--allow-ip', '999.1.1.1'], /^latchkey: option '--allow-ip <cidr>': "999\.1\.1\.1" is not an IP address/],
      [[...key, '--name', 'a\tb'], /^latchkey: option '--name <name>': must not contain control characters/],
      [[...member, '--email', 'bad'], /^latchkey: option '--email <email>': must be an e-mail address \(see latchkey member add --help\)$/],
      [[...member, '--email', 'b@example.com', '--phone', '12345'], /^latchkey: option '--phone <phone>': must be in E\.164 form/],
      [['tenant', 'create', '--name', ''], /^latchkey: option '--name <name>': must be 1-200 characters \(see latchkey tenant create --help\)$/],
      [['tenant', 'update', tenant.id, '--key-prefix', 'ABC'], /^latchkey: option '--key-prefix <prefix>': must be 2-12 characters/],
      [['root-token', 'create', '--name', ''], /^latchkey: option '--name <name>': must be 1-100 characters \(see latchkey root-token create --help\)$/],
    ];
    for (const [args, message] of cases) {
      const run = await world.run(args);
      assert.equal(run.code, 2, `${args.join(' ')} → ${run.stderr}`);
      assert.equal(lines(run.stderr).length, 1, run.stderr);
      assert.match(lines(run.stderr)[0] ?? '', message);
      assert.equal(run.stdout, '');
    }
    const both = await world.run([...key, '--name', 'x', '--scope', 'Sites', '--allow-ip', '10.0.0.0/99']);
    assert.equal(both.code, 2);
    assert.match(lines(both.stderr)[0] ?? '', /^latchkey: option '--scope <scope>': .*; option '--allow-ip <cidr>': .*\(see latchkey key create --help\)$/);
  });

  it('lists the refused options in the JSON error, under the documented shape', async (t) => {
    const world = cliWorld(t);
    const tenant = (await world.run(['tenant', 'create', '--name', 'Acme', '--json'])).json();
    const run = await world.run(['member', 'add', '--tenant', tenant.id, '--role', 'viewer', '--email', 'bad', '--phone', '12345', '--json']);
    assert.equal(run.code, 2);
    assert.equal(run.stdout, '');
    assert.deepEqual(run.error(), {
      code: 'invalid_arguments',
      details: "option '--email <email>': must be an e-mail address; option '--phone <phone>': must be in E.164 form, such as +14155550100 (see latchkey member add --help)",
      fields: [
        { field: '--email', message: 'must be an e-mail address' },
        { field: '--phone', message: 'must be in E.164 form, such as +14155550100' },
      ],
    });
  });

  it('lists the option in the JSON error when the argument parser refuses it, too', async (t) => {
    const world = cliWorld(t);
    const cases: [string[], { field: string; message: string }][] = [
      [['key', 'create', '--tenant', 't', '--name', 'x', '--env', 'prod'], { field: '--env', message: "'prod' is invalid. Use one of production, staging, development." }],
      [['key', 'create', '--tenant', 't', '--name', 'x', '--env', 'production', '--rpm', 'fast'], { field: '--rpm', message: "'fast' is invalid. Use a whole number of at least 1." }],
      [['key', 'list', '--tenant', 't', '--status', 'weird'], { field: '--status', message: "'weird' is invalid. Use one of active, inactive, expired, revoked." }],
      [['key', 'create', '--tenant', 't', '--name', 'x'], { field: '--env', message: 'is required' }],
      [['key', 'list', '--tenant'], { field: '--tenant', message: 'needs a value' }],
      [['key', 'list', '--tenant', 't', '--colour'], { field: '--colour', message: 'is not an option of this command' }],
    ];
    for (const [args, field] of cases) {
      const run = await world.run([...args, '--json']);
      assert.equal(run.code, 2, args.join(' '));
      assert.equal(run.error().code, 'invalid_arguments');
      assert.deepEqual(run.error().fields, [field], args.join(' '));
    }
    // Too many arguments names no option.
    assert.equal((await world.run(['key', 'show', 'key_a', 'key_b', '--json'])).error().fields, undefined);
  });

  it('stops on a bad setting with one line naming the variable, and no stack trace', async (t) => {
    const world = cliWorld(t);
    const run = await world.run(['tenant', 'list'], { LATCHKEY_ROOT_TOKEN: 'short' });
    assert.equal(run.code, 1);
    assert.deepEqual(lines(run.stderr), ['latchkey: LATCHKEY_ROOT_TOKEN must be at least 32 characters long']);
    const json = await world.run(['tenant', 'list', '--json'], { LATCHKEY_DATABASE_URL: 'mysql://nope' });
    assert.equal(json.code, 1);
    assert.equal(json.error().code, 'invalid_config');
    assert.match(json.error().details, /LATCHKEY_DATABASE_URL/);
  });

  it('reports an unreachable database in one line that names the setting to check', async (t) => {
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    await new Promise((resolve) => server.close(resolve));
    const run = await cliWorld(t).run(['tenant', 'list'], { LATCHKEY_DATABASE_URL: `postgres://127.0.0.1:${port}/latchkey` });
    assert.equal(run.code, 1);
    assert.deepEqual(lines(run.stderr), [`latchkey: connect ECONNREFUSED 127.0.0.1:${port} (is the database of LATCHKEY_DATABASE_URL reachable?)`]);
    const json = await cliWorld(t).run(['tenant', 'list', '--json'], { LATCHKEY_DATABASE_URL: `postgres://127.0.0.1:${port}/latchkey` });
    assert.equal(json.error().code, 'unavailable', "the contract's code for storage out of reach");
  });

  it('prints help and the version with exit code 0, and help on stderr with code 2 when no command is given', async (t) => {
    const world = cliWorld(t);
    const help = await world.run(['--help']);
    assert.equal(help.code, 0);
    assert.match(help.stdout, /Usage: latchkey/);
    assert.match(help.stdout, /Exit codes: 0 done, 1 the command failed, 2 bad arguments/);
    const subHelp = await world.run(['key', 'create', '--help']);
    assert.equal(subHelp.code, 0);
    assert.match(subHelp.stdout, /--allow-ip <cidr>/);
    assert.match(subHelp.stdout, /--json/, 'the global --json shows in every command help');
    const version = await world.run(['--version']);
    assert.equal(version.code, 0);
    assert.match(version.stdout, /^\d+\.\d+\.\d+\n$/);
    for (const args of [['--version', '--json'], ['--json', '-V']]) {
      const json = await world.run(args);
      assert.equal(json.code, 0);
      assert.deepEqual(json.json(), { version: version.stdout.trim() }, `${args.join(' ')} prints JSON`);
      assert.equal(json.stderr, '');
    }
    const bare = await world.run([]);
    assert.equal(bare.code, 2);
    assert.match(bare.stderr, /Usage: latchkey/);
  });
});
