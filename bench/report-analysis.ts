/** The report's analysis: what the profiles showed, with this run's Lambda figures. */
import type { LambdaFigures } from './lambda';
import { kb, n } from './report-format';

/** What the profiles showed; kept with the generator so every report carries it. */
export const analysis = (l: LambdaFigures) => `## Where the time goes

Profiles taken with \`node --cpu-prof\` on this machine (commands below).

**HTTP.** The servers, DynamoDB Local (Java) and the load generator share two cores, so every CPU
millisecond the service spends is taken from the database. In the service's profile under
\`GET /users/{id}\` load, about half of the Node process's time is the AWS SDK (middleware stack
resolution, SigV4 signing, the JSON protocol), which the baseline spends too; then HTTP parsing and
pino's two log lines per request (also in the baseline). What only the service pays is the plugins
every response goes through (helmet's security headers, CORS, the request-id header), the use case
and the item mapping, a few tenths of a millisecond per request, moved from DynamoDB Local to the
service. It is not cut: security headers and CORS are requirements, and on AWS the database does
not share the service's cores. How noisy the ratio is here: five full runs on 2026-11-22 gave 0.84,
1.11, 1.00, 0.91 and 0.90 × the baseline's throughput; the spread is this shared machine's noise,
so the ≥ 90 % budget is met in four of them (narrowly in two) and missed in the first. Since
then (2026-12, with suspension records, the change feed and the search) it has been 0.4-0.7; a
GET is again one request (one \`BatchGetItem\`), and ADR 0024 holds what was measured, cut and
ruled out, and where the rest of the service's CPU per request may go.
With \`AUTH_MODE=jwt\` every request also verifies an RS256 signature (jose over WebCrypto, which
runs on libuv's thread pool): CPU that, on this machine, is also taken from DynamoDB Local; the
figure is in the table, and it moves between runs like the others. A cache of verified tokens
(keyed by the whole token, until its expiry) would remove most of it; not done, so that every
request's signature is checked.
The database-limit loop runs as TypeScript through tsx (not bundled), which is why the bundled
baseline server can edge past it.

${lambdaAnalysis(l)}

**Memory.** Node sizes its heap from the host: on this 24 GiB machine the old generation may grow
to about 4 GB, and under the \`POST /users\` load V8 lets it grow well past what it needs (the
soak test in docs/reliability.md shows the growth stops: it is heap sizing, not a leak). The start
command therefore gives the local server an explicit ceiling, \`--max-old-space-size=384\`, as one
would for any container: ample for the largest requests (64 KiB bodies, pages of 100 profiles),
and V8 then grows the heap far more sparingly. Measured with \`node --import tsx
bench/heap-flags.ts '' --max-old-space-size=384 ...\` (flag sets alternated on one DynamoDB Local,
same load as section 1), peak RSS: no flag 171-182 MB; \`--max-old-space-size\` 192, 256 or 384:
124-128 MB, with the same GET and POST throughput within noise; \`--max-semi-space-size=2\` or \`4\`
on top: 95-100 MB, but 10-15 % fewer GETs per second, so not taken. On Node 24 (2026-12-03) the
young generation grew too: with the old-space ceiling alone the service peaked at 289-307 MB
(the bare server at 217-233 MB); \`--max-semi-space-size=16\` on top: 205-211 MB (bare: 161 MB)
with GET throughput within noise, so the start command has both (ADR 0024). It also turns off V8's
allocation-site pretenuring (\`--no-allocation-site-pretenuring\`, ADR 0026): with 16 requests in
flight V8 marked the request path's allocation sites as long-lived and allocated their objects in
the old generation, where they died; each scavenge promoted 492 KB instead of 181 KB, mark-compacts
came 2.5 times as often, and a GET cost 523-568 µs of CPU instead of 617-699 µs, p99 13-16 ms
instead of 24-26 ms, with the same peak RSS.

**Scaling.** List and find-by-email latency do not grow with the data: both are key-based reads
(eight shard queries of \`limit + 1\` items, and two \`GetItem\`s). They even fall as the table grows
because DynamoDB Local's JVM keeps warming up while the seeding writes; the ratio is below 1 for
that reason, not because more data is faster.

Reproduce a profile: \`node --cpu-prof packages/adapters-http/dist/server.js\` (with
\`DYNAMODB_ENDPOINT\` and \`TABLE_NAME\` set) under \`autocannon\`, or
\`node --cpu-prof packages/adapters-http/scripts/invoke-bundle.cjs bench/.build/lambda.js < event.json\`
for a cold start; open the \`.cpuprofile\` in Chrome DevTools.
`;

