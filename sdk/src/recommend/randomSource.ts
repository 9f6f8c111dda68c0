/**
 * Randomness for the recommender: a seeded generator for reproducible studies and tests, the
 * platform's cryptographic generator for the noise a real client adds (Web Crypto, in browsers
 * and in Node alike), and standard normal draws from either.
 */

/** Uniform draws in [0, 1). */
export interface RandomSource {
  uniform(): number;
}

/** A seeded generator (xorshift128+ seeded by splitmix32): reproducible, not for privacy noise. */
export function seededRandom(seed: number): RandomSource {
  let s = seed >>> 0;
  const next32 = () => {
    s = (s + 0x9e3779b9) >>> 0;
    let z = s;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
    return (z ^ (z >>> 16)) >>> 0;
  };
  const state = new Uint32Array([next32(), next32(), next32(), next32()]);
  return {
    uniform() {
      // xoshiro128**
      const result = Math.imul(rotl(Math.imul(state[1]!, 5), 7), 9) >>> 0;
      const t = state[1]! << 9;
      state[2]! ^= state[0]!;
      state[3]! ^= state[1]!;
      state[1]! ^= state[2]!;
      state[0]! ^= state[3]!;
      state[2]! ^= t;
      state[3] = rotl(state[3]!, 11);
      return result / 4294967296;
    },
  };
}

const rotl = (x: number, k: number) => ((x << k) | (x >>> (32 - k))) >>> 0;

/** The platform's cryptographic generator (`crypto.getRandomValues`), drawn 1,024 words at a time. */
export function cryptoRandom(): RandomSource {
  const buffer = new Uint32Array(1024);
  let next = buffer.length;
  return {
    uniform() {
      if (next === buffer.length) {
        globalThis.crypto.getRandomValues(buffer);
        next = 0;
      }
      return buffer[next++]! / 4294967296;
    },
  };
}

/** A standard normal draw (Box–Muller; 1 − u keeps the logarithm finite). */
export function normalDraw(random: RandomSource): number {
  const u = 1 - random.uniform();
  const v = random.uniform();
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
}
