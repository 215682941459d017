/**
 * FHIR read and vread. https://hl7.org/fhir/R4/http.html#read
 * A deleted resource answers 410; a past version (vread of other than the current one) is historized data.
 * What is served is cut to the perimeter of the access (perimeter.ts).
 */
import { AnnuaireError, notFound } from '../../error.js';
import type { StoredVersion } from '../../store/store.js';
import { requireScope, type Access } from '../access.js';
import type { FhirContext } from '../context.js';
import { perimeterOf } from '../perimeter.js';
import { checkType } from './resource-type.js';

export async function read(
  ctx: FhirContext,
  access: Access,
  type: string,
  id: string,
): Promise<StoredVersion> {
  checkType(type);
  const v = await ctx.store.read(type, id);
  if (!v) {
    throw notFound(`${type}/${id} is not known`);
  }
  if (v.deleted) {
    throw new AnnuaireError(410, 'deleted', `${type}/${id} was deleted (version ${v.versionId})`);
  }
  return perimeterOf(access)(v);
}

export async function vread(
  ctx: FhirContext,
  access: Access,
  type: string,
  id: string,
  versionId: string,
): Promise<StoredVersion> {
  checkType(type);
  const n = Number(versionId);
  if (!Number.isInteger(n) || n < 1) {
    throw notFound(`${type}/${id}/_history/${versionId}: versions are numbered from 1`);
  }
  const v = await ctx.store.vread(type, id, n);
  if (!v) {
    throw notFound(`${type}/${id} has no version ${versionId}`);
  }
  const current = await ctx.store.read(type, id);
  if (current && current.versionId !== v.versionId) {
    requireScope(access, 'historized', `version ${versionId} of ${type}/${id}, a past version,`);
  }
  if (v.deleted) {
    throw new AnnuaireError(410, 'deleted', `version ${versionId} of ${type}/${id} is its deletion`);
  }
  return perimeterOf(access)(v);
}
