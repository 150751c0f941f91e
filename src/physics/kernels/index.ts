/**
 * The wake kernels, one file per model (see common.ts for the contract). Adding a model:
 * its parameter object and formulas in ../deficit/<model>.ts, its kernel here as
 * <model>.ts exporting a `WakeKernel`, one line in KERNELS below, one test.
 */
import { bastankhahKernel } from "./bastankhahGaussian.js";
import { unknownDeficit, type WakeKernel, type WindFarmModel } from "./common.js";
import { iea37Kernel } from "./iea37SimpleBastankhahGaussian.js";
import { nojKernel } from "./noj.js";

export type { FreeStream, Resolved, ResolvedBase, Tensors, WakeKernel, WindFarmModel } from "./common.js";
export { Scratch } from "./common.js";

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- each kernel has its own Resolved subtype
export const KERNELS: readonly WakeKernel<any>[] = [iea37Kernel, bastankhahKernel, nojKernel];

const byDeficit = new Map<string, WakeKernel>();
for (const k of KERNELS) for (const d of k.deficits) if (!byDeficit.has(d)) byDeficit.set(d, k);

/** The kernel computing `model`: the first whose `accepts` claims it, else the one for its deficit's name. */
export function kernelFor(model: WindFarmModel): WakeKernel {
  for (const k of KERNELS) if (k.accepts?.(model)) return k;
  return byDeficit.get(model.deficit.kind) ?? unknownDeficit(model.deficit);
}
