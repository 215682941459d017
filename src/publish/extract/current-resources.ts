/**
 * The current, active resources of a release as the public perimeter shows them (fhir/perimeter.ts), read
 * through the Store port in keyset-paged batches: memory holds one batch, whatever the size of the store.
 */
import { publicFields } from '../../fhir/perimeter.js';
import type { Resource, SearchCondition, Store } from '../../store/store.js';
import { referenceId } from './json.js';

/** Resources per page: large enough to amortise a query, small enough to keep memory flat. */
export const PAGE = 1000;

const ACTIVE: SearchCondition = { kind: 'active', value: true };

const parse = (resourceType: string, json: string): Resource =>
  JSON.parse(publicFields(resourceType, json)) as Resource;

/** Every match of `where` as of `asOf`, by id, a page at a time. */
export async function* pages(
  store: Store,
  resourceType: string,
  asOf: number,
  where: readonly SearchCondition[],
): AsyncGenerator<Resource[]> {
  let after: string | undefined;
  do {
    const page = await store.search({
      resourceType,
      where,
      asOf,
      sort: { by: 'id' },
      limit: PAGE,
      ...(after === undefined ? {} : { after }),
    });
    if (page.versions.length > 0) {
      yield page.versions.filter((v) => !v.deleted).map((v) => parse(resourceType, v.json));
    }
    after = page.versions.length === PAGE ? page.after : undefined;
  } while (after !== undefined);
}

/** The active resources of a type, a page at a time. */
export const activePages = (store: Store, resourceType: string, asOf: number): AsyncGenerator<Resource[]> =>
  pages(store, resourceType, asOf, [ACTIVE]);

/** The active PractitionerRoles of these practitioners, by practitioner id. */
export async function rolesOf(
  store: Store,
  practitionerIds: readonly string[],
  asOf: number,
): Promise<Map<string, Resource[]>> {
  const byPractitioner = new Map<string, Resource[]>();
  if (practitionerIds.length === 0) {
    return byPractitioner;
  }
  const where: SearchCondition[] = [
    ACTIVE,
    {
      kind: 'match',
      any: practitionerIds.map((id) => ({
        kind: 'reference' as const,
        code: 'practitioner',
        target: `Practitioner/${id}`,
      })),
    },
  ];
  for await (const page of pages(store, 'PractitionerRole', asOf, where)) {
    for (const role of page) {
      const id = referenceId(role['practitioner'], 'Practitioner');
      const list = byPractitioner.get(id) ?? [];
      list.push(role);
      byPractitioner.set(id, list);
    }
  }
  return byPractitioner;
}

/** These Organizations as of the release (active or not), by id. */
export async function organizationsById(
  store: Store,
  ids: readonly string[],
  asOf: number,
): Promise<Map<string, Resource>> {
  const found = new Map<string, Resource>();
  if (ids.length > 0) {
    for await (const page of pages(store, 'Organization', asOf, [{ kind: 'id', ids }])) {
      for (const org of page) {
        found.set(org.id, org);
      }
    }
  }
  return found;
}
