import { gammaQ } from '../../../trainer/calibration/special-functions.js';
import { calibrateThreshold } from '../../../trainer/calibration/threshold.js';
import { SeededRandom } from '../../../trainer/model/seeded-random.js';
import type { Method } from './methods.js';

/** A score distribution with a known survival function, drawn by construction (no code under test). */
interface Truth {
  name: string;
  draw(rng: SeededRandom): number;
  survival(x: number): number;
}

const erlang = (k: number) => (rng: SeededRandom) => {
  let s = 0;
  for (let i = 0; i < k; i++) s -= Math.log(1 - rng.next());
  return s;
};

export const TRUTHS: Truth[] = [
  { name: 'exponential', draw: erlang(1), survival: (x) => Math.exp(-x) },
  { name: 'gamma(4)', draw: erlang(4), survival: (x) => gammaQ(4, x) },
  { name: 'chi²(1)', draw: (r) => r.normal() ** 2, survival: (x) => gammaQ(0.5, x / 2) },
  {
    name: 'lognormal(0.5)',
    draw: (r) => Math.exp(0.5 * r.normal()),
    // P(e^(0.5Z) > x) = erfc(ln x/(0.5√2))/2, erfc(z) = Q(1/2, z²) for z ≥ 0
    survival: (x) => {
      const z = Math.log(x) / (0.5 * Math.SQRT2);
      return z >= 0 ? 0.5 * gammaQ(0.5, z * z) : 1 - 0.5 * gammaQ(0.5, z * z);
    },
  },
  {
    name: 'GPD(ξ=0.2)',
    draw: (r) => ((1 - r.next()) ** -0.2 - 1) / 0.2,
    survival: (x) => (1 + 0.2 * x) ** -5,
  },
];

export interface SimCell {
  truth: string;
  n: number;
  method: string;
  /** Mean and median of the true rate at the fitted threshold, over replicates, divided by q. */
  meanRatio: number;
  medianRatio: number;
  /** Mean |log2(true rate / q)|. */
  logError: number;
}

/** For each truth and holdout size: fit each method on n draws, take the true rate at its threshold. */
export function simulate(methods: Method[], sizes: number[], q: number, reps: number): SimCell[] {
  const cells: SimCell[] = [];
  for (const truth of TRUTHS) {
    for (const n of sizes) {
      const rng = new SeededRandom(1000 + n);
      const rates = methods.map(() => new Float64Array(reps));
      for (let r = 0; r < reps; r++) {
        const x = Float64Array.from({ length: n }, () => truth.draw(rng));
        methods.forEach((m, i) => {
          rates[i][r] = truth.survival(m.threshold(x, q));
        });
      }
      methods.forEach((m, i) => {
        const sorted = rates[i].slice().sort();
        let mean = 0;
        let log = 0;
        for (const v of sorted) {
          mean += v / reps;
          log += Math.abs(Math.log2(Math.max(v, 1e-9) / q)) / reps;
        }
        cells.push({
          truth: truth.name,
          n,
          method: m.name,
          meanRatio: mean / q,
          medianRatio: sorted[reps >> 1] / q,
          logError: log,
        });
      });
    }
  }
  return cells;
}

/** How often the shipped 90 % interval holds the true rate of its threshold (exponential holdouts). */
export function intervalCoverage(n: number, q: number, reps: number): { covered: number; unsafe: number } {
  const rng = new SeededRandom(77 + n);
  let covered = 0;
  let unsafe = 0;
  for (let r = 0; r < reps; r++) {
    const x = Float64Array.from({ length: n }, () => -Math.log(1 - rng.next()));
    const c = calibrateThreshold(x, q);
    const truth = Math.exp(-c.threshold);
    if (truth >= c.far.lo && truth <= c.far.hi) covered++;
    else if (truth > c.far.hi) unsafe++;
  }
  return { covered: covered / reps, unsafe: unsafe / reps };
}
