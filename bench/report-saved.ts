/**
 * The report's sections from the other benchmarks' saved results: `pnpm bench:memory`
 * (bench/results/memory-sizes.json), `pnpm bench:photos` (bench/results/photos-*.json) and
 * `pnpm bench:schemas` (bench/results/schemas.json), `pnpm bench:events`
 * (bench/results/events.json), and `tsx bench/search.ts` (bench/results/search.json) when a run
 * has no search figures of its own.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  chosenMemory,
  LATENCY_TARGET,
  type MemorySizes,
} from '../packages/infra-cdk/src/memory-size';
import { kb, n } from './report-format';
import type { EventLagRun, Results, SearchFigures } from './results';
import type { SchemaRun } from './schemas';

export function memorySection(m: MemorySizes): string[] {
  const chosen = chosenMemory(m);
  return [
    '## 5. Function memory size, by measurement',
    '',
    `\`pnpm bench:memory\` (as root; ${m.measuredAt}, ${m.runtime}) holds the Lambda asset's Node process to the CPU share Lambda gives each memory size, memory / 1,769 MB of one vCPU, with a cgroup v1 CPU quota, and measures a cold start (medians of ${m.coldRuns}) and ${m.warmCount} warm \`GET /users/{id}\` invocations against DynamoDB Local. Cost per million requests: the billed duration (rounded up to 1 ms; the init phase is billed too, for the ${m.coldShare * 100} % of invocations assumed cold) at 0.0000133334 USD per GB-second (arm64), plus 0.20 USD per million requests.`,
    '',
    '| memory | CPU share | cold start | warm p50 | warm p99 | USD per million requests |',
    '| ---: | ---: | ---: | ---: | ---: | ---: |',
    ...m.rows.map(
      (r) =>
        `| ${r.memoryMb} MB | ${r.cpuShare} | ${r.coldMs} ms | ${r.warmP50Ms} ms | ${r.warmP99Ms} ms | ${r.usdPerMillion.toFixed(2)} |`,
    ),
    '',
    `The target: a cold start within ${LATENCY_TARGET.coldMs} ms and a warm p99 within ${LATENCY_TARGET.warmP99Ms} ms. ${
      chosen
        ? `The cheapest size that meets it is **${chosen.memoryMb} MB**, the stack's default (\`LAMBDA_MEMORY_MB\` in profile-functions.ts): below it the CPU share stretches the cold start (or the warm p99) past the target; above it the latency improves and the cost grows with the memory, since the request charge dominates and the billed milliseconds barely shrink.`
        : 'No measured size meets it.'
    } This machine is x64 and its cores are not Graviton's, so the absolute times are indicative; the proportions hold.`,
    '',
  ];
}

/** The last `pnpm bench:memory` figures, if it has been run. */
export function readMemorySizes(): MemorySizes | undefined {
  const file = join(__dirname, 'results/memory-sizes.json');
  return existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as MemorySizes) : undefined;
}

export type { MemorySizes };

/** One `pnpm bench:photos` run (bench/photos.ts). */
interface PhotoRun {
  label: string;
  at: string;
  node: string;
  bombRefusal: { statuses: (number | string)[]; medianMs: number; maxMs: number };
  underFourScanBombs: PhotoLoad;
  underFour40MpPngs: PhotoLoad;
  peakRssMb: { server: number; worker: number; total: number };
}
interface PhotoLoad {
  getsUnanswered: number;
  getP50: number;
  getMax: number;
  commitMs: number;
  commitStatus: number | string;
  loadStatuses: (number | string)[];
  loadMaxMs: number;
}

/** The `pnpm bench:photos` runs kept: before the changes of #24 and after, when both exist. */
export function readPhotoRuns(): PhotoRun[] {
  return ['before', 'after']
    .map((label) => join(__dirname, `results/photos-${label}.json`))
    .filter((file) => existsSync(file))
    .map((file) => JSON.parse(readFileSync(file, 'utf8')) as PhotoRun);
}