/** The Lambda part of the analysis, from this run's figures. */
function lambdaAnalysis(l: LambdaFigures): string {
  const x = (a: number, b: number) => `${n(a / b, 2)} ×`;
  const ms = (what: string) => l.profile.find((p) => p.what.startsWith(what))?.ms ?? NaN;
  const met = (ratio: number, budget: number) => (ratio <= budget ? 'met' : 'not met');
  return `**Lambda.** Measured on the Node.js major Lambda runs (${l.runtime}), against a bare
handler that only does a DocumentClient \`GetItem\`, in one run, the variants in a shuffled order
each round. The asset as synthesized starts in ${n(l.cold.service)} ms against ${n(l.cold.baseline)} ms
(${x(l.cold.service, l.cold.baseline)}: the budget of 1.6 × is ${met(l.cold.service / l.cold.baseline, 1.6)}). In jwt mode, with the pool's keys delivered by
the deployment (\`AUTH_JWKS\`) and a JWKS endpoint that would answer after ${l.jwksDelayMs} ms,
${n(l.cold.serviceJwt)} ms (${x(l.cold.serviceJwt, l.cold.baseline)}, ${met(l.cold.serviceJwt / l.cold.baseline, 1.6)}): verifying an RS256 token against local keys costs a few ms;
waiting for the issuer is what cost 40-70 ms (cold starts that fetched the JWKS, before the keys
were delivered, measured 2.1-2.6 × on 2026-12-01).

What the asset does at a cold start that the bare handler does not: V8 compiles a bundle of
${kb(l.bundleBytes)} instead of ${kb(l.baselineBundleBytes)} (${n(ms('V8 compiling the bundle'))} ms of the profiled cold start above is V8 compiling the
bundle), then builds Fastify (its options validated, the router with a not-found route for each of
the 35 HTTP methods Node knows, pino), Inversify's container, the plugins (helmet, CORS) and the
routes, and answers through @fastify/aws-lambda and light-my-request. Each is a few ms; all are the
design's. What was cut, each measured alternating with the bare handler:
- **the module wrappers compiled with the bundle** (\`scripts/eager-module-wrappers.cjs\`, run on
  every Lambda bundle after esbuild, by the CDK stack too): esbuild wraps each module in a function
  that runs on its first \`require\`; V8 pre-parses such a function when it loads the bundle and
  parses it again in full on that call. Wrapped in parentheses, it is compiled once, with the
  bundle. About 15 ms of the asset's cold start (measured alternating with and without it); the
  bare handler gains from it too (its two builds differ by ${n(l.cold.baseline - l.cold.baselineBuiltAlike)} ms in this run, a difference
  that has ranged from 5 to 26 ms between runs, noise included). That is why the table also holds
  the bare handler built the same way: against it the asset is ${x(l.cold.service, l.cold.baselineBuiltAlike)}, the stricter figure of what
  the framework costs;
- **Fastify's listen-only built-ins** (a pnpm patch, \`patches/fastify@5.12.8.patch\`):
  \`node:http2\` and \`node:dns\` are required when a server listens, which an injected app
  never does (about 6 ms; \`node:http2\` alone takes 9 ms to load here); semver is loaded only for
  a plugin range other than \`<major>.x\`, which the patch decides from the major version, as
  semver would (about 5 ms: semver builds its regular expressions when loaded); find-my-way
  (\`patches/find-my-way@9.10.1.patch\`) no longer checks its own three constant expressions
  with safe-regex2 at every start (about 3 ms); the bundle test checks neither built-in is
  loaded, unit tests that version checks and unsafe routes answer as before;
- **log lines written synchronously** (\`pino.destination({ sync: true })\`, so that none is still
  queued when Lambda freezes the process) and pino's \`node:worker_threads\` loaded for an
  asynchronous destination only (\`patches/pino@10.4.0.patch\`): about 6 ms together;
- **pino's worker-thread transports** (\`thread-stream\`, 10 KB), which a Lambda never configures;
- before these: the SDK's credential chain (STS and SSO clients, ~90 KB; Lambda's credentials are
  in the environment), the wait for the JWKS, dynamic imports.

Tried and not kept: V8 flags beyond the wrapper's (\`--no-sparkplug\`, \`--no-maglev\`,
\`--single-threaded\`, \`--no-opt\`: within noise or slower); loading the DTOs and
class-validator on first use (esbuild must then wrap every module they reach, and the bundle
grows); ES module output (slower, measured in issue #15).

With a V8 code cache made by the same Node the cold start is ${n(l.cold.serviceCached)} ms
(${x(l.cold.serviceCached, l.cold.baseline)}, budget 1.2 × ${met(l.cold.serviceCached / l.cold.baseline, 1.2)}): V8 then compiles nothing at load, and none of the functions a cold start
runs on their first call. Warm, the service answers a \`GET\` in ${n(l.warm.p50, 2)} ms at the median against
${n(l.baselineWarm.p50, 2)} ms (${x(l.warm.p50, l.baselineWarm.p50)}, budget 1.5 × ${met(l.warm.p50 / l.baselineWarm.p50, 1.5)}): the inject round trip through @fastify/aws-lambda and
light-my-request, the hooks every response goes through (security headers, CORS, the request
id), the per-request child logger and the use case, a few tens of µs each; the per-request log
line, 0.2 ms, is at \`debug\` in Lambda. The ratios move between runs on this shared two-core
machine by ±0.1-0.2 (cold starts: ${l.coldRuns} rounds; warm: medians of 3 alternating rounds), so a
budget met or missed by a small margin can go the other way in another run.`;
}

/** The cold-start profile by package: the largest shares, then the rest in one line. */
export function profileTable(profile: { what: string; ms: number }[]): string[] {
  const total = profile.reduce((sum, p) => sum + p.ms, 0);
  const top = profile.slice(0, 14);
  const rest = profile.slice(14).reduce((sum, p) => sum + p.ms, 0);
  const line = (what: string, ms: number) =>
    `| ${what} | ${n(ms, 1)} | ${n((100 * ms) / total)} % |`;
  return [
    `Where one service cold start spends its time (mean self time of the profiled runs, ${n(total)} ms in all, by package; \`bench/cold-profile.ts\` runs an unminified build of the same bundle, module wrappers eager as deployed, under \`node --cpu-prof\`):`,
    '',
    '| package or activity | ms | share |',
    '| --- | --- | --- |',
    ...top.map((p) => line(p.what, p.ms)),
    ...(rest > 0 ? [line(`${profile.length - top.length} others`, rest)] : []),
    '',
  ];
}
