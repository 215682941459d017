/**
 * The one converter from errors to OperationOutcome (STYLE.md §5). Unknown errors become 500 `exception`
 * without their stack, which is logged, not sent. https://hl7.org/fhir/R4/operationoutcome.html
 */
import { AnnuaireError, type IssueCode } from '../error.js';

export interface Outcome {
  readonly status: number;
  readonly json: string;
}

export function toOperationOutcome(error: unknown): Outcome {
  if (error instanceof AnnuaireError) {
    const issue = {
      severity: error.status >= 500 ? 'fatal' : 'error',
      code: error.code,
      diagnostics: error.message,
      ...(error.expression ? { expression: [error.expression] } : {}),
    };
    return {
      status: error.status,
      json: JSON.stringify({ resourceType: 'OperationOutcome', issue: [issue] }),
    };
  }
  return {
    status: 500,
    json: outcomeJson('fatal', 'exception', ['internal error: the server logged it; try again or report it']),
  };
}

/** An OperationOutcome with one issue per message. */
export function outcomeJson(
  severity: 'fatal' | 'error' | 'warning' | 'information',
  code: IssueCode,
  messages: readonly string[],
): string {
  return JSON.stringify({
    resourceType: 'OperationOutcome',
    issue: messages.map((diagnostics) => ({ severity, code, diagnostics })),
  });
}
