// Small statistics helpers: every reported time is a median with its spread, never a single run.

export function quantile(values, q) {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const pos = (sorted.length - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return sorted[lo] + (sorted[hi] - sorted[lo]) * (pos - lo);
}

export const median = (values) => quantile(values, 0.5);

/** `{ median, p25, p75, min, max, n }`, rounded to `digits` decimals. */
export function summary(values, digits = 2) {
  const r = (x) => Number(x.toFixed(digits));
  return {
    median: r(median(values)),
    p25: r(quantile(values, 0.25)),
    p75: r(quantile(values, 0.75)),
    min: r(Math.min(...values)),
    max: r(Math.max(...values)),
    n: values.length,
  };
}

/** A seeded PRNG (mulberry32), so image degradation and fake links are the same on every run. */
export function seededRandom(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Standard normal from a uniform source (Box–Muller). */
export function gaussian(random) {
  let u = 0;
  while (u === 0) u = random();
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * random());
}

export const sleep = (ms) => new Promise((done) => setTimeout(done, ms));
