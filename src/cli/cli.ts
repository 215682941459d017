/**
 * The `annuaire` command: dispatches to a command and turns failures into a one-line reason on stderr and a
 * non-zero exit code (the command-line contract of DEVELOPERS.md).
 */
import { AnnuaireError } from '../error.js';
import type { CliContext, Command } from './context.js';
import { db, DB_HELP } from './commands/db.js';
import { diffCommand, DIFF_HELP } from './commands/diff.js';
import { extractCommand, EXTRACT_HELP } from './commands/extract.js';
import { generateCommand, GENERATE_HELP } from './commands/generate.js';
import { importCommand, IMPORT_HELP } from './commands/import.js';
import { keys, KEYS_HELP } from './commands/keys.js';
import { serveCommand, SERVE_HELP } from './commands/serve.js';

const COMMANDS: Readonly<Record<string, Command>> = {
  import: importCommand,
  db,
  generate: generateCommand,
  serve: serveCommand,
  keys,
  diff: diffCommand,
  extract: extractCommand,
};

export const HELP = `Usage: annuaire <command> [options]

The French national directory of health actors (RPPS, FINESS, MSSanté, CPS) as a versioned FHIR store.

Commands:
${IMPORT_HELP.replace(/^/gm, '  ')}
${SERVE_HELP.replace(/^/gm, '  ')}
${KEYS_HELP.replace(/^/gm, '  ')}
${DB_HELP.replace(/^/gm, '  ')}
${EXTRACT_HELP.replace(/^/gm, '  ')}
${DIFF_HELP.replace(/^/gm, '  ')}
${GENERATE_HELP.replace(/^/gm, '  ')}

Common options:
  --db URL     sqlite:PATH (default ./data/annuaire.db) or postgres://… (env ANNUAIRE_DB)
  --help       this help
`;

/** Runs the command line; returns the process exit code. */
export async function runCli(argv: readonly string[], ctx: CliContext): Promise<number> {
  const [name, ...args] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    ctx.io.out(HELP);
    return name === undefined ? 1 : 0;
  }
  const command = COMMANDS[name];
  if (!command) {
    ctx.io.err(`annuaire: unknown command "${name}" (see annuaire --help)\n`);
    return 2;
  }
  if (args.includes('--help')) {
    ctx.io.out(HELP);
    return 0;
  }
  try {
    await command(args, ctx);
    return 0;
  } catch (e) {
    ctx.io.err(`annuaire ${name}: ${describe(e)}\n`);
    return e instanceof AnnuaireError && e.status < 500 ? 2 : 1;
  }
}

function describe(e: unknown): string {
  if (e instanceof AnnuaireError) {
    return e.expression ? `${e.message} (${e.expression})` : e.message;
  }
  // An unexpected failure: still one line, with the underlying message.
  return `internal error: ${e instanceof Error ? e.message : String(e)}`.split('\n')[0]!;
}
