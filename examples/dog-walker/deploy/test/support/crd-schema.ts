import { readFileSync } from 'node:fs';
import { Ajv, type ErrorObject } from 'ajv';

type Schema = Record<string, unknown>;

/**
 * The API server prunes (or, with strict field validation, rejects) fields a structural schema
 * does not declare. A JSON-schema validator would let them pass, so an object that declares its
 * properties, and neither additionalProperties nor x-kubernetes-preserve-unknown-fields, is made
 * closed: a misspelled or misplaced field is an error here as it is for `kubectl apply
 * --validate=strict`. `metadata` is left open (its schema is only `type: object` in a CRD).
 */
function closeObjects(schema: Schema): Schema {
  const closed: Schema = { ...schema };
  for (const key of ['items', 'additionalProperties'] as const) {
    const child = schema[key];
    if (child && typeof child === 'object') closed[key] = closeObjects(child as Schema);
  }
  const properties = schema.properties as Record<string, Schema> | undefined;
  if (properties) {
    closed.properties = Object.fromEntries(
      Object.entries(properties).map(([name, child]) => [name, closeObjects(child)]),
    );
    if (schema.additionalProperties === undefined && !schema['x-kubernetes-preserve-unknown-fields']) {
      closed.additionalProperties = false;
    }
  }
  return closed;
}

export type CrdValidator = (object: unknown) => string[];

/** A validator for one CRD version's openAPIV3Schema (a JSON file under test/schemas/). */
export function crdValidator(schemaFile: string): CrdValidator {
  const schema = JSON.parse(readFileSync(schemaFile, 'utf8')) as Schema;
  // Kubernetes' own keywords (x-kubernetes-*) and formats (int32, int64...) are not JSON Schema's.
  const ajv = new Ajv({ strict: false, allErrors: true, validateFormats: false });
  const validate = ajv.compile(closeObjects(schema));
  return (object) => {
    if (validate(object)) return [];
    return (validate.errors ?? []).map((error: ErrorObject) => {
      const extra = error.keyword === 'additionalProperties' ? ` (${error.params.additionalProperty})` : '';
      return `${error.instancePath || '/'} ${error.message}${extra}`;
    });
  };
}
