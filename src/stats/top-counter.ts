// Counts keys (pages, referrers) and reports the most frequent, in bounded memory: exact while
// there are at most `capacity` distinct keys; past that the rarest are dropped now and then and
// the result is flagged approximate (the frequent keys, which are the point, survive).
export class TopCounter {
  private counts = new Map<string, number>();
  approximate = false;

  constructor(private readonly capacity = 10_000) {}

  add(key: string, by = 1): void {
    this.counts.set(key, (this.counts.get(key) ?? 0) + by);
    if (this.counts.size > this.capacity * 2) this.prune();
  }

  private prune(): void {
    const kept = [...this.counts].sort((a, b) => b[1] - a[1]).slice(0, this.capacity);
    this.counts = new Map(kept);
    this.approximate = true;
  }

  /** The n most frequent keys, most frequent first; ties in key order, so output is stable. */
  top(n: number): Array<[string, number]> {
    return [...this.counts].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0)).slice(0, n);
  }
}
