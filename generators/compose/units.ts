import { cpuMillicores, memoryBytes } from '../kubernetes/quantity.ts';

/** Compose `cpus` is a decimal number of cores: `250m` → `0.25`. */
export function composeCpus(quantity: string): string {
  return String(cpuMillicores(quantity) / 1000);
}

/**
 * Compose byte units are binary (`m` = MiB), unlike Kubernetes' `M`; write the exact byte count
 * in the largest binary unit that divides it, so `256Mi` stays `256m` and `1G` stays exact.
 */
export function composeMemory(quantity: string): string {
  const bytes = memoryBytes(quantity);
  for (const [unit, size] of [
    ['g', 2 ** 30],
    ['m', 2 ** 20],
    ['k', 2 ** 10],
  ] as const) {
    if (bytes % size === 0) return `${bytes / size}${unit}`;
  }
  return `${bytes}b`;
}
