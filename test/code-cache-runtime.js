// jest's runtime with a V8 code cache. Every test file gets its own module registry, so every file
// parsed and compiled the same node_modules and src again (the largest share of the suite's CPU).
// Here each module is compiled as a vm.Script with the bytecode V8 produced the first time it ran,
// kept in jest's cache directory (cleared by `jest --clearCache`). V8 checks a cache against the
// source's length only, so a cache file is named by the hash of the exact source it was made from;
// V8 refuses one of another version or flags and compiles afresh: a cache costs time, never correctness.
const { createHash } = require('node:crypto');
const fs = require('node:fs');
const path = require('node:path');
const vm = require('node:vm');
const Runtime = require('jest-runtime').default;

const WRAPPER = '"Object.<anonymous>"';

/**
 * This worker's caches by module file: the source they were made from and V8's data. A worker runs
 * many test files, and comparing a source is cheaper than hashing it and reading the cache file.
 */
const inWorker = new Map();

const cacheFile = (dir, filename, wrapped) =>
  path.join(dir, createHash('sha1').update(filename).update('\0').update(wrapped).digest('hex'));

class CodeCacheRuntime extends Runtime {
  constructor(config, environment, ...rest) {
    super(config, environment, ...rest);
    const dir = path.join(config.cacheDirectory, `v8-code-cache-${process.version}-${process.arch}`);
    const executor = this.executor;
    const compileWithoutCache = executor.compile.bind(executor);
    /** Scripts compiled without a usable cache, to write once the file's tests have run them. */
    this.uncachedScripts = [];
    this.codeCacheDir = dir;
    executor.compile = (source, filename) => {
      const context = environment.getVmContext();
      if (context == null || executor.resolution.isCoreModule(filename)) {
        return compileWithoutCache(source, filename);
      }
      const wrapped = `({${WRAPPER}:function(${executor.injectedModuleParameters.join(',')}){${source}\n}});`;
      const known = inWorker.get(filename);
      let cachedData = known?.wrapped === wrapped ? known.data : undefined;
      let file;
      if (cachedData === undefined) {
        file = cacheFile(dir, filename, wrapped);
        try {
          cachedData = fs.readFileSync(file);
          inWorker.set(filename, { wrapped, data: cachedData });
        } catch {
          cachedData = undefined;
        }
      }
      let script;
      try {
        script = new vm.Script(wrapped, {
          filename,
          cachedData,
          importModuleDynamically: (specifier, _script, importAttributes, phase) =>
            executor.dynamicImport(specifier, filename, context, importAttributes, phase),
        });
      } catch {
        // Let jest's own compile raise its error (ESM syntax, source-mapped SyntaxError).
        return compileWithoutCache(source, filename);
      }
      if (cachedData === undefined || script.cachedDataRejected) {
        this.uncachedScripts.push({ script, filename, wrapped, file });
      }
      return script.runInContext(context)[WRAPPER.slice(1, -1)];
    };
  }

  teardown() {
    // After the tests ran, the cache holds the functions they compiled lazily, not only the top level.
    if (this.uncachedScripts.length > 0) {
      fs.mkdirSync(this.codeCacheDir, { recursive: true });
      for (const { script, filename, wrapped, file } of this.uncachedScripts) {
        const data = script.createCachedData();
        inWorker.set(filename, { wrapped, data });
        const target = file ?? cacheFile(this.codeCacheDir, filename, wrapped);
        const temporary = `${target}.${process.pid}`;
        fs.writeFileSync(temporary, data);
        fs.renameSync(temporary, target);
      }
      this.uncachedScripts = [];
    }
    super.teardown();
  }
}

module.exports = CodeCacheRuntime;
