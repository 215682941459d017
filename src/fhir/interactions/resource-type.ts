import { AnnuaireError } from '../../error.js';
import { RESOURCE_TYPES } from '../search/search-parameters.js';

const SERVED = new Set<string>(RESOURCE_TYPES);

/** Throws 404 for a type this server does not serve (FHIR says 404 for an unknown type on a read). */
export function checkType(type: string): void {
  if (!SERVED.has(type)) {
    throw new AnnuaireError(
      404,
      'not-supported',
      `resource type "${type}" is not served here (served: ${[...SERVED, 'CodeSystem'].join(', ')})`,
    );
  }
}
