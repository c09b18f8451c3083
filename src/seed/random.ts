// A small seeded random source (mulberry32), so `quire seed --seed N` makes the same site every time.
export interface Random {
  /** Uniform in [0, 1). */
  next(): number;
  int(min: number, max: number): number;
  pick<T>(items: readonly T[]): T;
  /** Skewed towards the front of items: a few popular choices, a long tail. */
  pickSkewed<T>(items: readonly T[]): T;
  /** k distinct items. */
  sample<T>(items: readonly T[], k: number, skewed?: boolean): T[];
  chance(p: number): boolean;
}

export function seededRandom(seed: number): Random {
  let state = seed >>> 0;
  const next = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (min: number, max: number) => min + Math.floor(next() * (max - min + 1));
  const pick = <T>(items: readonly T[]) => items[Math.floor(next() * items.length)]!;
  const pickSkewed = <T>(items: readonly T[]) => items[Math.floor(next() ** 2.5 * items.length)]!;
  return {
    next,
    int,
    pick,
    pickSkewed,
    sample<T>(items: readonly T[], k: number, skewed = false): T[] {
      const chosen = new Set<T>();
      const want = Math.min(k, items.length);
      while (chosen.size < want) chosen.add(skewed ? pickSkewed(items) : pick(items));
      return [...chosen];
    },
    chance: (p: number) => next() < p,
  };
}
