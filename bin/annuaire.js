#!/usr/bin/env node
// The `annuaire` command. The TypeScript sources are compiled to dist/ by `npm run build` (run by npm start,
// npm test and npm run bench).
import { main } from '../dist/src/main.js';

process.exitCode = await main(process.argv.slice(2));
