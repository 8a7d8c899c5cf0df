// Builds the photo worker (adapters-images' photo-worker.ts) into <dir>/photo-worker.js, beside a
// bundle that serves the photo routes: scripts/bundle.mjs for dist/, the CDK stack for the photo
// Lambda's asset. Usage: node scripts/photo-worker-bundle.cjs <dir>
const { buildPhotoWorker } = require('../bundle-options.cjs');

buildPhotoWorker(process.argv[2]).catch((error) => {
  console.error(error);
  process.exit(1);
});
