/**
 * The names of the open-data files in an extractions folder: the official extracts, named with their release
 * stamp (`PS_LibreAcces_YYYYMMDDhhmm.zip`, `Extraction_Correspondance_MSSante_…`, `Porteurs_CPS_CPF_…`), and
 * the deltas between two of them (`PS_LibreAcces_delta_OLDSTAMP_NEWSTAMP.csv`). Each has a `.sha256` beside
 * it. The undated name of a kind (`PS_LibreAcces.zip`, `PS_LibreAcces_delta.csv`) stands for its newest file.
 */

/** The extract families `annuaire extract` writes, in the order it writes them. */
export const EXTRACT_KINDS = [
  'PS_LibreAcces',
  'Extraction_Correspondance_MSSante',
  'Porteurs_CPS_CPF',
] as const;
export type ExtractKind = (typeof EXTRACT_KINDS)[number];

export interface ExtractionName {
  readonly name: string;
  readonly kind: ExtractKind;
  /** The release stamp, `YYYYMMDDhhmm` (for a delta: of its newer extract). */
  readonly stamp: string;
  /** For a delta: the stamp of the older extract. */
  readonly from?: string;
  readonly extension: string;
  /** The name that stands for the newest file like this one (`PS_LibreAcces.zip`). */
  readonly undated: string;
}

const DATED =
  /^(PS_LibreAcces|Extraction_Correspondance_MSSante|Porteurs_CPS_CPF)(?:_delta_(\d{12}))?_(\d{12})\.(zip|txt|csv|ndjson)$/;
const UNDATED =
  /^(PS_LibreAcces|Extraction_Correspondance_MSSante|Porteurs_CPS_CPF)(_delta)?\.(zip|txt|csv|ndjson)$/;

/** A dated file name, or undefined for any other name (temporary files, checksums, strangers). */
export function parseExtractionName(name: string): ExtractionName | undefined {
  const m = DATED.exec(name);
  if (!m) {
    return undefined;
  }
  const kind = m[1] as ExtractKind;
  const from = m[2];
  return {
    name,
    kind,
    stamp: m[3]!,
    ...(from === undefined ? {} : { from }),
    extension: m[4]!,
    undated: `${kind}${from === undefined ? '' : '_delta'}.${m[4]!}`,
  };
}

/** Whether a name is the undated name of a kind (`PS_LibreAcces.zip`). */
export const isUndatedName = (name: string): boolean => UNDATED.test(name);

export const extractName = (kind: ExtractKind, stamp: string): string => `${kind}_${stamp}.zip`;

export const deltaName = (kind: ExtractKind, from: string, to: string, extension: string): string =>
  `${kind}_delta_${from}_${to}.${extension}`;

/** `YYYYMMDDhhmm` (UTC) of an instant. */
export function stampOf(iso: string): string {
  const d = new Date(iso);
  const p = (n: number): string => String(n).padStart(2, '0');
  return `${d.getUTCFullYear()}${p(d.getUTCMonth() + 1)}${p(d.getUTCDate())}${p(d.getUTCHours())}${p(d.getUTCMinutes())}`;
}

/** The `.sha256` file beside a published file. */
export const checksumName = (name: string): string => `${name}.sha256`;
