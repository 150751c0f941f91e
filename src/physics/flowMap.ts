/**
 * `flowMap`: the effective wind speed at arbitrary points in a farm's wakes for one flow case,
 * PyWake's `sim_res.flow_map()` at hub height with no rotor averaging (a point is a rotor of
 * zero size).
 *
 * The farm is first propagated by the engine (`runWithTensors`, the path `simulate` takes), so
 * each turbine's WS_eff and Ct are exactly the engine's. Each point then superposes the deficit
 * of every turbine with dw > −1e-10 (PyWake's wake split, dw = 0 included), computed with the
 * model's kernel (`WakeKernel.pointDeficit`, ./kernels/) at the point's (dw, cw):
 *   IEA37 simple / Bastankhah / Niayifar: d = WS·centre(Ct·D²/(8σ²))·exp(−cw²/(2σ²)),
 *     σ = k·dw⁺ + ε·D, skipped beyond the engine's cull (GAUSS_CULL: < 1e-13·WS dropped);
 *   NOJ: d = 2·a(min(Ct, 1))·WS·(R/R_w)²·overlap(R_w, 0, cw), the overlap of a zero-size rotor
 *     (1 strictly inside the wake circle, 0 on or outside it, as PyWake's point overlap), dw > 0.
 * The additions run over sources in the engine's upstream-first order with the engine's
 * expressions, so at a turbine's position the Gaussian maps reproduce its WS_eff (to ~1 ulp).
 *
 * A point exactly at a turbine's (x, y) does not take that turbine's own deficit: a turbine
 * never wakes itself, and the map there equals the turbine's WS_eff. PyWake's flow map (and
 * `candidateAepGWh`, TopFarm's rule) would count it there (dw = 0 passes dw > −1e-10); any
 * other point at dw = 0 — including one a hair from the centre — does count it, as in PyWake.
 */
import { InputError } from "../errors.js";
import { resolvedModel, runWithTensors, type WindFarmModel } from "./engine.js";
import { isGeneral, wakeModelOf } from "./kernels/general.js";
import { pairDeficit } from "./generalPropagation.js";

/** One flow case: where the wind comes from (degrees) and its free-stream speed (m/s). */
export interface FlowMapCase {
  readonly wdDeg: number;
  readonly ws: number;
}

/**
 * Effective wind speed (m/s) at each point (pointsX[a], pointsY[a]) for the flow case
 * `opts`, in the wakes of the turbines at (x, y). Writes into `out` (length ≥ points) when
 * given, else a new array; returns it.
 */
