#!/usr/bin/env -S node --max-old-space-size=768 --max-semi-space-size=32
// The `annuaire` command. The TypeScript sources are compiled to dist/ by `npm run build` (run by npm start,
// npm test and npm run bench).
//
// --max-old-space-size: V8 sizes the old generation from the machine's memory and, under the allocation rate of
// a national import, grows it rather than collect: 2.9 GB peak at scale 1 without a ceiling, 1.71 GB with 1 GiB,
// 1.42 GB with 768 MiB. The flag only works at start-up, hence here; scripts that run this file with `node` pass
// it too (NODE_FLAGS in scripts/node-flags.js).
// --max-semi-space-size: the young generation, where a national load's short-lived objects die. Node 20 keeps
// 16 MiB semi-spaces whatever v8.setFlagsFromString says once the heap exists (src/heap-tuning.ts); 32 MiB at
// start-up measured 16% less CPU for the import at scale 0.1 (64 MiB: no better, 85 MB more peak RSS).
import { main } from '../dist/src/main.js';

process.exitCode = await main(process.argv.slice(2));
