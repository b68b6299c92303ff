/**
 * Per-request batching for field resolvers (the DataLoader idea, in a few lines): every key asked for
 * while GraphQL resolves one level of a response is collected, then loaded in one call. So
 * `campaigns { health }` or `leads { edges { node { timeline } } }` costs one query, not one per item.
 */
export class BatchLoader<K, V> {
  private readonly cache = new Map<string, Promise<V>>();
  private queue: { key: K; id: string; resolve: (v: V) => void; reject: (e: unknown) => void }[] = [];

  /**
   * @param loadMany loads the values of many keys at once, by cache key; a key it leaves out gets `missing(key)`.
   * @param cacheKey how keys are told apart (and cached for the rest of the request).
   */
  constructor(
    private readonly loadMany: (keys: K[]) => Promise<Map<string, V>>,
    private readonly missing: (key: K) => V,
    private readonly cacheKey: (key: K) => string = String,
  ) {}

  load(key: K): Promise<V> {
    const id = this.cacheKey(key);
    const cached = this.cache.get(id);
    if (cached) return cached;
    const promise = new Promise<V>((resolve, reject) => {
      // setImmediate runs after every promise job of this turn, however deep Nest's resolver wrappers are.
      if (this.queue.length === 0) setImmediate(() => this.dispatch());
      this.queue.push({ key, id, resolve, reject });
    });
    this.cache.set(id, promise);
    return promise;
  }

  private dispatch(): void {
    const batch = this.queue;
    this.queue = [];
    this.loadMany(batch.map((b) => b.key)).then(
      (values) => batch.forEach((b) => b.resolve(values.has(b.id) ? values.get(b.id)! : this.missing(b.key))),
      (e) => {
        // a failed batch is not cached: a later ask in the same request tries again
        batch.forEach((b) => {
          this.cache.delete(b.id);
          b.reject(e);
        });
      },
    );
  }
}

const loadersByRequest = new WeakMap<object, Map<string, BatchLoader<any, any>>>();

/** The request's loader called `name`, made by `create` the first time it is asked for. */
export function requestLoader<K, V>(request: object, name: string, create: () => BatchLoader<K, V>): BatchLoader<K, V> {
  let loaders = loadersByRequest.get(request);
  if (!loaders) loadersByRequest.set(request, (loaders = new Map()));
  let loader = loaders.get(name);
  if (!loader) loaders.set(name, (loader = create()));
  return loader;
}
