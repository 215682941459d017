/**
 * Killing an import at any moment leaves the previous release intact and readable: SIGKILL at random moments of
 * a real `annuaire import` process (reading, writing, committing), then the store is checked as a reader and a
 * later import sees it.
 */
import * as assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import Database from 'better-sqlite3';
import { activityRows, liberalSite, personneActivite, rpps, writeFile } from './support/national-files.js';

const dir = mkdtempSync(join(tmpdir(), 'annuaire-kill-'));
after(() => rmSync(dir, { recursive: true, force: true }));
const db = `sqlite:${join(dir, 'annuaire.db')}`;

/** A Personne_activite file of `n` professionals with a private practice each; `variant` changes their names. */
function extract(name: string, n: number, variant: string): string {
  const rows = Array.from({ length: n }, (_, i) =>
    activityRows({
      rpps: rpps(i + 1),
      nom: `NOM${variant}${i}`,
      prenom: 'JEAN',
      situations: [liberalSite(String(10_000_000_000_000 + i).padStart(14, '0'), `CABINET ${i}`)],
    }),
  ).flat();
  return writeFile(dir, name, personneActivite(rows));
}

const cli = (args: string[]): { status: number | null; stdout: string; stderr: string } => {
  const r = spawnSync(process.execPath, ['bin/annuaire.js', ...args], { encoding: 'utf8' });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
};

function info(): { currentRelease: number; counts: Record<string, { total: number; active: number }> } {
  const r = cli(['db', 'info', '--db', db, '--json']);
  assert.equal(r.status, 0, r.stderr);
  return JSON.parse(r.stdout) as ReturnType<typeof info>;
}

describe('an import killed at any moment', () => {
  it('leaves the previous release intact and readable, every time', async () => {
    const n = 1500;
    const first = extract('PS_LibreAcces_Personne_activite_202611220800.txt', n, 'A');
    const ok = cli(['import', '--db', db, first]);
    assert.equal(ok.status, 0, ok.stderr);
    const before = info();
    assert.equal(before.currentRelease, 1);

    // How long a full import of the next extract takes, to spread the kills over it.
    const next = extract('PS_LibreAcces_Personne_activite_202611230800.txt', n, 'B');
    const probe = join(dir, 'probe.db');
    const t0 = Date.now();
    assert.equal(cli(['import', '--db', `sqlite:${probe}`, first]).status, 0);
    const span = Date.now() - t0;

    const moments: number[] = [];
    for (let k = 0; k < 10; k++) {
      const at = Math.round(Math.random() * span * 1.1);
      moments.push(at);
      const child = spawn(process.execPath, ['bin/annuaire.js', 'import', '--db', db, next], {
        stdio: 'ignore',
      });
      // Listened to from the start: a late kill may find the import already done.
      const exited = new Promise((r) => child.on('exit', r));
      await new Promise((r) => setTimeout(r, at));
      child.kill('SIGKILL');
      await exited;

      const now = info();
      // A kill after the commit point legitimately leaves release 2: then the next kills are of release 3.
      if (now.currentRelease === before.currentRelease) {
        assert.deepEqual(now, before, `killed at ${at} ms (kills so far: ${moments.join(', ')})`);
      } else {
        assert.equal(now.currentRelease, before.currentRelease + 1, `killed at ${at} ms`);
        assert.equal(now.counts['Practitioner']?.total, n);
        Object.assign(before, now);
      }
      const file = new Database(join(dir, 'annuaire.db'), { readonly: true });
      assert.equal(file.pragma('integrity_check', { simple: true }), 'ok', `killed at ${at} ms`);
      file.close();
    }
    // And the store still takes a release.
    const last = cli(['import', '--db', db, next]);
    assert.equal(last.status, 0, last.stderr);
    assert.match(last.stdout, /release \d+: read 1500/);
    // Killed imports leave no staging folder behind once an import has run again.
    const left = readdirSync(tmpdir()).filter((f) => /^annuaire-import-\d+-/.test(f));
    for (const f of left) {
      const pid = Number(/^annuaire-import-(\d+)-/.exec(f)![1]);
      assert.doesNotThrow(
        () => process.kill(pid, 0),
        `staging folder ${f} of a dead process was not removed`,
      );
    }
  });
});
