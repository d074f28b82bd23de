// aws-local-stepfunctions calls Promise.withResolvers, which Node 20 lacks (added in Node 22); it is the
// one Node 22 feature it needs, so its vendored copy (vendor/aws-local-stepfunctions) declares Node 20.
if (typeof (Promise as { withResolvers?: unknown }).withResolvers !== 'function') {
  Object.defineProperty(Promise, 'withResolvers', {
    configurable: true,
    writable: true,
    value: <T>() => {
      let resolve!: (value: T | PromiseLike<T>) => void;
      let reject!: (reason?: unknown) => void;
      const promise = new Promise<T>((res, rej) => {
        resolve = res;
        reject = rej;
      });
      return { promise, resolve, reject };
    },
  });
}
