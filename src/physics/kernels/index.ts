/**
 * The wake kernels, one file per model (see common.ts for the contract). Adding a model:
 * its parameter object and formulas in ../deficit/<model>.ts, its kernel here as
 * <model>.ts exporting a `WakeKernel`, one line in KERNELS below, one test.
 */
import type { DeficitModel } from "../deficit/index.js";
import { bastankhahKernel } from "./bastankhahGaussian.js";
import { unknownDeficit, type WakeKernel } from "./common.js";
import { iea37Kernel } from "./iea37SimpleBastankhahGaussian.js";
import { nojKernel } from "./noj.js";

export type { FreeStream, Resolved, Tensors, WakeKernel, WindFarmModel } from "./common.js";
export { Scratch } from "./common.js";

export const KERNELS: readonly WakeKernel[] = [iea37Kernel, bastankhahKernel, nojKernel];

const byDeficit = new Map<string, WakeKernel>();
for (const k of KERNELS) for (const d of k.deficits) byDeficit.set(d, k);

/** The kernel computing deficit model `d`. */
export function kernelFor(d: DeficitModel): WakeKernel {
  return byDeficit.get(d.kind) ?? unknownDeficit(d);
}
