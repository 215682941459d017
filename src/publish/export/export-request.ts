/**
 * The parameters of a Bulk Data kick-off, checked: `_outputFormat`, `_type`, `_since`. Anything the server
 * cannot honour answers 400 rather than being ignored, because a client would take a partial export for a whole
 * one. https://hl7.org/fhir/uv/bulkdata/export.html#query-parameters
 */
import { invalid } from '../../error.js';
import { dateRange } from '../../fhir/search/date.js';

/** The NDJSON formats a client may ask for (the spec's abbreviations included). */
export const OUTPUT_FORMATS: readonly string[] = ['application/fhir+ndjson', 'application/ndjson', 'ndjson'];

/** Parameters the server knows but does not implement: refused, never silently ignored. */
const UNSUPPORTED = ['_elements', '_typeFilter', 'patient', 'includeAssociatedData', '_until'];

export interface ExportRequest {
  /** The resource types to export, in the order given (all served types by default). */
  readonly types: readonly string[];
  /** Only resources whose current version was written by a release committed after this instant. */
  readonly since?: Date;
}

/**
 * Checks the kick-off parameters of a system-level (`level` undefined) or type-level export against the types
 * the server serves.
 */
export function parseExportRequest(
  pairs: readonly (readonly [string, string])[],
  served: readonly string[],
  level?: string,
): ExportRequest {
  const given = new Map<string, string>();
  for (const [key, value] of pairs) {
    if (given.has(key)) {
      throw invalid(`${key} is given twice`, key);
    }
    given.set(key, value);
  }
  const format = given.get('_outputFormat');
  if (format !== undefined && !OUTPUT_FORMATS.includes(format)) {
    throw invalid(
      `_outputFormat: "${format}" is not supported (give ${OUTPUT_FORMATS.join(', ')})`,
      '_outputFormat',
    );
  }
  for (const key of UNSUPPORTED) {
    if (given.has(key)) {
      throw invalid(`${key} is not supported by this server's $export`, key);
    }
  }
  let types: readonly string[] = level === undefined ? served : [level];
  const typeList = given.get('_type');
  if (typeList !== undefined) {
    const asked = [...new Set(typeList.split(',').map((t) => t.trim()))];
    const unknown = asked.filter((t) => !served.includes(t));
    if (asked.some((t) => t === '') || unknown.length > 0) {
      throw invalid(
        `_type: ${unknown.length > 0 ? `"${unknown.join(', ')}" is not served` : 'an empty type'} (served: ${served.join(', ')})`,
        '_type',
      );
    }
    if (level !== undefined && asked.some((t) => t !== level)) {
      throw invalid(`_type: a ${level}/$export exports ${level} only`, '_type');
    }
    types = asked;
  }
  const sinceText = given.get('_since');
  // An instant: a date-time with its zone (https://hl7.org/fhir/R4/datatypes.html#instant).
  if (
    sinceText !== undefined &&
    !/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)$/.test(sinceText)
  ) {
    throw invalid(`_since: "${sinceText}" is not an instant (e.g. 2026-11-22T08:00:00Z)`, '_since');
  }
  return {
    types,
    ...(sinceText !== undefined ? { since: dateRange(sinceText, '_since').low } : {}),
  };
}
