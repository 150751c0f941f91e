/**
 * Wind turbines: rotor size and the power and thrust-coefficient curves as functions of the
 * (effective) hub-height wind speed. The engine evaluates them through `turbinePowerCt`,
 * which also returns the slopes the gradients need.
 */
import { InputError } from "../errors.js";
import { V80_CT, V80_POWER_W, V80_WS } from "./data/builtin.js";

/** Power and Ct by linear interpolation in a table, clamped at both ends like `np.interp`. */
export interface TabularTurbine {
  readonly kind: "tabular";
  readonly name: string;
  readonly diameterM: number;
  readonly hubHeightM: number;
  /** Strictly increasing wind speeds (m/s). */
  readonly wsTable: Float64Array;
  readonly powerTableW: Float64Array;
  readonly ctTable: Float64Array;
  /** The common step of `wsTable` when evenly spaced (a direct index then replaces the search), else 0. */
  readonly wsStep?: number;
}

/**
 * The IEA 37 CS1 turbine as PyWake's `IEA37_WindTurbines` defines it:
 * P = min(P_rated·((ws − ws_in)/(ws_rated − ws_in))³, P_rated) for ws_in < ws ≤ ws_out, else 0;
 * Ct constant (8/9) at every speed.
 */
export interface CubicTurbine {
  readonly kind: "cubic";
  readonly name: string;
  readonly diameterM: number;
  readonly hubHeightM: number;
  readonly cutInWs: number;
  readonly ratedWs: number;
  readonly cutOutWs: number;
  readonly ratedPowerW: number;
  readonly ct: number;
}

export type Turbine = TabularTurbine | CubicTurbine;
export type BuiltinTurbineName = "V80" | "IEA37_3.35MW" | "IEA37_10MW";
export const BUILTIN_TURBINE_NAMES: readonly BuiltinTurbineName[] = ["V80", "IEA37_3.35MW", "IEA37_10MW"];

export function tabularTurbine(opts: {
  name: string; diameterM: number; hubHeightM: number;
  ws: ArrayLike<number>; powerW: ArrayLike<number>; ct: ArrayLike<number>;
}, field = "turbine"): TabularTurbine {
  checkRotor(opts.diameterM, opts.hubHeightM, field);
  const n = opts.ws.length;
  if (n < 2) throw new InputError("needs at least two rows", { field: `${field}.ws` });
  if (opts.powerW.length !== n) throw new InputError(`has ${opts.powerW.length} values for ${n} wind speeds`, { field: `${field}.power_W` });
  if (opts.ct.length !== n) throw new InputError(`has ${opts.ct.length} values for ${n} wind speeds`, { field: `${field}.ct` });
  for (let i = 0; i < n; i++) {
    if (!Number.isFinite(opts.ws[i]) || (i > 0 && !(opts.ws[i] > opts.ws[i - 1]))) {
      throw new InputError("must be finite and strictly increasing", { field: `${field}.ws` });
    }
    if (!Number.isFinite(opts.powerW[i]) || opts.powerW[i] < 0) throw new InputError(`[${i}] must be a finite number ≥ 0`, { field: `${field}.power_W` });
    if (!Number.isFinite(opts.ct[i]) || opts.ct[i] < 0) throw new InputError(`[${i}] must be a finite number ≥ 0`, { field: `${field}.ct` });
  }
  let peak = 0, ctMax = 0;
  for (let i = 0; i < n; i++) { peak = Math.max(peak, opts.powerW[i]); ctMax = Math.max(ctMax, opts.ct[i]); }
  checkPowerDensity(peak, opts.diameterM, `${field}.power_W`);
  if (ctMax > CT_MAX) {
    throw new InputError(`reaches ${ctMax}, where thrust coefficients stay below ~1.5${ctMax > 10 ? " (percent? give fractions: divide by 100)" : ""}`, { field: `${field}.ct` });
  }
  const wsTable = Float64Array.from(opts.ws);
  let wsStep = wsTable[1] - wsTable[0];
  for (let i = 2; i < n; i++) if (wsTable[i] - wsTable[i - 1] !== wsStep) wsStep = 0;
  return {
    kind: "tabular", name: opts.name, diameterM: opts.diameterM, hubHeightM: opts.hubHeightM,
    wsTable, powerTableW: Float64Array.from(opts.powerW), ctTable: Float64Array.from(opts.ct), wsStep,
  };
}

