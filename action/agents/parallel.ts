import { availableParallelism } from 'node:os';

/**
 * How many agents are deployed at once. An image build (pip install, layer compression, the push)
 * keeps about two cores busy, so on a runner with `cores` CPUs half as many builds run side by
 * side (a 4-vCPU GitHub-hosted runner: 2; a 2-core one: 1); more would only contend for CPU, the
 * Docker daemon's disk and memory. Four at most, which also bounds the registry pushes and
 * environments-repo fetches running at once.
 */
export function parallelLimit(cores: number = availableParallelism()): number {
  return Math.max(1, Math.min(4, Math.floor(cores / 2)));
}

/**
 * `fn` over every item, at most `limit` at a time, results in the items' order. Every item runs
 * even when another fails: agents are independent, and one broken agent must not leave the others
 * undeployed.
 */
export async function mapLimit<T, R>(
  items: readonly T[],
  limit: number,
  fn: (item: T, index: number) => Promise<R>,
): Promise<Array<PromiseSettledResult<R>>> {
  const results: Array<PromiseSettledResult<R>> = new Array(items.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const index = next++;
      try {
        results[index] = { status: 'fulfilled', value: await fn(items[index] as T, index) };
      } catch (reason: unknown) {
        results[index] = { status: 'rejected', reason };
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker));
  return results;
}
