/**
 * The functions' memory size, chosen by measurement: `pnpm bench:memory` measures the Lambda asset
 * under the CPU share of each size (bench/results/memory-sizes.json) and the cheapest size that
 * meets the latency target is the stack's. A test holds `LAMBDA_MEMORY_MB` to that choice.
 */
export const LAMBDA_MEMORY_MB = 512;

/** What `pnpm bench:memory` measured (bench/results/memory-sizes.json). */
export interface MemorySizes {
  measuredAt: string;
  runtime: string;
  coldRuns: number;
  warmCount: number;
  coldShare: number;
  rows: {
    memoryMb: number;
    cpuShare: number;
    coldMs: number;
    warmP50Ms: number;
    warmP99Ms: number;
    usdPerMillion: number;
  }[];
}

/** The latency the functions must meet: a cold start and a warm p99 (ms). */
export const LATENCY_TARGET = { coldMs: 1000, warmP99Ms: 100 };

/** The cheapest measured size that meets the target (the smaller one on a tie). */
export function chosenMemory(m: MemorySizes): MemorySizes['rows'][number] | undefined {
  return m.rows
    .filter(
      (row) => row.coldMs <= LATENCY_TARGET.coldMs && row.warmP99Ms <= LATENCY_TARGET.warmP99Ms,
    )
    .sort((a, b) => a.usdPerMillion - b.usdPerMillion || a.memoryMb - b.memoryMb)[0];
}
