/** The statistics every benchmark reports, in one place. */

/** The median (the mean of the middle two for an even count); NaN for no values. */
export function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  if (s.length === 0) return NaN;
  return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
}

/** The nearest-rank quantile `q` (0..1); NaN for no values. */
export function quantile(xs: readonly number[], q: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(q * s.length))] ?? NaN;
}

/** A progress line on stderr, tagged with the benchmark's name (stdout carries the results). */
export const logger =
  (tag: string) =>
  (message: string): void => {
    process.stderr.write(`[${tag}] ${message}\n`);
  };
