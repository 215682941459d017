/**
 * `annuaire serve`: the FHIR API on a port, until SIGINT or SIGTERM (then it stops taking connections,
 * finishes the requests in flight and closes the store).
 */
import { invalid } from '../../error.js';
import { buildApp } from '../../http/app.js';
import { DEFAULT_RATE_LIMITS } from '../../http/rate-limits.js';
import type { Command } from '../context.js';
import { dbOption, dbUrl, parse } from '../options.js';

const DEFAULT_EXPORT_DIR = './data/exports';
/** Where `annuaire extract` writes by default in the README's examples, and what /extractions serves. */
const DEFAULT_EXTRACTIONS = './data/extractions';

export const SERVE_HELP = `annuaire serve [--db URL] [--port 8080] [--host 0.0.0.0] [--quiet]
              [--rate-limit ${DEFAULT_RATE_LIMITS.perIp}] [--key-rate-limit ${DEFAULT_RATE_LIMITS.perKey}]
              [--extractions ${DEFAULT_EXTRACTIONS}] [--export-dir ${DEFAULT_EXPORT_DIR}]
              [--history-retention-days N]
                                        serve the FHIR R4 API at /fhir, /health and /metrics (env PORT,
                                        HOST); requests per second per IP and per API key (env
                                        ANNUAIRE_RATE_LIMIT, ANNUAIRE_KEY_RATE_LIMIT); JSON logs on stdout;
                                        the files of annuaire extract at /extractions (env
                                        ANNUAIRE_EXTRACTIONS); $export files in the export dir (env
                                        ANNUAIRE_EXPORT_DIR), kept 24 h; _history?_since reaches N days
                                        back (env ANNUAIRE_HISTORY_RETENTION_DAYS; default: for ever)`;

function perSecond(text: string | undefined, fallback: number, option: string): number {
  if (text === undefined || text === '') {
    return fallback;
  }
  const n = Number(text);
  if (!Number.isInteger(n) || n < 1) {
    throw invalid(`${option}: "${text}" is not a whole number of requests per second`, option);
  }
  return n;
}

export const serveCommand: Command = async (args, ctx) => {
  const { values } = parse(args, {
    ...dbOption,
    port: { type: 'string' },
    host: { type: 'string' },
    quiet: { type: 'boolean' },
    'rate-limit': { type: 'string' },
    'key-rate-limit': { type: 'string' },
    'export-dir': { type: 'string' },
    'history-retention-days': { type: 'string' },
    extractions: { type: 'string' },
  });
  const retentionText = values['history-retention-days'] ?? ctx.env['ANNUAIRE_HISTORY_RETENTION_DAYS'];
  const historyRetentionDays =
    retentionText === undefined || retentionText === '' ? undefined : Number(retentionText);
  if (
    historyRetentionDays !== undefined &&
    !(Number.isInteger(historyRetentionDays) && historyRetentionDays > 0)
  ) {
    throw invalid(
      `--history-retention-days: "${retentionText}" is not a whole number of days (leave it out to keep every change)`,
      '--history-retention-days',
    );
  }
  const exportDir = values['export-dir'] ?? ctx.env['ANNUAIRE_EXPORT_DIR'] ?? DEFAULT_EXPORT_DIR;
  const rateLimits = {
    perIp: perSecond(
      values['rate-limit'] ?? ctx.env['ANNUAIRE_RATE_LIMIT'],
      DEFAULT_RATE_LIMITS.perIp,
      '--rate-limit',
    ),
    perKey: perSecond(
      values['key-rate-limit'] ?? ctx.env['ANNUAIRE_KEY_RATE_LIMIT'],
      DEFAULT_RATE_LIMITS.perKey,
      '--key-rate-limit',
    ),
  };
  const portText = values.port ?? ctx.env['PORT'] ?? '8080';
  const port = Number(portText);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw invalid(`--port: "${portText}" is not a port number`, '--port');
  }
  const store = await ctx.openStore(dbUrl(values.db, ctx.env));
  const app = await buildApp({
    ...ctx.http(store, {
      exportDir,
      ...(historyRetentionDays !== undefined ? { historyRetentionDays } : {}),
    }),
    logger: !values.quiet,
    rateLimits,
    extractions: { dir: values.extractions ?? ctx.env['ANNUAIRE_EXTRACTIONS'] ?? DEFAULT_EXTRACTIONS },
  });
  const host = values.host ?? ctx.env['HOST'] ?? '0.0.0.0';
  try {
    await app.listen({ port, host });
  } catch (e) {
    await store.close();
    throw invalid(`cannot listen on ${host}:${port}: ${(e as Error).message}`, '--port');
  }
  const address = app.server.address();
  ctx.io.err(
    `annuaire serve: FHIR API at http://${host}:${typeof address === 'object' && address ? address.port : port}/fhir\n`,
  );
  await new Promise<void>((resolve) => {
    const stop = (): void => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      resolve();
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
  await app.close();
  await store.close();
};
