import type { FieldProblem, JsonObject, MetadataSchemas, MetadataTier } from '@userprofile/domain';
import type { CompiledValidators, ValidatorError } from './compiled-validators';

/**
 * The `MetadataSchemas` port on validators that ajv generated at build time (`compile.ts`): no
 * schema is compiled, and no part of ajv's compiler loaded, when the process starts. Each error
 * becomes a problem naming the field at fault by its path from the tier (`metadata.plan`,
 * `appMetadata.roles[0]`), its message in words.
 */
export class StandaloneMetadataSchemas implements MetadataSchemas {
  constructor(private readonly compiled: CompiledValidators) {}

  problemsOf(tier: MetadataTier, value: JsonObject): FieldProblem[] {
    const validate = this.compiled.validators[tier];
    if (!validate || validate(value)) return [];
    const problems = (validate.errors ?? [])
      .filter((error) => !WRAPPERS.has(error.keyword))
      .map((error) => problemOf(tier, value, error));
    const seen = new Set<string>();
    return problems.filter((p) => {
      const key = `${p.field}\n${p.message}`;
      return seen.has(key) ? false : (seen.add(key), true);
    });
  }
}

/** Keywords whose error only says that another error below them exists: that one is reported. */
const WRAPPERS = new Set(['if']);

function problemOf(tier: MetadataTier, value: JsonObject, error: ValidatorError): FieldProblem {
  const at = pathOf(tier, value, error.instancePath);
  const { params } = error;
  switch (error.keyword) {
    case 'required':
      return { field: `${at}.${String(params.missingProperty)}`, message: 'is required' };
    case 'dependentRequired':
      return {
        field: `${at}.${String(params.missingProperty)}`,
        message: `is required when ${String(params.property)} is given`,
      };
    case 'additionalProperties':
      return { field: `${at}.${String(params.additionalProperty)}`, message: 'is not allowed' };
    case 'unevaluatedProperties':
      return { field: `${at}.${String(params.unevaluatedProperty)}`, message: 'is not allowed' };
    case 'propertyNames':
      return { field: `${at}.${String(params.propertyName)}`, message: 'is not an allowed name' };
    case 'enum':
      return {
        field: at,
        message: `must be one of ${(params.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(', ')}`,
      };
    case 'const':
      return { field: at, message: `must be ${JSON.stringify(params.allowedValue)}` };
    default:
      return {
        field: at,
        message: error.message ?? `does not match the schema (${error.keyword})`,
      };
  }
}

/**
 * A JSON Pointer into the tier's value as the domain names fields: keys after a dot, array
 * indexes in brackets (the value tells which a segment is).
 */
function pathOf(tier: MetadataTier, value: JsonObject, pointer: string): string {
  let path: string = tier;
  let node: unknown = value;
  for (const raw of pointer.split('/').slice(1)) {
    const segment = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    if (Array.isArray(node)) {
      path += `[${segment}]`;
      node = node[Number(segment)];
    } else {
      path += `.${segment}`;
      node =
        typeof node === 'object' && node !== null
          ? (node as Record<string, unknown>)[segment]
          : undefined;
    }
  }
  return path;
}
