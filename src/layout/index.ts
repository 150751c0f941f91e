// Public API of src/layout: re-exported by src/index.ts. Each concept lives in its own file.
export {
  type Boundary, type BoundaryCircle, type PolygonBoundary, type BoundaryPolygon, type BBox, type CapacityCheck,
  circleBoundary, polygon, polygonBoundary, signedDistance, signedDistanceAt, boundingBox, boundaryArea,
  boundaryCanHold,
} from "./boundary.js";
export { linspace, candidateGrid, type CandidateGrid } from "./grid.js";
export { MT19937 } from "./rng.js";
export {
  smartStart, roundHalfEven, NoFeasiblePositionError, randomPctWarning,
  type ValueMap, type SmartStartOptions, type SmartStartResult,
} from "./smartStart.js";
export { latticeStarts, type LatticeStart, type LatticeStartOptions } from "./latticeStart.js";
export { feasibilityCheck, repairLayout, FEASIBILITY_TOL_M, type Feasibility } from "./constraints.js";
export { lbfgs, type Smooth, type LbfgsOptions, type LbfgsResult } from "./lbfgs.js";
export {
  optimize, OPTIMIZER_METHODS, type OptimizeProblem, type OptimizeResult, type OptimizerOptions,
  type AepFunction, type AepWithGradient, type OptimizeObjective, type OptimizeProgress, type OptimizerMethod,
} from "./optimize.js";
export {
  optimizeLayout, smartStartLayout, modelValueMap, modelAepGradient, coarseModel, widenedDeficit,
  defaultMaxEvaluations, WEC_FACTORS, WORK_BUDGET, COARSE_ROSE_DIRECTIONS, COARSE_ROSE_SPEEDS, COARSE_ROSE_MIN_DIRECTIONS,
  type OptimizeLayoutConfig, type OptimizeLayoutResult,
} from "./optimizeLayout.js";
export {
  parseBoundary, parseLayoutCase, builtinBoundary, BUILTIN_BOUNDARY_NAMES,
  type LayoutCase, type BuiltinBoundaryName,
} from "./case.js";
