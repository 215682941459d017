// The V8 flags the `annuaire` command runs with (see bin/annuaire.js), for scripts, tests and benchmarks that
// start it with `node bin/annuaire.js`.
export const NODE_FLAGS = ['--max-old-space-size=768', '--max-semi-space-size=32'];
