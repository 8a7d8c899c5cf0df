import { isPlainObject, type JsonValue } from './json';
import { structuredCopy } from './profile-rules';

/** JSON with sorted keys, to compare content regardless of key order. */
export function canonical(value: unknown): string {
  return JSON.stringify(sortKeys(structuredCopy(value)));
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (isPlainObject(value)) {
    return Object.fromEntries(
      Object.keys(value)
        .sort()
        .map((k) => [k, sortKeys(value[k])]),
    );
  }
  return value as JsonValue;
}
