/** Helpers shared by the benchmark scripts (not a benchmark itself: no `.bench.` in the name). */

/** `--name N` from the command line, else `fallback`. */
export function numberFlag(name: string, fallback: number): number {
  const index = process.argv.indexOf(name);
  return index > 0 ? Number(process.argv[index + 1]) : fallback;
}

/** The median; for an even count the mean of the two middle samples (0 when there are none). */
export function median(samples: number[]): number {
  const s = [...samples].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? (s[mid] ?? 0) : ((s[mid - 1] ?? 0) + (s[mid] ?? 0)) / 2;
}

/** The upper median: the sample at index ⌊n/2⌋ of the sorted samples (NaN when there are none). */
export function upperMedian(samples: number[]): number {
  return [...samples].sort((a, b) => a - b)[Math.floor(samples.length / 2)] ?? Number.NaN;
}
