// Jest's resolver, with one addition: a relative import of `./x.js` that does not exist is the
// TypeScript file `./x.ts`. A published package's sources (packages/client) name their imports by
// the emitted file, as Node's ES module loader needs; every file that exists resolves as before,
// in node_modules too.
module.exports = (request, options) => {
  try {
    return options.defaultResolver(request, options);
  } catch (error) {
    if (!/^\.{1,2}\/.*\.js$/.test(request)) throw error;
    return options.defaultResolver(request.replace(/\.js$/, '.ts'), options);
  }
};