export function cubicTurbine(opts: {
  name: string; diameterM: number; hubHeightM: number; cutInWs: number; ratedWs: number;
  cutOutWs: number; ratedPowerW: number; ct?: number;
}, field = "turbine"): CubicTurbine {
  checkRotor(opts.diameterM, opts.hubHeightM, field);
  if (!(opts.cutInWs >= 0 && opts.ratedWs > opts.cutInWs && opts.cutOutWs >= opts.ratedWs)) {
    throw new InputError("needs 0 ≤ cut_in < rated_ws ≤ cut_out", { field });
  }
  if (!(opts.ratedPowerW > 0)) throw new InputError("must be > 0", { field: `${field}.rated_power_W` });
  checkPowerDensity(opts.ratedPowerW, opts.diameterM, `${field}.rated_power_W`);
  const ct = opts.ct ?? 8 / 9;
  if (!(ct >= 0 && ct < 1)) throw new InputError("must be in [0, 1)", { field: `${field}.ct` });
  return { kind: "cubic", ...opts, ct };
}

/**
 * The least rated power per m² of rotor accepted (W/m²). Turbines built have ~150–700 (low
 * specific power onshore machines ~150, the V80 398, IEA 37 10 MW 325); a curve in kW gives ~0.3–0.4.
 * PyWake's tables carry a power_unit for that reason; wflo's are in watts, and a curve 1000
 * times too small would give every AEP 1000 times too small without an error.
 */
export const MIN_POWER_DENSITY_W_PER_M2 = 10;
/** Thrust coefficients above this are refused: measured tables stay below ~1.5; a Ct in percent is 80. */
export const CT_MAX = 2;

/** Rotor diameters a batch accepts (m): a 1 m test rotor up to well past today's largest (~260 m). */
export const TURBINE_DIAMETER_RANGE_M = [1, 500] as const;

function checkPowerDensity(peakW: number, diameterM: number, field: string): void {
  // a diameter outside the range is the error to report (the batch does), not the power
  if (!(diameterM >= TURBINE_DIAMETER_RANGE_M[0] && diameterM <= TURBINE_DIAMETER_RANGE_M[1])) return;
  const density = peakW / (Math.PI * diameterM * diameterM / 4);
  if (density >= MIN_POWER_DENSITY_W_PER_M2) return;
  throw new InputError(
    `peaks at ${+peakW.toPrecision(6)} W: ${+density.toPrecision(2)} W per m² of its ${diameterM} m rotor, where turbines built have ` +
    `150–700 (the V80 398); the power is in watts${density > 0.01 ? " — is this curve in kW? multiply it by 1000" : ""}`,
    { field },
  );
}

function checkRotor(d: number, h: number, field: string): void {
  if (!Number.isFinite(d) || d <= 0) throw new InputError(`must be a positive number of metres, got ${d}`, { field: `${field}.diameter_m` });
  if (!Number.isFinite(h) || h < 0) throw new InputError(`must be a number of metres ≥ 0, got ${h}`, { field: `${field}.hub_height_m` });
}

/** The IEA 37 3.35 MW reference turbine: D = 130 m, hub 110 m, 4 / 9.8 / 25 m/s. */
export function iea37Turbine(): CubicTurbine {
  return cubicTurbine({
    name: "IEA37_3.35MW", diameterM: 130, hubHeightM: 110,
    cutInWs: 4, ratedWs: 9.8, cutOutWs: 25, ratedPowerW: 3.35e6, ct: 8 / 9,
  });
}

/**
 * The IEA 37 case-study 3/4 10 MW turbine (iea37-10mw.yaml): D = 198 m, hub 119 m,
 * 4 / 11 / 25 m/s, the analytic cubic curve, Ct 8/9 as iea37-aepcalc.py hard-codes it.
 */
export function iea37Turbine10MW(): CubicTurbine {
  return cubicTurbine({
    name: "IEA37_10MW", diameterM: 198, hubHeightM: 119,
    cutInWs: 4, ratedWs: 11, cutOutWs: 25, ratedPowerW: 10e6, ct: 8 / 9,
  });
}

