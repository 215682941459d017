#!/usr/bin/env node
// `npm start [-- FILE...]`: the main job on the embedded SQLite store (./data/annuaire.db, or ANNUAIRE_DB):
// imports the national files given, or, when none is given, a generated sample (data/sample, made once,
// deterministic), then describes the store. Each step is the `annuaire` command, as a cron job would run it.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { NODE_FLAGS } from './node-flags.js';

const SAMPLE = join('data', 'sample');
const SCALE = process.env.ANNUAIRE_SAMPLE_SCALE ?? '0.01';

function annuaire(...args) {
  const r = spawnSync(process.execPath, [...NODE_FLAGS, 'bin/annuaire.js', ...args], { stdio: 'inherit' });
  if (r.status !== 0) {
    process.exit(r.status ?? 1);
  }
}

let files = process.argv.slice(2);
if (files.length === 0) {
  if (!existsSync(join(SAMPLE, '.complete'))) {
    console.error(
      `annuaire: no file given, generating a sample national dataset (scale ${SCALE}) in ${SAMPLE}`,
    );
    annuaire('generate', '--out', SAMPLE, '--scale', SCALE, '--seed', '1');
    writeFileSync(join(SAMPLE, '.complete'), '');
  }
  files = readdirSync(SAMPLE)
    .filter((f) => !f.startsWith('.'))
    .map((f) => join(SAMPLE, f));
}
annuaire('db', 'init');
annuaire('import', ...files);
annuaire('db', 'info');
