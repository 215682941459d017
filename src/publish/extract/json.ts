/** Reading parsed FHIR JSON without trusting its shape: a missing or mistyped element reads as empty. */
export type Json = Record<string, unknown>;

export const arrayOf = (v: unknown): Json[] => (Array.isArray(v) ? (v as Json[]) : []);

/** A string element, '' when absent or not a string. */
export const text = (v: unknown): string => (typeof v === 'string' ? v : '');

/** The id a relative reference (`Type/id`) points to, '' when it is not of that type. */
export function referenceId(v: unknown, type: string): string {
  const reference = text((v as Json | undefined)?.['reference']);
  return reference.startsWith(`${type}/`) ? reference.slice(type.length + 1) : '';
}
