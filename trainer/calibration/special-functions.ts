// Special functions for the gamma fit: ln Γ, digamma, trigamma, and the regularized incomplete gamma function
// with its inverse. Algorithms: Lanczos (g = 7, 9 terms) for ln Γ; recurrence + asymptotic series for ψ and ψ';
// series / Lentz continued fraction for P(a, x) and Q(a, x) (Press et al., Numerical Recipes, 3rd ed., 6.1-6.2).

const LANCZOS = [
  0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059,
  12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7,
];

/** ln Γ(x) for x > 0 (relative error ~1e-15). */
export function lnGamma(x: number): number {
  if (x < 0.5) return Math.log(Math.PI / Math.sin(Math.PI * x)) - lnGamma(1 - x);
  const z = x - 1;
  let a = LANCZOS[0];
  for (let i = 1; i < LANCZOS.length; i++) a += LANCZOS[i] / (z + i);
  const t = z + 7.5;
  return 0.5 * Math.log(2 * Math.PI) + (z + 0.5) * Math.log(t) - t + Math.log(a);
}

/** ψ(x) = d ln Γ(x)/dx for x > 0. */
export function digamma(x: number): number {
  let acc = 0;
  while (x < 10) {
    acc -= 1 / x;
    x += 1;
  }
  const r = 1 / (x * x);
  return acc + Math.log(x) - 0.5 / x - r * (1 / 12 - r * (1 / 120 - r * (1 / 252 - r * (1 / 240 - r / 132))));
}

/** ψ'(x) for x > 0. */
export function trigamma(x: number): number {
  let acc = 0;
  while (x < 10) {
    acc += 1 / (x * x);
    x += 1;
  }
  const r = 1 / (x * x);
  return acc + 1 / x + r / 2 + (r / x) * (1 / 6 - r * (1 / 30 - r * (1 / 42 - r * (1 / 30 - (5 * r) / 66))));
}

const EPS = 1e-15;
const TINY = 1e-300;

/** ln of the common prefactor x^a·e^(−x)/Γ(a). */
function lnPrefactor(a: number, x: number): number {
  return a * Math.log(x) - x - lnGamma(a);
}

/** Regularized lower incomplete gamma P(a, x) = γ(a, x)/Γ(a). */
export function gammaP(a: number, x: number): number {
  if (!(x > 0)) return 0;
  return x < a + 1 ? series(a, x) : 1 - continuedFraction(a, x);
}

/** Regularized upper incomplete gamma Q(a, x) = 1 − P(a, x), accurate in the far tail. */
export function gammaQ(a: number, x: number): number {
  if (!(x > 0)) return 1;
  return x < a + 1 ? 1 - series(a, x) : continuedFraction(a, x);
}

function series(a: number, x: number): number {
  let ap = a;
  let del = 1 / a;
  let sum = del;
  for (let i = 0; i < 10000; i++) {
    ap += 1;
    del *= x / ap;
    sum += del;
    if (Math.abs(del) < Math.abs(sum) * EPS) break;
  }
  return sum * Math.exp(lnPrefactor(a, x));
}

function continuedFraction(a: number, x: number): number {
  let b = x + 1 - a;
  let c = 1 / TINY;
  let d = 1 / b;
  let h = d;
  for (let i = 1; i < 10000; i++) {
    const an = -i * (i - a);
    b += 2;
    d = an * d + b;
    if (Math.abs(d) < TINY) d = TINY;
    c = b + an / c;
    if (Math.abs(c) < TINY) c = TINY;
    d = 1 / d;
    const del = d * c;
    h *= del;
    if (Math.abs(del - 1) < EPS) break;
  }
  return Math.exp(lnPrefactor(a, x)) * h;
}

/**
 * x with Q(a, x) = q, for q in (0, 1): bracket, then Newton steps kept inside the bracket (bisection when a step
 * leaves it). Solving on Q rather than P keeps precision for small q (far upper tail).
 */
export function gammaQInverse(a: number, q: number): number {
  if (!(q > 0 && q < 1)) throw new RangeError(`gammaQInverse: q ${q} outside (0, 1)`);
  let lo = 0;
  let hi = Math.max(1, a);
  while (gammaQ(a, hi) > q) {
    lo = hi;
    hi *= 2;
  }
  let x = 0.5 * (lo + hi);
  for (let i = 0; i < 200; i++) {
    const f = gammaQ(a, x) - q;
    if (f > 0) lo = x;
    else hi = x;
    // dQ/dx = −x^(a−1)·e^(−x)/Γ(a)
    const slope = -Math.exp(lnPrefactor(a, x)) / x;
    let next = x - f / slope;
    if (!(next > lo && next < hi)) next = 0.5 * (lo + hi);
    if (Math.abs(next - x) <= 1e-14 * x) return next;
    x = next;
  }
  return x;
}