/** Vestas V80 2 MW as PyWake's `hornsrev1.V80()`: D = 80 m, hub 70 m, no cut-out above 25 m/s. */
export function v80Turbine(): TabularTurbine {
  return tabularTurbine({ name: "V80", diameterM: 80, hubHeightM: 70, ws: V80_WS, powerW: V80_POWER_W, ct: V80_CT });
}

export function builtinTurbine(name: BuiltinTurbineName): Turbine {
  switch (name) {
    case "V80": return v80Turbine();
    case "IEA37_3.35MW": return iea37Turbine();
    case "IEA37_10MW": return iea37Turbine10MW();
    default:
      throw new InputError(`unknown built-in turbine "${String(name)}" (known: ${BUILTIN_TURBINE_NAMES.join(", ")})`, { field: "turbine" });
  }
}

/**
 * Power (W), Ct and their slopes at one wind speed, written into `out`
 * ([power, ct, dPower/dws, dCt/dws]) so hot loops allocate nothing. On a table row the
 * slope is that of the segment to its right, the one `np.interp`'s formula uses there.
 */
export function turbinePowerCt(t: Turbine, ws: number, out: Float64Array): void {
  if (t.kind === "cubic") {
    out[1] = t.ct;
    out[3] = 0;
    if (ws > t.cutInWs && ws <= t.cutOutWs) {
      const span = t.ratedWs - t.cutInWs;
      const r = (ws - t.cutInWs) / span;
      const p = t.ratedPowerW * r * r * r;
      if (p < t.ratedPowerW) {
        out[0] = p;
        out[2] = (3 * t.ratedPowerW * r * r) / span;
      } else {
        out[0] = t.ratedPowerW;
        out[2] = 0;
      }
    } else {
      out[0] = 0;
      out[2] = 0;
    }
    return;
  }
  tabularPowerCt(t, ws, out);
}

/**
 * `turbinePowerCt` of a tabular turbine: np.interp on its rows. A function of its own so that hot
 * loops which know the turbine is tabular can call it directly (small enough for V8 to inline:
 * a call that is not inlined boxes its double argument, one heap number per call).
 */
export function tabularPowerCt(t: TabularTurbine, ws: number, out: Float64Array): void {
  const xs = t.wsTable;
  const n = xs.length;
  if (!(ws >= xs[0])) { // also NaN: np.interp gives the left value below the table
    out[0] = t.powerTableW[0]; out[1] = t.ctTable[0]; out[2] = 0; out[3] = 0;
    return;
  }
  if (ws >= xs[n - 1]) {
    out[0] = t.powerTableW[n - 1]; out[1] = t.ctTable[n - 1]; out[2] = 0; out[3] = 0;
    return;
  }
  // lo: the last row with xs[lo] ≤ ws (np.interp's segment)
  let lo = 0;
  let hi = n - 1;
  const step = t.wsStep;
  if (step) {
    lo = Math.floor((ws - xs[0]) / step);
    if (lo > n - 2) lo = n - 2;
    if (xs[lo] > ws) lo--;
    else if (xs[lo + 1] <= ws) lo++;
    hi = lo + 1;
  } else {
    while (hi - lo > 1) {
      const mid = (lo + hi) >> 1;
      if (xs[mid] <= ws) lo = mid; else hi = mid;
    }
  }
  const dx = xs[hi] - xs[lo];
  const sp = (t.powerTableW[hi] - t.powerTableW[lo]) / dx;
  const sc = (t.ctTable[hi] - t.ctTable[lo]) / dx;
  out[0] = sp * (ws - xs[lo]) + t.powerTableW[lo];
  out[1] = sc * (ws - xs[lo]) + t.ctTable[lo];
  out[2] = sp;
  out[3] = sc;
}

/**
 * A tabular turbine's curves laid out for the engine's speed loops: the per-segment slopes
 * precomputed, the very quotients `turbinePowerCt` forms on each call, so a loop that reads
 * them gets the same bits; the loops then do one index and two multiply-adds per visit
 * (the per-call quotients and property reads were a fifth of the Horns Rev NOJ time).
 * Only for tables with a common step; anything else keeps calling `turbinePowerCt`.
 */
