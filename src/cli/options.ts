/** Option parsing shared by the commands (node:util parseArgs), with errors that name the option. */
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { invalid } from '../error.js';
import { DEFAULT_DB } from '../store/db-url.js';

type Options = NonNullable<ParseArgsConfig['options']>;

export const dbOption = { db: { type: 'string' } } as const satisfies Options;

export function parse<O extends Options>(
  args: readonly string[],
  options: O,
  allowPositionals = false,
): ReturnType<typeof parseArgs<{ args: string[]; options: O; allowPositionals: boolean; strict: true }>> {
  try {
    return parseArgs({ args: [...args], options, allowPositionals, strict: true });
  } catch (e) {
    throw invalid((e as Error).message.split('\n')[0]!);
  }
}

/** --db, then ANNUAIRE_DB, then the embedded default. */
export const dbUrl = (flag: string | undefined, env: Readonly<Record<string, string | undefined>>): string =>
  flag ?? env['ANNUAIRE_DB'] ?? DEFAULT_DB;
