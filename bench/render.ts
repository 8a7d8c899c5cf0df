// Re-renders docs/benchmarks.md from bench/results/latest.json without measuring again.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { renderReport } from './report';
import { readMemorySizes } from './report-saved';
import type { Results } from './results';

const root = join(__dirname, '..');
const results = JSON.parse(
  readFileSync(join(root, 'bench/results/latest.json'), 'utf8'),
) as Results;
writeFileSync(join(root, 'docs/benchmarks.md'), renderReport(results, readMemorySizes()));
