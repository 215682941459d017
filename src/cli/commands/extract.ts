/**
 * `annuaire extract --out DIR [--db URL] [--delta-format csv|ndjson]`: writes the public open-data files of the
 * latest release (PS_LibreAcces, MSSanté, CPS/CPF zips named with the release stamp, each with its `.sha256`),
 * and the deltas to the previous extract of each kind found in DIR. One line per file on stdout.
 */
import { invalid } from '../../error.js';
import { DIFF_FORMATS, type DiffFormat } from '../../publish/diff/format.js';
import { extract } from '../../publish/extract/extract.js';
import type { Command } from '../context.js';
import { dbOption, dbUrl, parse } from '../options.js';
import { progressBars, type ProgressBar } from '../progress.js';
import { withStore } from './db.js';

export const EXTRACT_HELP = `annuaire extract --out DIR [--db URL] [--delta-format csv|ndjson]
                                        write the public open-data extracts of the latest release
                                        (PS_LibreAcces, MSSanté, CPS/CPF zips named with its stamp, with
                                        a .sha256 each), and the delta to the previous extract in DIR`;

export const extractCommand: Command = async (args, ctx) => {
  const { values } = parse(args, {
    ...dbOption,
    out: { type: 'string' },
    'delta-format': { type: 'string' },
  });
  if (values.out === undefined || values.out === '') {
    throw invalid('--out is required (the folder the extracts are written to)', '--out');
  }
  const deltaFormat = (values['delta-format'] ?? 'csv') as DiffFormat;
  if (!DIFF_FORMATS.includes(deltaFormat)) {
    throw invalid(`--delta-format must be ${DIFF_FORMATS.join(' or ')}`, '--delta-format');
  }
  const bars = progressBars(ctx.io);
  let bar: ProgressBar | undefined;
  let barLabel = '';
  const result = await withStore(ctx, dbUrl(values.db, ctx.env), (store) =>
    extract({
      store,
      nomenclatures: ctx.nomenclatures(),
      out: values.out!,
      deltaFormat,
      progress: {
        step: (label, done, total) => {
          if (label !== barLabel) {
            bar?.stop();
            bar = bars(`extract ${label}`, total, 'items');
            barLabel = label;
          }
          bar?.update(done);
        },
        finished: () => bar?.stop(),
      },
    }),
  );
  for (const f of [...result.files, ...result.deltas]) {
    ctx.io.out(`${f.name}: ${f.size} bytes, sha256 ${f.sha256}\n`);
  }
  ctx.io.out(
    `release ${result.release} (${result.stamp}): ${result.practitioners} practitioners extracted\n`,
  );
};
