/**
 * Sites: the probability P(wd, ws) of each flow case and the ambient turbulence.
 *
 * Three kinds, all homogeneous over the farm:
 * - `uniform`: sector frequencies over evenly spaced direction sectors (IEA 37 wind rose);
 *   every listed wind speed carries its direction's probability (no speed distribution).
 *   PyWake's `UniformSite`.
 * - `weibull`: per sector frequency f_s and Weibull A_s, k_s (Horns Rev 1). `UniformWeibullSite`.
 * - `table`: a wind-rose table, directions with frequencies and per direction the probability
 *   of each point speed (IEA 37 case studies 3/4). Speeds a direction does not list carry 0, so
 *   the flow cases stay the engine's [wd × ws] grid over the union of the speeds.
 *
 * Directions are meteorological degrees (where the wind comes from, clockwise from north).
 */
import { InputError } from "../errors.js";
import {
  HORNSREV1_SECTOR_FREQ, HORNSREV1_TI, HORNSREV1_WEIBULL_A, HORNSREV1_WEIBULL_K,
  IEA37_FREQ, IEA37_TI, IEA37_WS,
} from "./data/builtin.js";
import { IEA37_CS34_WS, IEA37_CS3_FREQ, IEA37_CS3_P_WS, IEA37_CS3_WD, IEA37_CS4_FREQ, IEA37_CS4_P_WS } from "./data/iea37cs34.js";

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

export interface TableSite {
  readonly kind: "table";
  /** Frequency of each table direction, used as given (not renormalised). */
  readonly sectorFreq: Float64Array;
  /** The table's directions (deg), strictly increasing in [0, 360). */
  readonly wdDeg: Float64Array;
  /** The union of the table's point speeds (m/s), strictly increasing. */
  readonly wsTable: Float64Array;
  /** P(speed m | direction d), `pWsGivenWd[d·M + m]`; 0 where a direction lacks the speed. */
  readonly pWsGivenWd: Float64Array;
  readonly ti: number;
  readonly defaultWdDeg: Float64Array;
  readonly defaultWs: Float64Array;
}

export type Site = UniformSite | WeibullSite | TableSite;
export type BuiltinSiteName = "iea37" | "hornsrev1" | "iea37-cs3" | "iea37-cs4";
export const BUILTIN_SITE_NAMES: readonly BuiltinSiteName[] = ["iea37", "hornsrev1", "iea37-cs3", "iea37-cs4"];

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

/**
 * How far above 1 a sum of frequencies (or one direction's speed probabilities) may go and still
 * be used as given: the rounding of published roses (IEA 37 case studies 3/4: 0.9999; 12 sectors
 * rounded to 3 decimals: 1 ± 0.006) and roses exported from a sector site on a grid that does
 * not divide its sectors evenly (PyWake's rule, kept here: IEA 37's 16 sectors sum to 1.003 on
 * 360 directions, 1.014 on 72, 1.018 on 100). Nothing is renormalised, so a rose in percent
 * (100) or in counts would multiply the AEP by as much; those sums are far beyond this.
 */
export const PROBABILITY_SUM_TOL = 0.1;

/**
 * Refuses `values` as probabilities of one distribution when they sum to more than 1 (beyond
 * PROBABILITY_SUM_TOL), naming `subject` (what they are in the reader's terms), field and file.
 */
export function checkProbabilitySum(values: ArrayLike<number>, field: string, subject: string, file?: string): void {
  let sum = 0;
  for (let i = 0; i < values.length; i++) sum += values[i];
  if (!(sum > 1 + PROBABILITY_SUM_TOL)) return;
  const percent = Math.abs(sum - 100) <= 100 * PROBABILITY_SUM_TOL;
  throw new InputError(
    `${subject} sum to ${+sum.toPrecision(6)}, more than 1: they are fractions (of the year, or of a direction's time), ` +
    `not ${percent ? "percent — divide them by 100" : "counts or percent"}; nothing is renormalised`,
    { field, file },
  );
}

