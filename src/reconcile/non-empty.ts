/** `{ key: list }`, or nothing when the list is empty: FHIR JSON never has an empty array. */
export const nonEmpty = <K extends string, T>(key: K, list: readonly T[]): { [k in K]?: readonly T[] } =>
  (list.length > 0 ? { [key]: list } : {}) as { [k in K]?: readonly T[] };
