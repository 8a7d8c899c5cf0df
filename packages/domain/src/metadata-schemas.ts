import type { FieldProblem } from './errors';
import { isPlainObject, type JsonObject } from './json';
import type { MetadataSchemas } from './ports';
import { METADATA_TIERS, type MetadataTier } from './profile-fields';

/** No declared schema for any tier: every tier that passes the domain's own rules is valid. */
export const NO_METADATA_SCHEMAS: MetadataSchemas = { problemsOf: () => [] };

const TIERS = Object.keys(METADATA_TIERS) as MetadataTier[];

/**
 * Holds each tier a write touches to its declared schema, as the write leaves it: the whole tier
 * after the merge (a merge patch of one key is checked with the keys it keeps), and a removed
 * tier as `{}` (removing it cannot dodge a `required`). Tiers the write leaves alone are not
 * checked, so a profile stored before a stricter schema still takes changes to its other fields.
 * A tier the domain's own rules already refused is not checked again.
 */
export function checkDeclaredSchemas(
  problems: FieldProblem[],
  next: Partial<Record<MetadataTier, JsonObject>>,
  body: Record<string, unknown>,
  schemas: MetadataSchemas,
): void {
  for (const tier of TIERS) {
    if (body[tier] === undefined) continue;
    if (problems.some((p) => p.field === tier || p.field.startsWith(`${tier}.`))) continue;
    const value = next[tier] ?? {};
    if (isPlainObject(value)) problems.push(...schemas.problemsOf(tier, value));
  }
}
