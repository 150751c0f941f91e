/**
 * Sites: the probability P(wd, ws) of each flow case and the ambient turbulence.
 *
 * Two kinds, both homogeneous over the farm (PyWake `UniformSite`, `UniformWeibullSite`):
 * - `uniform`: sector frequencies over evenly spaced direction sectors (IEA 37 wind rose);
 *   every listed wind speed carries its direction's probability (no speed distribution).
 * - `weibull`: per sector frequency f_s and Weibull A_s, k_s (Horns Rev 1).
 *
 * Directions are meteorological degrees (where the wind comes from, clockwise from north).
 */
import { InputError } from "../errors.js";
import {
  HORNSREV1_SECTOR_FREQ, HORNSREV1_TI, HORNSREV1_WEIBULL_A, HORNSREV1_WEIBULL_K,
  IEA37_FREQ, IEA37_TI, IEA37_WS,
} from "./data/builtin.js";

export interface UniformSite {
  readonly kind: "uniform";
  /** Frequency of each sector; sector s is centred on s·360/n degrees. */
  readonly sectorFreq: Float64Array;
  /** Ambient turbulence intensity (used by NiayifarGaussian). */
  readonly ti: number;
  /** Flow cases used when a call gives none. */
  readonly defaultWdDeg: Float64Array;
  readonly defaultWs: Float64Array;
}

export interface WeibullSite {
  readonly kind: "weibull";
  readonly sectorFreq: Float64Array;
  /** Weibull scale A (m/s) per sector. */
  readonly weibullA: Float64Array;
  /** Weibull shape k per sector. */
  readonly weibullK: Float64Array;
  readonly ti: number;
  readonly defaultWdDeg: Float64Array;
  readonly defaultWs: Float64Array;
}

export type Site = UniformSite | WeibullSite;
export type BuiltinSiteName = "iea37" | "hornsrev1";

/** 0, 1, …, 359 degrees. */
export function degrees360(): Float64Array {
  const wd = new Float64Array(360);
  for (let i = 0; i < 360; i++) wd[i] = i;
  return wd;
}

function range(start: number, stop: number, step = 1): Float64Array {
  const n = Math.floor((stop - start) / step + 1e-9) + 1;
  const a = new Float64Array(n);
  for (let i = 0; i < n; i++) a[i] = start + i * step;
  return a;
}

export function uniformSite(opts: {
  sectorFreq: ArrayLike<number>; ti?: number; wdDeg?: ArrayLike<number>; ws: ArrayLike<number>;
}): UniformSite {
  const sectorFreq = Float64Array.from(opts.sectorFreq);
  if (sectorFreq.length === 0) throw new InputError("needs at least one sector frequency", { field: "site.p_wd" });
  return {
    kind: "uniform",
    sectorFreq,
    ti: opts.ti ?? 0.1,
    defaultWdDeg: opts.wdDeg ? Float64Array.from(opts.wdDeg) : degrees360(),
    defaultWs: Float64Array.from(opts.ws),
  };
}

export function weibullSite(opts: {
  sectorFreq: ArrayLike<number>; weibullA: ArrayLike<number>; weibullK: ArrayLike<number>;
  ti?: number; wdDeg?: ArrayLike<number>; ws?: ArrayLike<number>;
}): WeibullSite {
  const n = opts.sectorFreq.length;
  if (n === 0) throw new InputError("needs at least one sector", { field: "site.sector_freq" });
  if (opts.weibullA.length !== n) throw new InputError(`has ${opts.weibullA.length} values for ${n} sectors`, { field: "site.weibull_A" });
  if (opts.weibullK.length !== n) throw new InputError(`has ${opts.weibullK.length} values for ${n} sectors`, { field: "site.weibull_k" });
  return {
    kind: "weibull",
    sectorFreq: Float64Array.from(opts.sectorFreq),
    weibullA: Float64Array.from(opts.weibullA),
    weibullK: Float64Array.from(opts.weibullK),
    ti: opts.ti ?? 0.1,
    defaultWdDeg: opts.wdDeg ? Float64Array.from(opts.wdDeg) : degrees360(),
    defaultWs: opts.ws ? Float64Array.from(opts.ws) : range(3, 25),
  };
}

/**
 * Built-in sites. `iea37`: the IEA 37 CS1 wind rose, default flow cases its own 16
 * directions at 9.8 m/s (what iea37-aepcalc.py and the case studies use; PyWake's
 * `IEA37Site` defaults to 360 directions, pass `wdDeg` for that). `hornsrev1`: PyWake's
 * `Hornsrev1Site()`, default wd 0..359, ws 3..25.
 */
