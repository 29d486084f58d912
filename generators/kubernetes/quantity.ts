/**
 * Kubernetes resource quantities: the one parser (the Dockfile check and the generators both
 * measure here) and the one wording of the request ≤ limit rule.
 */

export type ResourceKind = 'cpu' | 'memory';

/** CPU in millicores: `250m` → 250, `1.5` → 1500, `2` → 2000. */
export function cpuMillicores(quantity: number | string): number {
  if (typeof quantity === 'number') return Math.round(quantity * 1000);
  const milli = /^([0-9]+)m$/.exec(quantity);
  if (milli?.[1] !== undefined) return Number(milli[1]);
  if (/^[0-9]+(\.[0-9]+)?$/.test(quantity)) return Math.round(Number(quantity) * 1000);
  throw new Error(`not a CPU quantity: '${quantity}' (use e.g. 250m, 0.5 or 2)`);
}

/** Bytes per Kubernetes memory suffix (decimal and binary). */
export const MEMORY_FACTORS: Readonly<Record<string, number>> = {
  '': 1,
  k: 1e3,
  K: 1e3,
  M: 1e6,
  G: 1e9,
  T: 1e12,
  P: 1e15,
  E: 1e18,
  Ki: 2 ** 10,
  Mi: 2 ** 20,
  Gi: 2 ** 30,
  Ti: 2 ** 40,
  Pi: 2 ** 50,
  Ei: 2 ** 60,
};

/** Memory in bytes: `256Mi` → 268435456, `1G` → 1e9. */
export function memoryBytes(quantity: string): number {
  const match = /^([0-9]+(?:\.[0-9]+)?)(Ki|Mi|Gi|Ti|Pi|Ei|k|K|M|G|T|P|E)?$/.exec(quantity);
  const factor = MEMORY_FACTORS[match?.[2] ?? ''];
  if (!match?.[1] || factor === undefined) {
    throw new Error(`not a memory quantity: '${quantity}' (use e.g. 256Mi or 1Gi)`);
  }
  return Math.round(Number(match[1]) * factor);
}

/** CPU as Kubernetes writes it back: whole cores as a number-like string, else millicores. */
export function formatCpu(millicores: number): string {
  return millicores % 1000 === 0 ? String(millicores / 1000) : `${millicores}m`;
}

/** The size to compare: millicores for CPU, bytes for memory. Throws for a malformed quantity. */
export function quantitySize(kind: ResourceKind, quantity: number | string): number {
  return kind === 'cpu' ? cpuMillicores(quantity) : memoryBytes(String(quantity));
}

/** Why a request over its limit is refused (both sides as written). */
export function requestOverLimit(
  kind: ResourceKind,
  request: number | string,
  limit: number | string,
): string {
  return `${kind === 'cpu' ? 'CPU' : 'memory'} request ${request} is greater than the limit ${limit}`;
}
