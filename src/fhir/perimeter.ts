/**
 * Perimeters: what a request may see of a stored version (ARCHITECTURE.md "Perimeters and access").
 *
 * Two independent scopes widen the public perimeter (a key may hold both):
 * - `restricted` widens the fields: without it, the elements the IG marks "[Donnée restreinte]" or forbids in
 *   the public profiles (as-dp-practitioner, as-dp-practitionerrole, as-dp-organization) are cut out;
 * - `historized` widens time: without it, only versions current as of the snapshot are served (vread and
 *   _history of past versions are not), and a deactivated resource is served as the official API serves it
 *   to delta clients: id, identifiers, `active: false` (and an Organization's name, a role's references).
 *
 * Restricted (cut from the public perimeter), everywhere: the extensions as-ext-registration,
 * as-ext-digital-certificate, as-ext-education-level, birth place, deceased date, nationality and the
 * PractitionerRole ones the public profile forbids (contracted, hascas, vitale-accepted); a CPS card's
 * `oppositionDate`; a mailbox's `responsible`, `phone` and `listeRouge` metadata, and the whole mailbox when
 * it is on the red list; `identifier.period` and `.assigner`; Assurance Maladie identifiers (numeroAm).
 * Practitioner: birth date, gender, photo, languages, correspondence addresses, any contact point that is not
 * an MSSanté mailbox (correspondence phones, faxes, e-mails), the periods of names and qualifications.
 * PractitionerRole: its period (start of activity), contact points other than MSSanté mailboxes.
 * Organization: `contact` (its contact persons); its own phones and addresses are public (FINESS).
 *
 * Stored resources are public data but for rare elements, so a version is served untouched, without parsing,
 * when its text holds none of the markers of restricted elements (a few substring tests).
 */
import type { StoredVersion } from '../store/store.js';
import type { Access } from './access.js';

const AS = 'https://interop.esante.gouv.fr/ig/fhir/annuaire/StructureDefinition/';

/** Extensions (by the end of their URL) cut out of the public perimeter, wherever they are. */
const RESTRICTED_EXTENSIONS = [
  'as-ext-registration',
  'as-ext-digital-certificate',
  'as-ext-education-level',
  'birth-place',
  'deceased-date-time',
  'nationality',
  'as-ext-practitionerrole-contracted',
  'as-ext-practitionerrole-hascas',
  'as-ext-practitionerrole-vitale-accepted',
  'statut-etat-civil',
] as const;

/** Sub-extensions cut out, by their parent extension. */
const RESTRICTED_SUB_EXTENSIONS: Readonly<Record<string, ReadonlySet<string>>> = {
  [`${AS}as-ext-smartcard`]: new Set(['oppositionDate']),
  [`${AS}as-ext-mailbox-mss-metadata`]: new Set(['responsible', 'phone', 'listeRouge']),
};

interface TypeRules {
  /** Top-level elements cut out. */
  readonly elements: readonly string[];
  /** Arrays whose items lose their `period`. */
  readonly periodsOf: readonly string[];
  /** Only MSSanté mailboxes are public contact points (the public profiles close the telecom slicing). */
  readonly mailboxesOnly: boolean;
}

const RULES: Readonly<Record<string, TypeRules>> = {
  Practitioner: {
    elements: [
      'birthDate',
      'gender',
      'photo',
      'communication',
      'address',
      'deceasedBoolean',
      'deceasedDateTime',
    ],
    periodsOf: ['name', 'qualification', 'identifier'],
    mailboxesOnly: true,
  },
  PractitionerRole: { elements: ['period'], periodsOf: ['identifier'], mailboxesOnly: true },
  Organization: { elements: ['contact'], periodsOf: ['identifier'], mailboxesOnly: false },
};
const NO_RULES: TypeRules = { elements: [], periodsOf: ['identifier'], mailboxesOnly: false };

/**
 * Markers of restricted elements for every type; a text without any is public as it is. Stored text is compact
 * JSON (the store writes it with JSON.stringify), so markers are literal: no whitespace between tokens.
 */
const COMMON_MARKERS = new RegExp(
  [
    ...RESTRICTED_EXTENSIONS,
    'oppositionDate',
    'listeRouge',
    '"url":"responsible"',
    '"url":"phone"',
    '"assigner"',
    'ameli\\.fr',
    '"period":',
  ].join('|'),
);

const MARKERS: Readonly<Record<string, RegExp>> = Object.fromEntries(
  Object.entries(RULES).map(([type, r]) => [type, new RegExp(r.elements.map((e) => `"${e}":`).join('|'))]),
);

const NON_EMAIL_CONTACT = /"system":"(?:phone|fax|sms|pager|url|other)"/;
const EMAIL = '"system":"email"';
const MAILBOX_METADATA = 'as-ext-mailbox-mss-metadata';

/** Whether a resource's text may hold restricted elements (false: it is public as it is). */
export function mayHoldRestricted(resourceType: string, json: string): boolean {
  if (COMMON_MARKERS.test(json) || MARKERS[resourceType]?.test(json) === true) {
    return true;
  }
  if (RULES[resourceType]?.mailboxesOnly === true) {
    // A contact point other than a mailbox: a phone, or more e-mails than mailbox metadata.
    return NON_EMAIL_CONTACT.test(json) || countOf(json, EMAIL) > countOf(json, MAILBOX_METADATA);
  }
  return false;
}

function countOf(text: string, literal: string): number {
  let n = 0;
  for (let at = text.indexOf(literal); at >= 0; at = text.indexOf(literal, at + literal.length)) {
    n++;
  }
  return n;
}

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

