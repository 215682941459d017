/**
 * Response formats: FHIR JSON only (`_format` json, application/json or application/fhir+json), pretty-printed
 * on `_pretty=true`. https://hl7.org/fhir/R4/http.html#mime-type
 */
import { AnnuaireError } from '../error.js';

export const FHIR_JSON = 'application/fhir+json; charset=utf-8';

const JSON_FORMATS = new Set(['json', 'application/json', 'application/fhir+json', 'application/json+fhir']);

/** Throws 406 when the request asks only for a format other than JSON. */
export function checkFormat(format: string | undefined, accept: string | undefined): void {
  if (format !== undefined && !JSON_FORMATS.has(format.split(';')[0]!.trim())) {
    throw new AnnuaireError(
      406,
      'not-supported',
      `_format=${format}: only JSON is served (json, application/fhir+json)`,
      '_format',
    );
  }
  if (accept !== undefined && accept !== '') {
    const types = accept.split(',').map((t) => t.split(';')[0]!.trim());
    const ok = types.some((t) => JSON_FORMATS.has(t) || t === '*/*' || t === 'application/*');
    if (!ok) {
      throw new AnnuaireError(
        406,
        'not-supported',
        `Accept: ${accept}: only JSON is served (application/fhir+json)`,
      );
    }
  }
}

export function pretty(json: string, on: boolean): string {
  return on ? JSON.stringify(JSON.parse(json), null, 2) : json;
}
