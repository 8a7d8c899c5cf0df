/**
 * Limits in words, built from the constants that enforce them, so that the document's prose and
 * the problems' details cannot drift from the rules (a limit changed is a sentence changed).
 */

const UNITS = [
  [1024 * 1024 * 1024, 'GiB'],
  [1024 * 1024, 'MiB'],
  [1024, 'KiB'],
] as const;

/** `5 MiB`, `16 KiB`, `300 bytes`: the largest binary unit the size is a whole number of. */
export function bytes(n: number): string {
  for (const [size, unit] of UNITS) if (n >= size && n % size === 0) return `${n / size} ${unit}`;
  return `${n} bytes`;
}

const WORDS = ['', 'one', 'two', 'three', 'four', 'five', 'six', 'seven', 'eight', 'nine', 'ten'];
const SPANS = [
  [24 * 60 * 60 * 1000, 'day', 'days'],
  [60 * 60 * 1000, 'hour', 'hours'],
  [60 * 1000, 'minute', 'minutes'],
] as const;

/** `ten minutes`, `24 hours`, `a day`, `15 s`: a duration as a person says it. */
export function duration(ms: number): string {
  for (const [size, one, many] of SPANS) {
    if (ms < size || ms % size !== 0) continue;
    // 24 hours reads better than a day where an expiry is counted in hours.
    if (one === 'day' && ms === size) return '24 hours';
    const count = ms / size;
    return count === 1
      ? `an ${one}`.replace('an minute', 'a minute')
      : `${WORDS[count] ?? count} ${many}`;
  }
  return ms % 1000 === 0 ? `${ms / 1000} s` : `${ms} ms`;
}

/** `64, 256 and 1024`. */
export function list(items: readonly (string | number)[]): string {
  const words = items.map(String);
  return words.length < 2
    ? (words[0] ?? '')
    : `${words.slice(0, -1).join(', ')} and ${words.at(-1)}`;
}

/** `40 megapixels`. */
export const megapixels = (pixels: number): string => `${pixels / 1_000_000} megapixels`;
