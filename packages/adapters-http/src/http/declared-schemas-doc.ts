import { METADATA_TIERS, type MetadataTier } from '@userprofile/domain';

/** A JSON Schema object, as a schemas file declares it (the keywords OpenAPI 3.0 shares). */
type Schema = Record<string, unknown>;

/** The document's schemas that carry tiers, and how each shows a tier's declared schema. */
const CARRIERS = {
  UserProfile: 'answer',
  PublicProfile: 'answer',
  NewProfile: 'replace',
  ProfileUpdate: 'replace',
  ProfileMergePatch: 'patch',
} as const;

const ANSWER_WORDS =
  ' Values written before the declared schema changed are answered as stored (ADR 0023).';

/**
 * A merge patch of a value of `schema`: nothing required (the patch names what changes), no
 * count of keys, and `null` allowed for each key (it removes the key). Arrays are replaced
 * whole, so their items keep their schema.
 */
function patchForm(schema: Schema): Schema {
  const {
    required: _required,
    minProperties: _min,
    maxProperties: _max,
    properties,
    additionalProperties,
    ...rest
  } = schema;
  const nullable = (s: unknown) => ({ ...patchForm(s as Schema), nullable: true });
  return {
    ...rest,
    ...(properties
      ? {
          properties: Object.fromEntries(
            Object.entries(properties as Record<string, unknown>).map(([k, s]) => [k, nullable(s)]),
          ),
        }
      : {}),
    ...(additionalProperties === undefined
      ? {}
      : {
          additionalProperties:
            typeof additionalProperties === 'object'
              ? nullable(additionalProperties)
              : additionalProperties,
        }),
  };
}

/**
 * Puts each tier's declared schema on the tier's property of every schema of the document that
 * carries it, keeping the property's own words and `nullable`: as declared in answers, creates
 * and `PUT`s (which replace a tier), as a merge patch of it in `PATCH`es. So the client generated
 * from the document types each tier's fields.
 */
export function embedDeclaredSchemas(
  components: Record<string, unknown> | undefined,
  declared: Partial<Record<MetadataTier, Schema>> | undefined,
): void {
  if (!components || !declared) return;
  for (const [name, form] of Object.entries(CARRIERS)) {
    const carrier = components[name] as { properties?: Record<string, Schema> } | undefined;
    for (const tier of Object.keys(METADATA_TIERS) as MetadataTier[]) {
      const schema = declared[tier];
      const property = carrier?.properties?.[tier];
      if (!schema || !property) continue;
      const shown = form === 'patch' ? patchForm(schema) : schema;
      const words = [property.description, schema.description, form === 'answer' && ANSWER_WORDS]
        .filter(Boolean)
        .join(' ');
      carrier.properties![tier] = {
        ...shown,
        ...(words ? { description: words.replace(/ {2}/g, ' ').trim() } : {}),
        ...(property.nullable ? { nullable: true } : {}),
      };
    }
  }
}
