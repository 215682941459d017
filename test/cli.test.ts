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

  it('fails with a one-line reason and a non-zero code', () => {
    for (const [args, pattern] of [
      [['nope'], /unknown command "nope"/],
      [['db', 'init', '--db', 'mysql://x'], /unknown database URL.*\(--db\)/],
      [['db', 'frobnicate'], /unknown db command "frobnicate"/],
      [['db', 'info', '--bogus'], /Unknown option '--bogus'/],
      [['db', 'purge', '--db', `sqlite:${join(dir, 'a.db')}`], /--keep-releases needs a whole number/],
    ] as const) {
      const r = annuaire([...args]);
      assert.notEqual(r.status, 0, args.join(' '));
      assert.match(r.stderr, pattern);
      assert.equal(r.stderr.trim().split('\n').length, 1, r.stderr);
      assert.equal(r.stdout, '');
    }
  });
});