export function flowMap(
  model: WindFarmModel, x: ArrayLike<number>, y: ArrayLike<number>,
  pointsX: Float64Array, pointsY: Float64Array, opts: FlowMapCase, out?: Float64Array,
): Float64Array {
  const m = pointsX.length;
  if (pointsY.length !== m) throw new InputError(`pointsX has ${m} values but pointsY has ${pointsY.length}`, { field: "points" });
  for (let a = 0; a < m; a++) {
    if (!Number.isFinite(pointsX[a]) || !Number.isFinite(pointsY[a])) {
      throw new InputError(`point ${a} has a non-finite coordinate`, { field: "points" });
    }
  }
  if (!Number.isFinite(opts.wdDeg)) throw new InputError("must be a finite number", { field: "wdDeg" });
  if (!Number.isFinite(opts.ws)) throw new InputError("must be a finite number", { field: "ws" });
  const res = out ?? new Float64Array(m);
  if (res.length < m) throw new InputError(`output needs length ≥ ${m}`, { field: "out" });

  // The engine's propagation for this one flow case: WS_eff and Ct per turbine ([n, 1, 1]).
  const { tensors } = runWithTensors(model, x, y, { wdDeg: [opts.wdDeg], ws: [opts.ws] });
  const ctI = tensors.ctILK;
  const n = x.length;
  const WS = opts.ws;
  if (isGeneral(model)) return generalMap(model, x, y, pointsX, pointsY, opts, tensors, res);
  const r = resolvedModel(model);
  const kernel = r.kernel;
  const linear = r.linear;

  // Sources in the engine's upstream-first order (ascending s = −cosθ·x − sinθ·y, ties by id),
  // so each point adds its deficits in the order the engine adds a turbine's.
  const theta = (90 - opts.wdDeg) * (Math.PI / 180);
  const c = Math.cos(theta);
  const s = Math.sin(theta);
  const order = Array.from({ length: n }, (_, i) => i);
  const key = Float64Array.from({ length: n }, (_, i) => -c * x[i] - s * y[i]);
  order.sort((i, j) => key[i] - key[j] || i - j);

  // Per source, in that order: position, Ct and the kernel's Ct-dependent factor.
  const srcX = new Float64Array(n);
  const srcY = new Float64Array(n);
  const ctP = new Float64Array(n);
  const facP = new Float64Array(n);
  const tiP = new Float64Array(n);
  // Effective TI per turbine when the propagation kept it (a turbulence model), else ambient.
  const tiI = (tensors as { tiEffILK?: Float64Array }).tiEffILK;
  for (let p = 0; p < n; p++) {
    const i = order[p];
    srcX[p] = x[i];
    srcY[p] = y[i];
    ctP[p] = ctI[i];
    tiP[p] = tiI ? tiI[i] : r.tiAmb;
    facP[p] = kernel.sourceFactor(r, ctI[i], WS, tiP[p]);
  }

  for (let a = 0; a < m; a++) {
    const xa = pointsX[a];
    const ya = pointsY[a];
    let acc = 0;
    for (let p = 0; p < n; p++) {
      const dx = xa - srcX[p];
      const dy = ya - srcY[p];
      if (dx === 0 && dy === 0) continue; // the turbine's own rotor centre: it does not wake itself
      const def = kernel.pointDeficit(r, ctP[p], facP[p], WS, -c * dx - s * dy, s * dx - c * dy, tiP[p]);
      if (def === 0) continue;
      acc += linear ? def : def * def;
    }
    res[a] = acc === 0 ? WS : WS - (linear ? acc : Math.sqrt(acc));
  }
  return res;
}

/**
 * The map of a model on the general kernel (turbulence, GaussianOverlap, TurboGaussian …): each
 * source's deficit at the point for a zero-size rotor (GaussianOverlap then reads its table at
 * R/σ = 0, as PyWake's flow map does), with the source's WS_eff and TI_eff where the model uses them.
 */
function generalMap(
  model: WindFarmModel, x: ArrayLike<number>, y: ArrayLike<number>, pointsX: Float64Array, pointsY: Float64Array,
  opts: FlowMapCase, tensors: { wsEffILK: Float64Array; ctILK: Float64Array; tiEffILK?: Float64Array }, res: Float64Array,
): Float64Array {
  const wake = wakeModelOf(model);
  const d = wake.deficit;
  const useEffWs = "useEffectiveWs" in d && d.useEffectiveWs;
  const useEffTi = "useEffectiveTi" in d && d.useEffectiveTi;
  const linear = wake.superposition === "linear";
  const { diameterM: D, hubHeightM: h } = model.turbine;
  const WS = opts.ws;
  const n = x.length;
  const theta = (90 - opts.wdDeg) * (Math.PI / 180);
  const c = Math.cos(theta);
  const s = Math.sin(theta);
  const order = Array.from({ length: n }, (_, i) => i);
  const key = Float64Array.from({ length: n }, (_, i) => -c * x[i] - s * y[i]);
  order.sort((i, j) => key[i] - key[j] || i - j);
  for (let a = 0; a < pointsX.length; a++) {
    let acc = 0;
    for (const i of order) {
      const dx = pointsX[a] - x[i];
      const dy = pointsY[a] - y[i];
      if (dx === 0 && dy === 0) continue;
      const tiRef = useEffTi && tensors.tiEffILK ? tensors.tiEffILK[i] : model.site.ti;
      const def = pairDeficit(wake, D, h, tensors.ctILK[i], useEffWs ? tensors.wsEffILK[i] : WS, tiRef, -c * dx - s * dy, s * dx - c * dy, 0);
      acc += linear ? def : def * def;
    }
    res[a] = acc === 0 ? WS : WS - (linear ? acc : Math.sqrt(acc));
  }
  return res;
}
