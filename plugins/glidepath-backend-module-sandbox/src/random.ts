/**
 * A small seeded pseudo-random generator: the same parts always give the same
 * sequence, so the simulation is reproducible from its seed.
 */

/** Draws numbers in [0, 1). */
export type Random = () => number;

/** FNV-1a over the UTF-16 code units, then a murmur3 finaliser. */
function hashString(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  hash ^= hash >>> 16;
  hash = Math.imul(hash, 0x85ebca6b);
  hash ^= hash >>> 13;
  hash = Math.imul(hash, 0xc2b2ae35);
  hash ^= hash >>> 16;
  return hash >>> 0;
}

/** mulberry32: tiny, fast and good enough for a simulation. */
function mulberry32(seed: number): Random {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * A generator keyed by its parts, e.g. `(seed, service, releaseNumber,
 * 'fault')`. Each purpose gets its own stream, so changing how one thing is
 * drawn does not shift the others.
 */
export function createRandom(...parts: Array<string | number>): Random {
  return mulberry32(hashString(parts.join('\u0000')));
}

/** A standard normal draw (Box-Muller). */
export function normal(random: Random): number {
  const u = Math.max(random(), Number.EPSILON);
  const v = random();
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
}

/**
 * How many of `trials` independent events with probability `p` happen: exact
 * for small counts, a normal approximation above.
 */
export function binomial(random: Random, trials: number, p: number): number {
  if (trials <= 0 || p <= 0) return 0;
  if (p >= 1) return trials;
  if (trials < 50) {
    let count = 0;
    for (let i = 0; i < trials; i++) {
      if (random() < p) count++;
    }
    return count;
  }
  const mean = trials * p;
  const sd = Math.sqrt(mean * (1 - p));
  return Math.min(trials, Math.max(0, Math.round(mean + sd * normal(random))));
}

/** Forty hex digits, like a git commit sha. */
export function fakeSha(random: Random): string {
  let sha = '';
  for (let i = 0; i < 5; i++) {
    sha += Math.floor(random() * 4294967296)
      .toString(16)
      .padStart(8, '0');
  }
  return sha;
}
