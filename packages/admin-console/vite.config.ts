import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

/**
 * The console is served under /admin/ (by the local server, and by CloudFront in AWS), as files
 * only: one HTML page naming hashed scripts and styles, nothing inline, so that a CSP without
 * 'unsafe-inline' holds.
 */
export default defineConfig({
  base: '/admin/',
  resolve: {
    // The typed client from its sources (its package exports what `pnpm build` makes of them).
    alias: {
      '@userprofile/client': fileURLToPath(new URL('../client/src/index.ts', import.meta.url)),
    },
  },
  oxc: { jsx: { runtime: 'automatic', importSource: 'preact' } },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2022',
    // Modern browsers preload modules themselves: no polyfill code in the bundle.
    modulePreload: { polyfill: false },
    reportCompressedSize: true,
  },
});
