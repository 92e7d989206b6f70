// @nestjs/throttler ships CommonJS that require()s @nestjs/common and
// @nestjs/core, which NestJS 12 ships as ES modules only. Node (>= 20.19)
// loads that natively; Jest can only on Node >= 24.9. Until then, this
// transform points those two require() calls at the very ES module instances
// the test has loaded (see esm-for-cjs.setup.ts), so there is one @nestjs/core
// (one Reflector, one set of decorators) as in production.
const { createHash } = require('node:crypto');

const ESM_ONLY = /require\("(@nestjs\/(?:common|core))"\)/g;

module.exports = {
  process(source) {
    return { code: source.replace(ESM_ONLY, (_, name) => `globalThis.__esmForCjs[${JSON.stringify(name)}]`) };
  },
  getCacheKey(source, path) {
    return createHash('sha256').update('esm-for-cjs-1').update(path).update(source).digest('hex');
  },
};
