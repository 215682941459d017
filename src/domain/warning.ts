/**
 * A warning carried with a record: the record is kept and published, the warning is reported. Used where the
 * national data is known to hold values that fail a rule (example numbers with bad keys, retired codes).
 */
export interface RecordWarning {
  /** A short machine code, e.g. `bad-key`, `unknown-code`, `retired-code`. */
  readonly code: string;
  /** The field concerned, in MOS/FHIR vocabulary (e.g. `identifier.rpps`). */
  readonly field: string;
  readonly message: string;
}