/** The JSON text of a resource within the public perimeter of fields (the same string when it already is). */
export function publicFields(resourceType: string, json: string, flagged?: boolean): string {
  // The flag stored with a version is this same test, run when it was written (store/sql/classifier.ts).
  if (json === '' || !(flagged ?? mayHoldRestricted(resourceType, json))) {
    return json;
  }
  const resource = JSON.parse(json) as Json;
  const rules = RULES[resourceType] ?? NO_RULES;
  for (const e of rules.elements) {
    delete resource[e];
  }
  for (const key of rules.periodsOf) {
    const items = resource[key];
    if (Array.isArray(items)) {
      for (const item of items) {
        if (isObject(item)) {
          delete item['period'];
        }
      }
    }
  }
  if (Array.isArray(resource['identifier'])) {
    resource['identifier'] = (resource['identifier'] as unknown[])
      .filter((i) => !(isObject(i) && typeof i['system'] === 'string' && i['system'].includes('ameli')))
      .map((i) => {
        if (isObject(i)) {
          delete i['assigner'];
        }
        return i;
      });
  }
  if (Array.isArray(resource['telecom'])) {
    const kept = (resource['telecom'] as unknown[]).filter(
      (t) => isObject(t) && !onRedList(t) && (!rules.mailboxesOnly || isMailbox(t)),
    );
    if (kept.length > 0) {
      resource['telecom'] = kept;
    } else {
      delete resource['telecom'];
    }
  }
  stripExtensions(resource);
  return JSON.stringify(resource);
}

function metadataOf(contact: Json): Json[] {
  const ext = contact['extension'];
  return Array.isArray(ext)
    ? (ext as unknown[]).filter(
        (e): e is Json => isObject(e) && e['url'] === `${AS}as-ext-mailbox-mss-metadata`,
      )
    : [];
}

/** An MSSanté mailbox: an e-mail with the mailbox metadata or typed MSSANTE. */
function isMailbox(contact: Json): boolean {
  return (
    contact['system'] === 'email' &&
    (metadataOf(contact).length > 0 || /"MSSANTE"/.test(JSON.stringify(contact)))
  );
}

function onRedList(contact: Json): boolean {
  return metadataOf(contact).some(
    (m) =>
      Array.isArray(m['extension']) &&
      (m['extension'] as unknown[]).some(
        (s) => isObject(s) && s['url'] === 'listeRouge' && s['valueBoolean'] === true,
      ),
  );
}

/** Removes restricted extensions and sub-extensions at every depth. */
function stripExtensions(node: unknown): void {
  if (Array.isArray(node)) {
    node.forEach(stripExtensions);
    return;
  }
  if (!isObject(node)) {
    return;
  }
  for (const [key, value] of Object.entries(node)) {
    if ((key === 'extension' || key === 'modifierExtension') && Array.isArray(value)) {
      const kept = (value as unknown[]).filter(
        (e) => !(isObject(e) && typeof e['url'] === 'string' && isRestrictedExtension(e['url'])),
      );
      for (const e of kept) {
        const subs =
          isObject(e) && typeof e['url'] === 'string' ? RESTRICTED_SUB_EXTENSIONS[e['url']] : undefined;
        if (subs && isObject(e) && Array.isArray(e['extension'])) {
          e['extension'] = (e['extension'] as unknown[]).filter(
            (s) => !(isObject(s) && typeof s['url'] === 'string' && subs.has(s['url'])),
          );
        }
      }
      if (kept.length > 0) {
        node[key] = kept;
      } else {
        delete node[key];
      }
    }
    stripExtensions(node[key]);
  }
}

const isRestrictedExtension = (url: string): boolean => RESTRICTED_EXTENSIONS.some((e) => url.endsWith(e));

/** What a deactivated resource keeps outside the historized perimeter (as the official API's delta mode). */
const TOMBSTONE: Readonly<Record<string, readonly string[]>> = {
  Organization: ['name'],
  PractitionerRole: ['practitioner', 'organization'],
  Device: ['status'],
};
const TOMBSTONE_ALWAYS = ['resourceType', 'id', 'meta', 'language', 'identifier', 'active'];

/** The minimal content of a deactivated resource. */
export function tombstone(resourceType: string, json: string): string {
  const resource = JSON.parse(json) as Json;
  const keep = new Set([...TOMBSTONE_ALWAYS, ...(TOMBSTONE[resourceType] ?? [])]);
  return JSON.stringify(Object.fromEntries(Object.entries(resource).filter(([k]) => keep.has(k))));
}

/** A version as an access may see it (its JSON cut to the perimeter; the same object when nothing is cut). */
export type PerimeterView = (v: StoredVersion) => StoredVersion;

export function perimeterOf(access: Access): PerimeterView {
  const restricted = access.scopes.has('restricted');
  const historized = access.scopes.has('historized');
  if (restricted && historized) {
    return (v) => v;
  }
  return (v) => {
    if (v.deleted) {
      return v;
    }
    let json = v.json;
    if (!historized && !v.active) {
      json = tombstone(v.resourceType, json);
    }
    if (!restricted) {
      json = publicFields(v.resourceType, json, v.flagged);
    }
    return json === v.json ? v : { ...v, json };
  };
}

/**
 * Whether an access may see a version in a history or a vread: past versions (replaced as of the snapshot
 * `asOf`) are historized data.
 */
export function maySee(access: Access, v: StoredVersion, asOf: number): boolean {
  return access.scopes.has('historized') || v.replacedIn === undefined || v.replacedIn > asOf;
}
