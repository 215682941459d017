/**
 * The one error type of Annuaire. Every layer throws it for a failure a caller can act on; the HTTP layer turns
 * it into an OperationOutcome (fhir/outcome.ts) and the CLI into a one-line message and a non-zero exit.
 *
 * The HTTP status travels on the error, never in the OperationOutcome id.
 * Issue codes: https://hl7.org/fhir/R4/valueset-issue-type.html
 */
export type IssueCode =
  | 'invalid'
  | 'structure'
  | 'required'
  | 'value'
  | 'not-found'
  | 'deleted'
  | 'not-supported'
  | 'conflict'
  | 'processing'
  | 'security'
  | 'login'
  | 'forbidden'
  | 'throttled'
  | 'too-costly'
  | 'incomplete'
  | 'exception'
  /** Not an error: an OperationOutcome that informs (an accepted $export). */
  | 'informational';

export class AnnuaireError extends Error {
  constructor(
    readonly status: number,
    readonly code: IssueCode,
    message: string,
    /** Where the problem is: a parameter, a FHIRPath, or `file:line`. */
    readonly expression?: string,
    options?: ErrorOptions,
  ) {
    super(message, options);
    this.name = 'AnnuaireError';
  }
}

export const invalid = (message: string, expression?: string): AnnuaireError =>
  new AnnuaireError(400, 'invalid', message, expression);
export const notFound = (message: string, expression?: string): AnnuaireError =>
  new AnnuaireError(404, 'not-found', message, expression);
export const conflict = (message: string, expression?: string): AnnuaireError =>
  new AnnuaireError(409, 'conflict', message, expression);
export const unprocessable = (message: string, expression?: string): AnnuaireError =>
  new AnnuaireError(422, 'processing', message, expression);
export const internal = (message: string, cause?: unknown): AnnuaireError =>
  new AnnuaireError(500, 'exception', message, undefined, { cause });