export function photosSection(runs: PhotoRun[]): string[] {
  if (runs.length === 0) return [];
  const ms = (v: number) => `${n(v, 0)} ms`;
  const statuses = (list: (number | string)[]) => list.join(', ');
  const cell = (f: (r: PhotoRun) => string) => runs.map(f).join(' | ');
  return [
    '## 6. Photos under abuse',
    '',
    `\`pnpm bench:photos\` (bench/photos.ts): the bundled local server in jwt mode, DynamoDB Local and a local S3 server; a JPEG scan bomb (8000x5000, 1,000 scans, 160 KB) committed three times; then one user commits four scan bombs at once, then four allowed 40 MP 16-bit PNGs (2.1 MB each) at once, while another user sends \`GET /users/me\` every 50 ms and commits one ordinary photo. \`--server\` measures another build with the same code: "before" is the server of the commit before #24 (86c2c21). ${runs.map((r) => `${r.label}: ${r.at}, ${r.node}`).join('; ')}. The before run shared this machine with other work (and ran on Node 20, the after run on Node 24), so its times are inflated; its failures are not.`,
    '',
    `| | ${runs.map((r) => r.label).join(' | ')} | budget |`,
    `| --- | ${runs.map(() => '---').join(' | ')} | --- |`,
    `| scan bomb commit: median (max), answer | ${cell((r) => `${ms(r.bombRefusal.medianMs)} (${ms(r.bombRefusal.maxMs)}), ${statuses(r.bombRefusal.statuses)}`)} | refused ≤ 2 s |`,
    `| during four bomb commits: another user's GET p50 / max (unanswered) | ${cell((r) => `${ms(r.underFourScanBombs.getP50)} / ${ms(r.underFourScanBombs.getMax)} (${r.underFourScanBombs.getsUnanswered})`)} | max ≤ 1 s |`,
    `| during four bomb commits: another user's photo commit | ${cell((r) => `${ms(r.underFourScanBombs.commitMs)}, ${r.underFourScanBombs.commitStatus}`)} | ≤ 3 s |`,
    `| the four bomb commits: answers (slowest) | ${cell((r) => `${statuses(r.underFourScanBombs.loadStatuses)} (${ms(r.underFourScanBombs.loadMaxMs)})`)} | |`,
    `| during four 40 MP PNG commits: another user's GET p50 / max (unanswered) | ${cell((r) => `${ms(r.underFour40MpPngs.getP50)} / ${ms(r.underFour40MpPngs.getMax)} (${r.underFour40MpPngs.getsUnanswered})`)} | |`,
    `| during four 40 MP PNG commits: another user's photo commit | ${cell((r) => `${ms(r.underFour40MpPngs.commitMs)}, ${r.underFour40MpPngs.commitStatus}`)} | |`,
    `| the four 40 MP PNG commits: answers (slowest) | ${cell((r) => `${statuses(r.underFour40MpPngs.loadStatuses)} (${ms(r.underFour40MpPngs.loadMaxMs)})`)} | |`,
    `| peak RSS over the PNG commits: server + photo worker | ${cell((r) => `${n(r.peakRssMb.server, 0)} + ${n(r.peakRssMb.worker, 0)} MB`)} | server: the 384 MB heap ceiling; worker ≤ 640 MiB |`,
    '',
    'Before, a scan bomb was decoded in the server (seconds of CPU on libuv threads shared with token checks and I/O) and its commit answered only after it, here with 503 once the storage deadline had passed; four at once held every other request, and the server closed connections unanswered at its 15 s request timeout while the decodes went on. After, the bomb is refused from its markers before any decode, photos are decoded one at a time by a worker process, and a commit that would wait over 2 s is 503 `PHOTO_PROCESSING_BUSY` (upload kept, `Retry-After`): of four simultaneous 40 MP commits, those that cannot start within 2 s are told to retry, rather than all four decoded and then refused.',
    '',
  ];
}

/** The kept `pnpm bench:events` runs (bench/event-lag.ts), one per rate and duration. */
export function readEventLagRuns(): EventLagRun[] {
  const file = join(__dirname, 'results/events.json');
  return existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as EventLagRun[]) : [];
}

/** The event-lag budget (issue #29): p99 from commit to webhook receipt at 50 writes/s. */
const EVENT_LAG_BUDGET = { rate: 50, p99Ms: 1000 } as const;

