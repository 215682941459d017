#!/usr/bin/env node
// Runs every compiled test file (dist/**/*.test.js) with node's built-in test runner. Node 20 does not expand
// globs in `node --test`, hence this list. Extra arguments are passed on (e.g. --test-reporter=spec).
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';

function find(dir) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? find(join(dir, e.name)) : e.name.endsWith('.test.js') ? [join(dir, e.name)] : [],
  );
}

const files = [...find('dist/src'), ...find('dist/test')].sort();
const { status } = spawnSync(process.execPath, ['--test', ...process.argv.slice(2), ...files], {
  stdio: 'inherit',
});
process.exit(status ?? 1);
