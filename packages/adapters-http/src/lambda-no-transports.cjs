'use strict';
// Stands in for `thread-stream` in the Lambda bundles (see bundle-options.cjs). pino runs its
// transports in worker threads through it; a Lambda logs JSON lines to standard output, which
// Lambda ships to CloudWatch, and configures no transport. pino requires it when it is loaded,
// so without this its 10 KB would be compiled at every cold start for nothing.
module.exports = class NoThreadStream {
  constructor() {
    throw new Error('pino transports are not part of the Lambda bundle: log to standard output');
  }
};
