/**
 * Who is asking: the perimeters a request may see. The public perimeter is the default; the restricted and
 * historized ones need an API key with that scope (http/ checks the key, fhir/perimeter.ts applies the
 * perimeter). The two scopes are independent: `restricted` opens restricted fields, `historized` past versions
 * and the full content of deactivated resources; a key may hold both.
 */
import { AnnuaireError } from '../error.js';

export const SCOPES = ['public', 'restricted', 'historized'] as const;
export type Scope = (typeof SCOPES)[number];

export interface Access {
  readonly scopes: ReadonlySet<Scope>;
  /** The key's id, for the audit log and rate limits; undefined without a key. */
  readonly keyId?: string;
  /** Requests per second allowed to the key, when it has a limit of its own. */
  readonly rateLimit?: number;
}

export const PUBLIC_ACCESS: Access = { scopes: new Set(['public']) };

/** Throws 403 unless the access has the scope. */
export function requireScope(access: Access, scope: Scope, what: string): void {
  if (!access.scopes.has(scope)) {
    throw new AnnuaireError(403, 'forbidden', `${what} needs an API key with the ${scope} scope`);
  }
}