export interface UniformCurve {
  readonly ws: Float64Array;
  readonly powerW: Float64Array;
  readonly ct: Float64Array;
  /** Slopes of the segment to the right of each row (the last row's: 0). */
  readonly powerSlope: Float64Array;
  readonly ctSlope: Float64Array;
  readonly step: number;
  /** 1/step: the row guess multiplies (it is corrected by comparisons, so rounding cannot matter). */
  readonly invStep: number;
}

const uniformCurves = new WeakMap<Turbine, UniformCurve | null>();

/** The turbine's `UniformCurve`, built once per turbine object; null for cubic or unevenly spaced tables. */
export function uniformCurve(t: Turbine): UniformCurve | null {
  let cv = uniformCurves.get(t);
  if (cv !== undefined) return cv;
  cv = null;
  if (t.kind === "tabular" && t.wsStep) {
    const xs = t.wsTable, n = xs.length;
    const powerSlope = new Float64Array(n), ctSlope = new Float64Array(n);
    for (let lo = 0; lo < n - 1; lo++) {
      const dx = xs[lo + 1] - xs[lo];
      powerSlope[lo] = (t.powerTableW[lo + 1] - t.powerTableW[lo]) / dx;
      ctSlope[lo] = (t.ctTable[lo + 1] - t.ctTable[lo]) / dx;
    }
    cv = { ws: xs, powerW: t.powerTableW, ct: t.ctTable, powerSlope, ctSlope, step: t.wsStep, invStep: 1 / t.wsStep };
  }
  uniformCurves.set(t, cv);
  return cv;
}

/** `turbinePowerCt` on a `UniformCurve`: the same segment, the same arithmetic, the same bits. */
export function uniformPowerCt(cv: UniformCurve, ws: number, out: Float64Array): void {
  const xs = cv.ws;
  const n = xs.length;
  if (!(ws >= xs[0])) {
    out[0] = cv.powerW[0]; out[1] = cv.ct[0]; out[2] = 0; out[3] = 0;
    return;
  }
  if (ws >= xs[n - 1]) {
    out[0] = cv.powerW[n - 1]; out[1] = cv.ct[n - 1]; out[2] = 0; out[3] = 0;
    return;
  }
  let lo = Math.floor((ws - xs[0]) * cv.invStep);
  if (lo > n - 2) lo = n - 2;
  if (xs[lo] > ws) lo--;
  else if (xs[lo + 1] <= ws) lo++;
  const sp = cv.powerSlope[lo];
  const sc = cv.ctSlope[lo];
  out[0] = sp * (ws - xs[lo]) + cv.powerW[lo];
  out[1] = sc * (ws - xs[lo]) + cv.ct[lo];
  out[2] = sp;
  out[3] = sc;
}

/**
 * The top of a tabular power curve where it is flat: the rows from which every power equals the
 * last (which the table also returns above its end). From `loWs` (m/s) up the power is exactly
 * `powerW` (interpolating between equal rows adds 0·d), and Ct lies within [ctMin, ctMax].
 * `loWs` is Infinity when the last two rows differ or the curve is cubic (zero past cut-out).
 * The AEP loops skip the wake propagation at speeds whose every WS_eff provably stays there.
 */
export interface FlatTop { readonly loWs: number; readonly powerW: number; readonly ctMin: number; readonly ctMax: number }

export function flatTop(t: Turbine): FlatTop {
  if (t.kind === "tabular") {
    const P = t.powerTableW, C = t.ctTable, xs = t.wsTable;
    const last = P.length - 1;
    let r = last;
    while (r > 0 && P[r - 1] === P[last]) r--;
    if (r < last) {
      let ctMin = Infinity, ctMax = 0;
      for (let j = r; j <= last; j++) { ctMin = Math.min(ctMin, C[j]); ctMax = Math.max(ctMax, C[j]); }
      return { loWs: xs[r], powerW: P[last], ctMin, ctMax };
    }
  }
  return { loWs: Infinity, powerW: 0, ctMin: 0, ctMax: 0 };
}

/** Convenience (not for hot loops): power (W) at one speed. */
export function turbinePowerW(t: Turbine, ws: number): number {
  const o = new Float64Array(4);
  turbinePowerCt(t, ws, o);
  return o[0];
}

/** Convenience (not for hot loops): Ct at one speed. */
export function turbineCt(t: Turbine, ws: number): number {
  const o = new Float64Array(4);
  turbinePowerCt(t, ws, o);
  return o[1];
}
