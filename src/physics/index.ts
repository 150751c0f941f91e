// Public API of src/physics: re-exported by src/index.ts. Each concept lives in its own file.
export * from "./site.js";
export * from "./windRose.js";
export * from "./turbine.js";
export * from "./turbineDefinition.js";
export * from "./deficit/index.js";
export * from "./superposition.js";
export * from "./layouts.js";
export * from "./layoutFile.js";
export {
  windFarmModel, aepGWh, aepPerTurbineGWh, aepGradient, candidateAepGWh, speedFreeWakes,
  type WindFarmModel, type FlowCaseOptions,
} from "./engine.js";
export { simulate, type SimulationResult } from "./simulate.js";
export { flowMap, type FlowMapCase } from "./flowMap.js";
export * from "./case.js";
export * from "./modelSpec.js";
export * from "./turbulence/index.js";
export { gaussianOverlapFactor, gaussianOverlapTable } from "./rotorAverage/gaussianOverlap.js";
