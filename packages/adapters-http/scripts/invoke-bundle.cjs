// Loads a Lambda bundle in this (fresh) Node process and invokes its handler with API Gateway
// events read as a JSON array from stdin; prints the responses as one JSON line, the last line of
// stdout (the app's own log lines come before it). Used by the bundle
// tests here and by the CDK artifact test, so both exercise exactly what would be deployed.
// Usage: node invoke-bundle.cjs <bundle.js> [handler export, default "handler"] < events.json
// Placeholders: "{{userId}}" in a later event is replaced by the userId of the last 201 answer.
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
  let userId = '';
  for (const [i, template] of events.entries()) {
    const event = JSON.parse(JSON.stringify(template).replaceAll('{{userId}}', userId));
    const context = {
      awsRequestId: `req-${i}`,
      functionName: 'bundle-test',
      getRemainingTimeInMillis: () => 10_000,
    };
    const response = await handler(event, context);
    if (response.statusCode === 201) userId = JSON.parse(response.body).userId;
    results.push(response);
  }
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  process.stdout.write(
    `\n${JSON.stringify({ ms, maxRssKb: process.resourceUsage().maxRSS, results })}\n`,
  );
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
