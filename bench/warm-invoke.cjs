// Loads a Lambda bundle once, then invokes it with the same event many times: warm latency.
// Usage: node warm-invoke.cjs <bundle.js> <count> < event.json ; prints { p50, p99 } in ms.
const { readFileSync } = require('node:fs');
const { resolve } = require('node:path');

async function main() {
  const [bundle, count] = process.argv.slice(2);
  const event = JSON.parse(readFileSync(0, 'utf8'));
  const { handler } = require(resolve(bundle));
  const context = { awsRequestId: 'warm', getRemainingTimeInMillis: () => 10_000 };
  for (let i = 0; i < 20; i++) await handler(event, context); // warm-up
  const times = [];
  for (let i = 0; i < Number(count); i++) {
    const t0 = performance.now();
    const res = await handler(event, context);
    times.push(performance.now() - t0);
    if (res.statusCode !== 200) throw new Error(`status ${res.statusCode}`);
  }
  times.sort((a, b) => a - b);
  const at = (q) => times[Math.min(times.length - 1, Math.floor(q * times.length))];
  process.stdout.write(`\n${JSON.stringify({ p50: at(0.5), p99: at(0.99) })}\n`);
}
main().catch((e) => {
  console.error(e);
  process.exit(1);
});
