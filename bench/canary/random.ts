/**
 * A small seeded random number generator for the canary corpus: the same
 * seed string always gives the same numbers, on every platform, so a
 * scenario can be named by its seed and regenerated anywhere.
 *
 * mulberry32 (Tommy Ettinger's 32-bit generator) seeded through cyrb53, a
 * string hash; samplers for the distributions the corpus needs.
 */

/** A 53-bit hash of a string (cyrb53, public domain). */
export function hashString(text: string, salt = 0): number {
  let h1 = 0xdeadbeef ^ salt;
  let h2 = 0x41c6ce57 ^ salt;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    h1 = Math.imul(h1 ^ c, 2654435761);
    h2 = Math.imul(h2 ^ c, 1597334677);
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507);
  h1 ^= Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507);
  h2 ^= Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  return 4294967296 * (2097151 & h2) + (h1 >>> 0);
}

export class Rng {
  private state: number;
  private spareNormal: number | null = null;

  constructor(seed: string) {
    this.state = hashString(seed) >>> 0;
  }

  /** Uniform on [0, 1). */
  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  uniform(low: number, high: number): number {
    return low + (high - low) * this.next();
  }

  /** Uniform on the log scale: as likely to be 1-10 as 10-100. */
  logUniform(low: number, high: number): number {
    return Math.exp(this.uniform(Math.log(low), Math.log(high)));
  }

  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.next() * items.length)];
  }

  chance(probability: number): boolean {
    return this.next() < probability;
  }

  /** Standard normal (Marsaglia's polar method). */
  normal(): number {
    if (this.spareNormal !== null) {
      const spare = this.spareNormal;
      this.spareNormal = null;
      return spare;
    }
    let u = 0;
    let v = 0;
    let s = 0;
    do {
      u = 2 * this.next() - 1;
      v = 2 * this.next() - 1;
      s = u * u + v * v;
    } while (s >= 1 || s === 0);
    const factor = Math.sqrt((-2 * Math.log(s)) / s);
    this.spareNormal = v * factor;
    return u * factor;
  }

  /**
   * Poisson with the given mean: exact (inversion) below a mean of 40, a
   * rounded normal with the same mean and variance above.
   */
  poisson(mean: number): number {
    if (!(mean > 0)) return 0;
    if (mean < 40) {
      let k = 0;
      let p = Math.exp(-mean);
      let cumulative = p;
      const u = this.next();
      while (u > cumulative && k < 1000) {
        k++;
        p *= mean / k;
        cumulative += p;
      }
      return k;
    }
    return Math.max(0, Math.round(mean + Math.sqrt(mean) * this.normal()));
  }

  /**
   * Binomial(n, p): exact (geometric waiting times) when n·min(p, 1-p) is
   * below 40, a rounded normal with the same mean and variance above.
   */
  binomial(n: number, p: number): number {
    if (!(n > 0) || !(p > 0)) return 0;
    if (p >= 1) return n;
    if (p > 0.5) return n - this.binomial(n, 1 - p);
    const mean = n * p;
    if (mean < 40) {
      const logQ = Math.log1p(-p);
      let successes = 0;
      let position = 0;
      for (;;) {
        position += Math.floor(Math.log(1 - this.next()) / logQ) + 1;
        if (position > n) return successes;
        successes++;
      }
    }
    const sd = Math.sqrt(mean * (1 - p));
    return Math.min(n, Math.max(0, Math.round(mean + sd * this.normal())));
  }
}