/** The event-lag budget's row, from the latest kept run at its rate (none before one is made). */
export function eventLagBudget(runs: EventLagRun[]) {
  const run = runs.filter((r) => r.rate === EVENT_LAG_BUDGET.rate).at(-1);
  if (!run) return [];
  return [
    {
      budget: `change feed lag p99 at ${EVENT_LAG_BUDGET.rate} writes/s ≤ ${n(EVENT_LAG_BUDGET.p99Ms, 0)} ms (\`pnpm bench:events\`, section 7)`,
      value: `${n(run.lagMs.p99, 0)} ms`,
      ok: run.lagMs.p99 <= EVENT_LAG_BUDGET.p99Ms,
    },
  ];
}

/** Section 7: the change feed's lag from a write's answer to its webhook's receipt. */
export function eventsSection(runs: EventLagRun[]): string[] {
  if (runs.length === 0) return [];
  const atBudget = runs.filter((r) => r.rate === EVENT_LAG_BUDGET.rate);
  const met = atBudget.length > 0 && atBudget.every((r) => r.lagMs.p99 <= EVENT_LAG_BUDGET.p99Ms);
  // Writes the database did not answer in time: the lag then measures its backlog.
  const saturated = runs.filter((r) => r.committed < r.rate * r.seconds);
  return [
    '## 7. Change feed: event lag',
    '',
    "`pnpm bench:events [--rate 50] [--seconds 20] [--warmup 10]` (bench/event-lag.ts): the bundled local server on a freshly started DynamoDB Local (its own stream reader), one webhook endpoint on a loopback receiver, writes at a steady rate (creates, then merge patches of the profiles made). The first `--warmup` seconds of writes, at the same rate, warm the JVM and the server; their lags are shown apart (warm-up p99), and every event of theirs must arrive too. Lag is from the write's answer to the webhook's receipt, matched by event id; `missing` are committed changes whose event had not arrived 30 s after the last write, `twice` events received more than once. The latest run of each rate and duration, with the machine's 1-minute load average before and after it (two cores):",
    '',
    '| rate, duration | when | load | committed | received (missing, twice) | lag p50 | lag p99 | lag max | warm-up p99 | budget |',
    '| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |',
    ...runs.map(
      (r) =>
        `| ${r.rate}/s for ${r.seconds} s | ${r.at.slice(0, 16).replace('T', ' ')} | ${n(r.loadAverage[0], 1)}, ${n(r.loadAverage[1], 1)} | ${n(r.committed, 0)} | ${n(r.received, 0)} (${r.missing}, ${r.duplicates}) | ${n(r.lagMs.p50, 0)} ms | ${n(r.lagMs.p99, 0)} ms | ${n(r.lagMs.max, 0)} ms | ${warmupCell(r)} | ${r.rate === EVENT_LAG_BUDGET.rate ? `p99 ≤ ${n(EVENT_LAG_BUDGET.p99Ms, 0)} ms: ${r.lagMs.p99 <= EVENT_LAG_BUDGET.p99Ms ? 'met' : '**not met**'}` : ''} |`,
    ),
    '',
    `${met ? 'The budget is met.' : 'The budget is **not met**.'} The load averages include the bench's own processes (the server, DynamoDB Local and the writer share the two cores).`,
    ...saturated.map(
      (r) =>
        `At ${r.rate}/s, ${n(r.rate * r.seconds - r.committed, 0)} of the ${n(r.rate * r.seconds, 0)} writes were not answered within the client's timeout: DynamoDB Local (one SQLite thread for every request; each write a transaction of about 30 items with the search's, each streamed) could not take the rate, and the lag measures its backlog rather than the feed.`,
    ),
    '',
  ];
}

/** A run's warm-up: its length and lag p99 (none in runs made before it existed). */
const warmupCell = (r: EventLagRun) =>
  r.warmup
    ? `${r.warmup.seconds} s: ${n(r.warmup.lagMs.p99, 0)} ms${r.warmup.missing > 0 ? ` (${r.warmup.missing} missing)` : ''}`
    : 'none';

/** The last `pnpm bench:schemas` run (bench/schemas.ts), if there is one. */
export function readSchemaRun(): SchemaRun | undefined {
  const file = join(__dirname, 'results/schemas.json');
  return existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as SchemaRun) : undefined;
}

