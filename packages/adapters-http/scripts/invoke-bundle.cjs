// Loads a Lambda bundle in this (fresh) Node process and invokes its handler with API Gateway
// events read as a JSON array from stdin; prints the responses as one JSON line, the last line of
// stdout (the app's own log lines come before it). Used by the bundle
// tests here and by the CDK artifact tests, so both exercise exactly what would be deployed.
// Usage: node invoke-bundle.cjs <bundle.js> [handler export, default "handler"] < events.json
// Placeholders: "{{userId}}" in a later event is replaced by the userId of the last 201 answer.
// Each invocation has INVOKE_TIMEOUT_MS (default 10000), as a function's timeout: the context's
// getRemainingTimeInMillis counts down from it, and an invocation still running at the end is
// recorded as {"timedOut": true} (where Lambda would stop it and API Gateway answer 504).
const { readFileSync } = require('node:fs');
const { resolve } = require('node:path');

async function main() {
  const [bundle, exportName = 'handler'] = process.argv.slice(2);
  const events = JSON.parse(readFileSync(0, 'utf8'));
  const started = process.hrtime.bigint();
  const handler = require(resolve(bundle))[exportName];
  if (typeof handler !== 'function')
    throw new Error(`${bundle} exports no function "${exportName}"`);
  const results = [];
  const timings = [];
  const timeoutMs = Number(process.env.INVOKE_TIMEOUT_MS ?? 10_000);
  let userId = '';
  for (const [i, template] of events.entries()) {
    const event = JSON.parse(JSON.stringify(template).replaceAll('{{userId}}', userId));
    const begun = Date.now();
    const context = {
      awsRequestId: `req-${i}`,
      functionName: 'bundle-test',
      getRemainingTimeInMillis: () => Math.max(0, begun + timeoutMs - Date.now()),
    };
    let timer;
    const response = await Promise.race([
      handler(event, context),
      new Promise((resolve) => (timer = setTimeout(() => resolve({ timedOut: true }), timeoutMs))),
    ]);
    clearTimeout(timer);
    timings.push(Date.now() - begun);
    if (response.statusCode === 201) userId = JSON.parse(response.body).userId;
    results.push(response);
  }
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  process.stdout.write(
    `\n${JSON.stringify({ ms, maxRssKb: process.resourceUsage().maxRSS, results, timings })}\n`,
  );
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
