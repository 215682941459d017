/** The `annuaire` command as people and cron jobs run it: a real process, real files, real exit codes. */
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';

const dir = mkdtempSync(join(tmpdir(), 'annuaire-cli-'));
after(() => rmSync(dir, { recursive: true, force: true }));

function annuaire(
  args: string[],
  env: Record<string, string> = {},
): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, ['bin/annuaire.js', ...args], {
    encoding: 'utf8',
    env: { ...process.env, ANNUAIRE_DB: '', ...env },
    cwd: process.cwd(),
  });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('annuaire command', () => {
  it('lists its commands with --help', () => {
    const r = annuaire(['--help']);
    assert.equal(r.status, 0);
    assert.match(r.stdout, /annuaire db init/);
    assert.match(r.stdout, /--db URL/);
  });

  it('creates, migrates and describes a store', () => {
    const db = `sqlite:${join(dir, 'a.db')}`;
    const init = annuaire(['db', 'init', '--db', db]);
    assert.equal(init.status, 0, init.stderr);
    const latest = /schema migrated from version 0 to (\d+)/.exec(init.stdout)?.[1];
    assert.ok(latest, init.stdout);
    assert.match(
      annuaire(['db', 'init', '--db', db]).stdout,
      new RegExp(`schema is up to date \\(version ${latest}\\)`),
    );
    const info = annuaire(['db', 'info', '--db', db, '--json']);
    assert.equal(info.status, 0, info.stderr);
    const parsed = JSON.parse(info.stdout) as {
      engine: string;
      schemaVersion: number;
      latestSchemaVersion: number;
      releases: number;
    };
    assert.equal(parsed.engine, 'sqlite');
    assert.equal(parsed.schemaVersion, Number(latest));
    assert.equal(parsed.latestSchemaVersion, Number(latest));
    assert.equal(parsed.releases, 0);
    assert.match(annuaire(['db', 'info', '--db', db]).stdout, /engine: +sqlite/);
  });

  it('takes the store from ANNUAIRE_DB', () => {
    const r = annuaire(['db', 'init'], { ANNUAIRE_DB: `sqlite:${join(dir, 'env.db')}` });
    assert.equal(r.status, 0, r.stderr);
    assert.match(
      annuaire(['db', 'info'], { ANNUAIRE_DB: `sqlite:${join(dir, 'env.db')}` }).stdout,
      /env\.db/,
    );
  });

  it('creates, lists and revokes API keys, printing a secret only once', () => {
    const db = `sqlite:${join(dir, 'keys.db')}`;
    assert.equal(annuaire(['db', 'init', '--db', db]).status, 0);
    const created = annuaire([
      'keys',
      'create',
      '--scope',
      'restricted,historized',
      '--name',
      'ARS',
      '--db',
      db,
    ]);
    assert.equal(created.status, 0, created.stderr);
    const id = /^key (k[0-9a-f]{12}) created \(scopes restricted, historized\)$/m.exec(created.stdout)?.[1];
    const secret = /^secret: (ann_[A-Za-z0-9_-]{43})$/m.exec(created.stdout)?.[1];
    assert.ok(id && secret, created.stdout);
    const list = annuaire(['keys', 'list', '--db', db]);
    assert.equal(list.status, 0, list.stderr);
    assert.match(list.stdout, new RegExp(`^${id} +ARS +restricted,historized +\\d{4}-`, 'm'));
    assert.ok(!list.stdout.includes(secret) && !list.stdout.includes(secret.slice(4)));
    const revoke = annuaire(['keys', 'revoke', id, '--db', db]);
    assert.equal(revoke.status, 0, revoke.stderr);
    assert.match(revoke.stdout, new RegExp(`key ${id} revoked at \\d{4}-`));
    const json = JSON.parse(annuaire(['keys', 'list', '--json', '--db', db]).stdout) as {
      id: string;
      revokedAt?: string;
    }[];
    assert.deepEqual(
      json.map((k) => [k.id, typeof k.revokedAt]),
      [[id, 'string']],
    );
    assert.ok(!JSON.stringify(json).includes(secret.slice(4)));
  });

  it('fails with a one-line reason and a non-zero code', () => {
    for (const [args, pattern] of [
      [['nope'], /unknown command "nope"/],
      [['db', 'init', '--db', 'mysql://x'], /unknown database URL.*\(--db\)/],
      [['db', 'frobnicate'], /unknown db command "frobnicate"/],
      [['db', 'info', '--bogus'], /Unknown option '--bogus'/],
      [['db', 'purge', '--db', `sqlite:${join(dir, 'a.db')}`], /--keep-releases needs a whole number/],
      [['keys', 'create', '--db', `sqlite:${join(dir, 'a.db')}`], /--scope is required/],
      [
        ['keys', 'create', '--scope', 'admin', '--db', `sqlite:${join(dir, 'a.db')}`],
        /"admin" is not one of/,
      ],
      [['keys', 'revoke', 'knope', '--db', `sqlite:${join(dir, 'a.db')}`], /there is no API key knope/],
      [
        ['keys', 'list', '--db', `sqlite:${join(dir, 'fresh.db')}`],
        /schema is at version 0.*annuaire db init/,
      ],
    ] as const) {
      const r = annuaire([...args]);
      assert.notEqual(r.status, 0, args.join(' '));
      assert.match(r.stderr, pattern);
      assert.equal(r.stderr.trim().split('\n').length, 1, r.stderr);
      assert.equal(r.stdout, '');
    }
  });
});
