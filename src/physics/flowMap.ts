/**
 * `flowMap`: the effective wind speed at arbitrary points in a farm's wakes for one flow case,
 * PyWake's `sim_res.flow_map()` at hub height with no rotor averaging (a point is a rotor of
 * zero size).
 *
 * The farm is first propagated by the engine (`runWithTensors`, the path `simulate` takes), so
 * each turbine's WS_eff and Ct are exactly the engine's. Each point then superposes the deficit
 * of every turbine with dw > −1e-10 (PyWake's wake split, dw = 0 included), computed with the
 * formula functions of src/physics/deficit/ at the point's (dw, cw):
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
import { bastankhahCentre, bastankhahEpsilon } from "./deficit/bastankhahGaussian.js";
import { IEA37_EPSILON, iea37Centre } from "./deficit/iea37SimpleBastankhahGaussian.js";
import { ct2aMadsen } from "./deficit/induction.js";
import { niayifarK } from "./deficit/niayifarGaussian.js";
import { overlapFraction } from "./deficit/noj.js";
import { GAUSS_CULL, runWithTensors, type WindFarmModel } from "./engine.js";
import { expNeg } from "./expNeg.js";

/** PyWake's wake split and σ's k·dw threshold (engine.ts). */
const DW_WAKE = -1e-10;
const DW_SIGMA = 1e-10;
const GAUSS_CULL2 = 2 * GAUSS_CULL;

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
  const linear = model.superposition.kind === "linear";
  const D = model.turbine.diameterM;
  const R = D / 2;
  const D2over8 = (D * D) / 8;
  const d = model.deficit;
  const kind = d.kind;
  const kExp = kind === "NiayifarGaussian" ? niayifarK(d, model.site.ti) : d.k;
  const ceps = kind === "BastankhahGaussian" || kind === "NiayifarGaussian" ? d.ceps : 0;
  const ctlim = kind === "BastankhahGaussian" || kind === "NiayifarGaussian" ? d.ctlim : 0;

  // Sources in the engine's upstream-first order (ascending s = −cosθ·x − sinθ·y, ties by id),
  // so each point adds its deficits in the order the engine adds a turbine's.
  const theta = (90 - opts.wdDeg) * (Math.PI / 180);
  const c = Math.cos(theta);
  const s = Math.sin(theta);
  const order = Array.from({ length: n }, (_, i) => i);
  const key = Float64Array.from({ length: n }, (_, i) => -c * x[i] - s * y[i]);
  order.sort((i, j) => key[i] - key[j] || i - j);

  // Per source, in that order: position, Ct and the Ct-dependent factor of its deficit
  // (ε·D for the Gaussians, NOJ's 2·a(min(Ct, 1))·WS).
  const srcX = new Float64Array(n);
  const srcY = new Float64Array(n);
  const ctP = new Float64Array(n);
  const facP = new Float64Array(n);
  for (let p = 0; p < n; p++) {
    const i = order[p];
    srcX[p] = x[i];
    srcY[p] = y[i];
    const ct = ctI[i];
    ctP[p] = ct;
    facP[p] = kind === "NOJ" ? 2 * ct2aMadsen(ct < 1 ? ct : 1) * WS
      : kind === "IEA37SimpleBastankhahGaussian" ? IEA37_EPSILON * D
      : bastankhahEpsilon(ct, ceps, ctlim) * D;
  }

  for (let a = 0; a < m; a++) {
    const xa = pointsX[a];
    const ya = pointsY[a];
    let acc = 0;
    for (let p = 0; p < n; p++) {
      const dx = xa - srcX[p];
      const dy = ya - srcY[p];
      if (dx === 0 && dy === 0) continue; // the turbine's own rotor centre: it does not wake itself
      const dw = -c * dx - s * dy;
      if (!(dw > DW_WAKE)) continue;
      const hcw = s * dx - c * dy;
      const ct = ctP[p];
      let def: number;
      if (kind === "NOJ") {
        if (!(dw > 0)) continue;
        const f = facP[p];
        if (f === 0) continue;
        const rw = kExp * dw + R;
        const ov = overlapFraction(rw, 0, Math.abs(hcw));
        if (ov === 0) continue;
        const ratio = R / rw;
        def = f * (ratio * ratio * ov);
      } else {
        if (ct === 0) continue; // a(0) = 0: no deficit
        const sigma = (dw > DW_SIGMA ? kExp * dw : 0) + facP[p];
        const sigma2 = sigma * sigma;
        const cw2 = hcw * hcw;
        if (cw2 > GAUSS_CULL2 * sigma2) continue;
        const inv2 = 1 / sigma2;
        const gauss = expNeg(0.5 * cw2 * inv2);
        def = kind === "IEA37SimpleBastankhahGaussian"
          ? WS * iea37Centre(ct * (D2over8 * inv2)) * gauss
          : WS * bastankhahCentre(ct * D2over8 * inv2) * gauss;
      }
      acc += linear ? def : def * def;
    }
    res[a] = acc === 0 ? WS : WS - (linear ? acc : Math.sqrt(acc));
  }
  return res;
}
