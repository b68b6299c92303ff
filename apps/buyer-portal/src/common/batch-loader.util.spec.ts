import { BatchLoader, requestLoader } from './batch-loader.util';

describe('BatchLoader', () => {
  const doubling = () => {
    const calls: number[][] = [];
    const loader = new BatchLoader<number, number>(
      async (keys) => {
        calls.push([...keys]);
        return new Map(keys.filter((k) => k !== 13).map((k) => [String(k), k * 2]));
      },
      () => -1,
    );
    return { calls, loader };
  };

  it('loads every key asked for in one turn in one call, each key once, missing keys as the default', async () => {
    const { calls, loader } = doubling();
    // asked from behind different depths of promise chains, as Nest's resolver wrappers would
    const asked = [1, 2, 2, 13].map((k, i) => Promise.resolve().then(async () => {
      for (let d = 0; d < i * 3; d++) await null;
      return loader.load(k);
    }));
    expect(await Promise.all(asked)).toEqual([2, 4, 4, -1]);
    expect(calls).toEqual([[1, 2, 13]]);
  });

  it('caches within the loader: a later turn only loads new keys', async () => {
    const { calls, loader } = doubling();
    await Promise.all([loader.load(1), loader.load(2)]);
    expect(await Promise.all([loader.load(2), loader.load(3)])).toEqual([4, 6]);
    expect(calls).toEqual([[1, 2], [3]]);
  });

  it('a failed batch rejects its keys and is tried again on the next ask', async () => {
    let fail = true;
    const loader = new BatchLoader<number, number>(async (keys) => {
      if (fail) throw new Error('db down');
      return new Map(keys.map((k) => [String(k), k]));
    }, () => 0);
    await expect(loader.load(5)).rejects.toThrow('db down');
    fail = false;
    await expect(loader.load(5)).resolves.toBe(5);
  });

  it('gives one loader per request and name', () => {
    const reqA = {};
    const reqB = {};
    const make = () => new BatchLoader<string, string>(async () => new Map(), () => '');
    const first = requestLoader(reqA, 'x', make);
    expect(requestLoader(reqA, 'x', make)).toBe(first);
    expect(requestLoader(reqA, 'y', make)).not.toBe(first);
    expect(requestLoader(reqB, 'x', make)).not.toBe(first);
  });
});