export function uniformSite(opts: {
  sectorFreq: ArrayLike<number>; ti?: number; wdDeg?: ArrayLike<number>; ws: ArrayLike<number>;
}): UniformSite {
  const sectorFreq = Float64Array.from(opts.sectorFreq);
  if (sectorFreq.length === 0) throw new InputError("needs at least one sector frequency", { field: "site.p_wd" });
  checkProbabilitySum(sectorFreq, "site.p_wd", "the sector frequencies");
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
  checkProbabilitySum(opts.sectorFreq, "site.sector_freq", "the sector frequencies");
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
 * A wind-rose table: `rows[d]` lists direction d's point speeds and their probabilities
 * (given that direction). Directions are taken modulo 360 and must be distinct; each row's
 * speeds distinct. Nothing is renormalised: frequencies and probabilities are used as given,
 * and not checked to sum to 1 at most: a rose derived from a site (optimizeLayout's coarse
 * rose) keeps its sum, which PyWake's sector rule puts slightly above 1 on some direction grids.
 * The readers of users' roses check (case files, CSV, YAML: checkProbabilitySum).
 * Default flow cases: the table's own directions and the union of its speeds.
 */
export function tableSite(opts: {
  wdDeg: ArrayLike<number>; freq: ArrayLike<number>;
  rows: readonly { ws: ArrayLike<number>; p: ArrayLike<number> }[]; ti?: number;
}, field = "site"): TableSite {
  const D = opts.wdDeg.length;
  if (D === 0) throw new InputError("needs at least one direction", { field: `${field}.wd` });
  if (opts.freq.length !== D) throw new InputError(`has ${opts.freq.length} values for ${D} directions`, { field: `${field}.p_wd` });
  if (opts.rows.length !== D) throw new InputError(`has ${opts.rows.length} rows for ${D} directions`, { field: `${field}.p_ws` });
  const wd = Array.from(opts.wdDeg, (w, d) => {
    if (!Number.isFinite(w)) throw new InputError(`[${d}] must be a finite number`, { field: `${field}.wd` });
    return ((w % 360) + 360) % 360;
  });
  const order = Array.from(wd.keys()).sort((a, b) => wd[a] - wd[b]);
  for (let q = 1; q < D; q++) {
    if (wd[order[q]] === wd[order[q - 1]]) throw new InputError(`lists direction ${wd[order[q]]}° twice`, { field: `${field}.wd` });
  }
  const speeds = new Set<number>();
  opts.rows.forEach((r, d) => {
    if (r.ws.length !== r.p.length) throw new InputError(`[${d}] has ${r.p.length} probabilities for ${r.ws.length} speeds`, { field: `${field}.p_ws` });
    const seen = new Set<number>();
    for (let m = 0; m < r.ws.length; m++) {
      const u = r.ws[m], q = r.p[m];
      if (!(Number.isFinite(u) && u >= 0)) throw new InputError(`[${d}][${m}] must be a speed ≥ 0 m/s, got ${u}`, { field: `${field}.ws` });
      if (seen.has(u)) throw new InputError(`[${d}] lists ${u} m/s twice`, { field: `${field}.ws` });
      if (!(Number.isFinite(q) && q >= 0)) throw new InputError(`[${d}][${m}] must be a probability ≥ 0, got ${q}`, { field: `${field}.p_ws` });
      seen.add(u); speeds.add(u);
    }
  });
  for (let d = 0; d < D; d++) {
    const f = opts.freq[d];
    if (!(Number.isFinite(f) && f >= 0)) throw new InputError(`[${d}] must be a frequency ≥ 0, got ${f}`, { field: `${field}.p_wd` });
  }
  const wsTable = Float64Array.from([...speeds].sort((a, b) => a - b));
  const M = wsTable.length;
  const index = new Map<number, number>();
  wsTable.forEach((u, m) => index.set(u, m));
  const pWsGivenWd = new Float64Array(D * M);
  const wdDeg = new Float64Array(D), sectorFreq = new Float64Array(D);
  order.forEach((d, q) => {
    wdDeg[q] = wd[d];
    sectorFreq[q] = opts.freq[d];
    const r = opts.rows[d];
    for (let m = 0; m < r.ws.length; m++) pWsGivenWd[q * M + index.get(r.ws[m])!] = r.p[m];
  });
  return {
    kind: "table", sectorFreq, wdDeg, wsTable, pWsGivenWd, ti: opts.ti ?? 0.1,
    defaultWdDeg: Float64Array.from(wdDeg), defaultWs: Float64Array.from(wsTable),
  };
}

/** A table whose directions all share the speeds `ws`: `p` is flat, direction-major. */
function sharedSpeedTable(wdDeg: ArrayLike<number>, freq: ArrayLike<number>, ws: ArrayLike<number>, p: ArrayLike<number>, ti: number): TableSite {
  const M = ws.length;
  const rows = Array.from({ length: wdDeg.length }, (_, d) => ({ ws, p: Array.prototype.slice.call(p, d * M, (d + 1) * M) as number[] }));
  return tableSite({ wdDeg, freq, rows, ti });
}

/** Turbulence intensity of the IEA 37 case-study 3/4 model (k = 0.0324555 stands for it). */
const IEA37_CS34_TI = 0.075;

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
    case "iea37-cs3":
      return sharedSpeedTable(IEA37_CS3_WD, IEA37_CS3_FREQ, IEA37_CS34_WS, IEA37_CS3_P_WS, IEA37_CS34_TI);
    case "iea37-cs4":
      return sharedSpeedTable(range(0, 359), IEA37_CS4_FREQ, IEA37_CS34_WS, IEA37_CS4_P_WS, IEA37_CS34_TI);
    default:
      throw new InputError(`unknown built-in site "${String(name)}" (known: ${BUILTIN_SITE_NAMES.join(", ")})`, { field: "site" });
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
 * The table direction nearest to wdDeg on the circle. Halfway between two, the one below
 * (counter-clockwise) wins, as `sectorIndex` decides for evenly spaced sectors (9° → 0°,
 * 351° → 342° with 18° sectors), so each table direction gets a contiguous share.
 */
export function nearestDirectionIndex(tableWdDeg: Float64Array, wdDeg: number): number {
  let best = 0, bestG = Infinity, bestBelow = false;
  for (let d = 0; d < tableWdDeg.length; d++) {
    let delta = (wdDeg - tableWdDeg[d]) % 360;
    if (delta < 0) delta += 360;
    if (delta > 180) delta -= 360; // now in (−180, 180]: > 0 means the table direction is below wd
    const g = Math.abs(delta);
    const below = delta > 0;
    if (g < bestG || (g === bestG && below && !bestBelow)) { bestG = g; best = d; bestBelow = below; }
  }
  return best;
}

/** Width (deg) of the sector a table direction stands for: half the gaps to its two neighbours. */
function tableSectorWidthDeg(tableWdDeg: Float64Array, d: number): number {
  const n = tableWdDeg.length;
  if (n === 1) return 360;
  const prev = tableWdDeg[(d + n - 1) % n], next = tableWdDeg[(d + 1) % n], w = tableWdDeg[d];
  const gPrev = (((w - prev) % 360) + 360) % 360, gNext = (((next - w) % 360) + 360) % 360;
  return (gPrev + gNext) / 2;
}

/**
 * P(wd, ws) for each flow case, flat with ws fastest: `pLK[l·nWs + k]`.
 * - uniform: `freq_s · Δwd / sectorWidth` for every speed.
 * - weibull: `f_s · Δwd / sectorWidth · [F(u_hi) − F(u_lo)]`, `F(u) = 1 − exp(−(u/A_s)^k_s)`.
 * - table: `f_d · Δwd / sectorWidth_d · Σ P(u | d)` over the table speeds u in the speed's bin
 *   [lo, hi) (wsBinEdges), d the nearest table direction, sectorWidth_d half the gaps to its
 *   neighbours. On the table's own directions the factor is 1 and each bin holds exactly its
 *   own speed, so every case carries `f_d · P(u_k | d)` exactly, as iea37-aepcalc.py weighs it.
 * Not renormalized (Horns Rev 1 sums to 0.97365 over 3..25 m/s, as in PyWake; the IEA 37
 * 20-direction rose to 0.9999).
 */
export function flowCaseProbabilities(site: Site, wdDeg: ArrayLike<number>, ws: ArrayLike<number>): Float64Array {
  const L = wdDeg.length;
  const K = ws.length;
  const nS = site.sectorFreq.length;
  const binFrac = wdBinWidthDeg(wdDeg) / (360 / nS);
  const pLK = new Float64Array(L * K);
  if (site.kind === "table") {
    const M = site.wsTable.length;
    const { lower, upper } = wsBinEdges(ws);
    // Which requested bin each table speed falls in (−1: none).
    const binOfM = new Int32Array(M).fill(-1);
    for (let m = 0; m < M; m++) {
      const u = site.wsTable[m];
      for (let k = 0; k < K; k++) {
        if (ws[k] === u || (u >= lower[k] && u < upper[k])) { binOfM[m] = k; break; }
      }
    }
    let own = L === site.wdDeg.length;
    for (let l = 0; l < L && own; l++) own = wdDeg[l] === site.wdDeg[l];
    const width = wdBinWidthDeg(wdDeg);
    for (let l = 0; l < L; l++) {
      const d = nearestDirectionIndex(site.wdDeg, wdDeg[l]);
      const f = own ? site.sectorFreq[d] : site.sectorFreq[d] * (width / tableSectorWidthDeg(site.wdDeg, d));
      for (let m = 0; m < M; m++) {
        const k = binOfM[m];
        if (k >= 0) pLK[l * K + k] += f * site.pWsGivenWd[d * M + m];
      }
    }
    return pLK;
  }
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
