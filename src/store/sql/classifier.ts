/**
 * A classifier of versions: a pure function of a version's type and JSON text whose answer is stored with the
 * version (resource_version.flagged) when it is written, so that readers need not work it out again for every
 * read. The store gives it no meaning; the composition root passes the perimeter's test (may the text hold
 * restricted elements, fhir/perimeter.ts), which a public bulk export otherwise runs on every resource.
 *
 * Given as a module and an export name rather than as a function: the SQLite writer runs in a worker thread
 * (write-worker.ts), which loads the module itself.
 */
export interface ClassifierRef {
  /** The module's URL (file: URL). */
  readonly url: string;
  /** The name of the exported function `(resourceType, json) => boolean`. */
  readonly name: string;
}

export type Classify = (resourceType: string, json: string) => boolean;

export async function loadClassifier(ref: ClassifierRef | undefined): Promise<Classify | undefined> {
  if (ref === undefined) {
    return undefined;
  }
  const fn = ((await import(ref.url)) as Record<string, unknown>)[ref.name];
  if (typeof fn !== 'function') {
    throw new Error(`the classifier ${ref.name} of ${ref.url} is not a function`);
  }
  return fn as Classify;
}

/** The stored flag of a version's canonical text: 1 or 0, or null without a classifier or text (a deletion). */
export const flagOf = (classify: Classify | undefined, type: string, canonical: string): number | null =>
  classify === undefined || canonical === '' ? null : classify(type, canonical) ? 1 : 0;
