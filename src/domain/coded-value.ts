/**
 * A value from a NOS table, as the national files carry it: the table it belongs to and the code. Displays and
 * canonical URLs are looked up in nomenclature/, so the domain does not depend on the table contents.
 */
export interface CodedValue {
  /** NOS table name, e.g. `TRE_G15-ProfessionSante`. */
  readonly table: string;
  readonly code: string;
  /** The label the source carried, kept when the code is unknown to the table. */
  readonly sourceDisplay?: string;
}