/** Whether the schemas changed the cold start by more than a tenth, in words. */
function schemaVerdict(run: SchemaRun): string {
  const { getWithout, getWith, patchWithout, patchWith } = run.cold;
  const small = (a: number, b: number) => Math.abs(b - a) < a / 10;
  return small(getWithout, getWith) && small(patchWithout, patchWith)
    ? 'Both differences are under a tenth of the cold start, within what this shared machine varies from round to round.'
    : 'One difference exceeds a tenth of the cold start; on this shared machine medians of the same bundle vary by that much from run to run, so the part the validators themselves take is measured alone below.';
}

/** Section 8: the cold start with declared metadata schemas against without (ADR 0023). */
export function schemasSection(run: SchemaRun | undefined): string[] {
  if (!run) return [];
  const row = (what: string, without: number, withSchemas: number) =>
    `| ${what} | ${n(without)} ms | ${n(withSchemas)} ms | ${n(withSchemas - without)} ms |`;
  return [
    '## 8. Declared metadata schemas and the cold start',
    '',
    `\`pnpm bench:schemas --rounds ${run.rounds}\` (bench/schemas.ts; ${run.at}, ${run.runtime}, this shared two-core machine): the Lambda asset built with the validators generated from \`docs/examples/profile-schemas.json\` against the same asset without, each in a fresh process with the exec wrapper's flags, answering a first \`GET /users/{id}\` (reads never validate: what loading the validators costs) or a first merge patch of \`metadata\` (validated, nothing to write), on DynamoDB Local; medians of ${run.rounds} rounds, each running the four once in a shuffled order, the machine's load average ${n(run.loadAverage[0])} before and ${n(run.loadAverage[1])} after (other work shares its two cores). \`pnpm bench\` measures the \`GET\` pair in section 2.`,
    '',
    '| | without schemas | with the example schemas | difference |',
    '| --- | --- | --- | --- |',
    `| bundle, minified | ${kb(run.bundleBytes.without)} | ${kb(run.bundleBytes.with)} | ${kb(run.bundleBytes.with - run.bundleBytes.without)} |`,
    row('cold start, first `GET`', run.cold.getWithout, run.cold.getWith),
    row('cold start, first `PATCH` of `metadata`', run.cold.patchWithout, run.cold.patchWith),
    '',
    `${schemaVerdict(run)} Measured alone, each in a fresh process (medians): loading the generated module and validating one value takes ${n(run.generatedAtStart, 2)} ms; what compiling at cold start would take instead (load ajv, compile the three example schemas) is ${n(run.ajvAtStart)} ms.`,
    '',
  ];
}

/** The search figures of this run, or of the last `tsx bench/search.ts` (search.json). */
function searchOf(r: Results): (SearchFigures & { command?: string }) | undefined {
  if (r.search) return { ...r.search, command: r.command };
  const file = join(__dirname, 'results/search.json');
  return existsSync(file)
    ? (JSON.parse(readFileSync(file, 'utf8')) as SearchFigures & { command: string })
    : undefined;
}

export function searchBudget(r: Results) {
  const search = searchOf(r);
  if (!search) return [];
  const largest = search.points.at(-1)!.profiles.toLocaleString('en-US');
  return [
    {
      budget: `search p50 at the largest size (${largest}) ≤ 1.3 × the smallest`,
      value: `${n(search.ratio, 2)} ×`,
      ok: search.ratio <= 1.3,
    },
  ];
}

/** Section 3's search part: administrators' search by number of stored profiles. */
export function searchSection(r: Results): string[] {
  const search = searchOf(r);
  if (!search) return ['No search figures: run `tsx bench/search.ts` or `pnpm bench`.', ''];
  return [
    `**Search** (\`GET /users/search\`'s use case on DynamoDB, ADR 0021), measured with \`${search.command ?? 'tsx bench/search.ts'}\`: a first page of 20, alternately a broad search (\`name=seed\`, every profile matches) and an exact one (a stored profile's full name, longer than the 8-character prefixes kept: the filtered path). Profiles and their search items seeded with BatchWriteItem. Latencies in ms.`,
    '',
    '| profiles | search p50 | p99 | seeding took |',
    '| --- | --- | --- | --- |',
    ...search.points.map(
      (p) =>
        `| ${p.profiles.toLocaleString('en-US')} | ${n(p.p50Ms, 2)} | ${n(p.p99Ms, 2)} | ${n(p.seedSeconds)} s |`,
    ),
    '',
    `Largest / smallest: search ${n(search.ratio, 2)} ×.`,
    '',
  ];
}