export function builtinSite(name: BuiltinSiteName): Site {
  switch (name) {
    case "iea37":
      return uniformSite({ sectorFreq: IEA37_FREQ, ti: IEA37_TI, wdDeg: range(0, 337.5, 22.5), ws: [IEA37_WS] });
    case "hornsrev1":
      return weibullSite({
        sectorFreq: HORNSREV1_SECTOR_FREQ, weibullA: HORNSREV1_WEIBULL_A, weibullK: HORNSREV1_WEIBULL_K,
        ti: HORNSREV1_TI,
      });
    default:
      throw new InputError(`unknown built-in site "${String(name)}" (known: iea37, hornsrev1)`, { field: "site" });
  }
}

/**
 * The sector a direction belongs to: the nearest sector centre, a tie going to the smaller
 * centre angle (15° → 0°, 345° → 330° with 30° sectors), as PyWake's nearest-neighbour
 * lookup over the sector centres does.
 */
export function sectorIndex(wdDeg: number, nSectors: number): number {
  const width = 360 / nSectors;
  let wd = wdDeg % 360;
  if (wd < 0) wd += 360;
  const s = Math.ceil((wd - width / 2) / width);
  return ((s % nSectors) + nSectors) % nSectors;
}

/**
 * Width of a direction bin (degrees) as PyWake infers it: the common step of evenly
 * spaced directions, else 360 / count.
 */
export function wdBinWidthDeg(wdDeg: ArrayLike<number>): number {
  const n = wdDeg.length;
  if (n < 2) return 360 / Math.max(1, n);
  const sorted = Array.from(wdDeg).sort((a, b) => a - b);
  const step = sorted[1] - sorted[0];
  for (let i = 2; i < n; i++) if (sorted[i] - sorted[i - 1] !== step) return 360 / n;
  return step;
}

/** Edges of the wind-speed bins: midpoints between speeds, ends half a step out (±0.5 m/s for one speed). */
export function wsBinEdges(ws: ArrayLike<number>): { lower: Float64Array; upper: Float64Array } {
  const n = ws.length;
  const lower = new Float64Array(n);
  const upper = new Float64Array(n);
  for (let k = 0; k < n; k++) {
    const prev = k > 0 ? ws[k - 1] : n > 1 ? ws[0] - (ws[1] - ws[0]) : ws[0] - 1;
    const next = k < n - 1 ? ws[k + 1] : n > 1 ? ws[n - 1] + (ws[n - 1] - ws[n - 2]) : ws[0] + 1;
    lower[k] = (prev + ws[k]) / 2;
    upper[k] = (ws[k] + next) / 2;
  }
  return { lower, upper };
}

/**
 * P(wd, ws) for each flow case, flat with ws fastest: `pLK[l·nWs + k]`.
 * - uniform: `freq_s · Δwd / sectorWidth` for every speed.
 * - weibull: `f_s · Δwd / sectorWidth · [F(u_hi) − F(u_lo)]`, `F(u) = 1 − exp(−(u/A_s)^k_s)`.
 * Not renormalized (Horns Rev 1 sums to 0.97365 over 3..25 m/s, as in PyWake).
 */
export function flowCaseProbabilities(site: Site, wdDeg: ArrayLike<number>, ws: ArrayLike<number>): Float64Array {
  const L = wdDeg.length;
  const K = ws.length;
  const nS = site.sectorFreq.length;
  const binFrac = wdBinWidthDeg(wdDeg) / (360 / nS);
  const pLK = new Float64Array(L * K);
  if (site.kind === "uniform") {
    for (let l = 0; l < L; l++) {
      const p = site.sectorFreq[sectorIndex(wdDeg[l], nS)] * binFrac;
      for (let k = 0; k < K; k++) pLK[l * K + k] = p;
    }
    return pLK;
  }
  const { lower, upper } = wsBinEdges(ws);
  for (let l = 0; l < L; l++) {
    const s = sectorIndex(wdDeg[l], nS);
    const A = site.weibullA[s];
    const kk = site.weibullK[s];
    const f = site.sectorFreq[s] * binFrac;
    for (let k = 0; k < K; k++) {
      const cdfHi = 1 - Math.exp(-Math.pow(upper[k] / A, kk));
      const cdfLo = 1 - Math.exp(-Math.pow(Math.max(0, lower[k]) / A, kk));
      pLK[l * K + k] = f * (cdfHi - cdfLo);
    }
  }
  return pLK;
}
