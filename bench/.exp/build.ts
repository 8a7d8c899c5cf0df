import { build } from 'esbuild';
const opts = require('/work/main/packages/adapters-http/bundle-options.cjs');
async function main() {
  await build({ ...opts.lambda, outfile: '/tmp/exp/lambda.js' });
  await build({ ...opts.lambda, entryPoints: ['/work/main/bench/baseline-handler.ts'], outfile: '/tmp/exp/baseline.js', external: [], alias: {} });
  console.log('built');
}
main();
