/**
 * wflo's public API: what notebook cells, scripts and users call, by area. A model is one
 * line (`iea37CaseStudy1()`) or composed PyWake-style (`windFarmModel({ site, turbine,
 * deficit, superposition })`); `simulate`/`aepGWh` evaluate a layout; `optimizeLayout` runs
 * smart start and the optimizer; `runBatch` runs a spec into a crash-safe HDF5 file that
 * `validate`, `mergeParts`, `recover`, `inspectFile`/`summarize` and `writeReport` work on.
 * Notebook cells use the `notebook` namespace (`import { notebook as nb } from "wflo"`).
 *
 * Everything else (formula functions, the HDF5 superblock reader, the worker pool, locks,
 * test hooks) is in `wflo/internal`, without a promise to stay.
 */

// ---- errors: every wflo error has a `kind` for programs and an `exitCode` for the CLI
export { WfloError, InputError, UsageError, isUserError, type WfloErrorKind } from "./errors.js";

// ---- physics: sites, turbines, wake models, the wind-farm model, AEP
export {
  builtinSite, uniformSite, weibullSite, tableSite, BUILTIN_SITE_NAMES,
  type Site, type UniformSite, type WeibullSite, type TableSite, type BuiltinSiteName,
} from "./physics/site.js";
export { siteFromCsv, tableSiteFromCsv, tableSiteFromIea37Yaml, tableSiteToDefinition } from "./physics/windRose.js";
export {
  builtinTurbine, tabularTurbine, cubicTurbine, turbinePowerW, turbineCt, turbinePowerCt, BUILTIN_TURBINE_NAMES,
  type Turbine, type TabularTurbine, type CubicTurbine, type BuiltinTurbineName,
} from "./physics/turbine.js";
export { turbineFromDefinition, turbineToDefinition, turbineFromIea37Yaml } from "./physics/turbineDefinition.js";
export {
  deficitModel, DEFICIT_NAMES, noj, bastankhahGaussian, iea37SimpleBastankhahGaussian, niayifarGaussian,
  type DeficitModel, type DeficitName, type NOJ, type BastankhahGaussian, type IEA37SimpleBastankhahGaussian, type NiayifarGaussian,
} from "./physics/deficit/index.js";
export { superpositionModel, type SuperpositionModel, type SuperpositionName } from "./physics/superposition.js";
export { builtinLayout, BUILTIN_LAYOUT_NAMES, type Layout, type BuiltinLayoutName } from "./physics/layouts.js";
export { layoutFromCsv, layoutFromIea37Yaml, layoutToCsv } from "./physics/layoutFile.js";
export {
  windFarmModel, aepGWh, aepPerTurbineGWh, aepGradient, type WindFarmModel, type FlowCaseOptions,
} from "./physics/engine.js";
export { simulate, type SimulationResult } from "./physics/simulate.js";
export { flowMap, type FlowMapCase } from "./physics/flowMap.js";
export {
  parseCase, parseCaseModel, parseSite, parseTurbine, parseLayout, type Case, type CaseModel, type CaseOptions,
} from "./physics/case.js";
// The case/spec "model" contract (README "Wake models"): presets by PyWake's names, parts, parameters.
export {
  parseWakeModel, windFarmModelOf, presetWakeModel, PRESET_NAMES, type WakeModel, type PresetName,
} from "./physics/modelSpec.js";
// Models as publications define them, one line each: literature.iea37CaseStudy1(), ….
export * as literature from "./physics/literature.js";
export { iea37CaseStudy1, iea37CaseStudy3, iea37CaseStudy4 } from "./physics/literature.js";

// ---- layout: boundaries, smart start, the optimizer
export {
  circleBoundary, polygonBoundary, boundaryArea, boundaryCanHold, boundingBox,
  type Boundary, type BoundaryCircle, type PolygonBoundary, type BoundaryPolygon, type BBox, type CapacityCheck,
} from "./layout/boundary.js";
export { candidateGrid, type CandidateGrid } from "./layout/grid.js";
export { NoFeasiblePositionError } from "./layout/smartStart.js";
export { feasibilityCheck, FEASIBILITY_TOL_M, type Feasibility } from "./layout/constraints.js";
export {
  OPTIMIZER_METHODS, type OptimizerOptions, type OptimizerMethod, type OptimizeProgress,
} from "./layout/optimize.js";
export {
  optimizeLayout, smartStartLayout, defaultMaxEvaluations, type OptimizeLayoutConfig, type OptimizeLayoutResult,
} from "./layout/optimizeLayout.js";
export {
  parseBoundary, parseLayoutCase, builtinBoundary, BUILTIN_BOUNDARY_NAMES, type LayoutCase, type BuiltinBoundaryName,
} from "./layout/case.js";

// ---- batch: specs, runs, shards, Slurm status
export { runBatch, type RunBatchOptions, type BatchSummary, type BatchFailure } from "./batch/run.js";
export { parseBatchSpec, parseBatchSpecText, readBatchSpec, specJson, type BatchSpecOptions } from "./batch/spec.js";
export type { BatchSpec, BatchSpecInput, FarmSpec, Json } from "./batch/specTypes.js";
export {
  expandConfigs, parseShard, shardConfigs, layoutProblem, resultAttrs, rootAttrs, turbineName, farmName,
  type BatchConfig, type Shard,
} from "./batch/config.js";
export { buildModel, buildBoundary, buildSite, buildTurbine, optimizerOptions, wakeModelName } from "./batch/build.js";
export { formatProgressLine, formatProgressBar, type BatchProgress, type BatchPhase } from "./batch/progress.js";
export { batchStatus, type BatchStatus, type ShardStatus, type StatusOptions } from "./batch/status.js";

// ---- store: results on disk, validate / merge / recover / inspect
export { formatKey, parseKey, tryParseKey, isResultKey, type ConfigKey } from "./store/key.js";
export {
  type ResultRecord, type StoredResult, type FailureRecord, type AttrValue, type RootAttrs, type GroupStatus,
} from "./store/schema.js";
export { inspectFile, isGoodStatus, type FileReport, type GroupReport, type FailureReport, type FileStatus } from "./store/read.js";
export { validate, type ValidateOptions, type ValidateReport } from "./store/validate.js";
export { summarize, summarizeReport, formatSummary, type StoreSummary, type AepStats } from "./store/summary.js";
export { commitResult, commitFailure, CommitConflictError, type CommitOutcome, type CommitOptions } from "./store/commit.js";
export { committedKeys, storeState, type StoreState } from "./store/state.js";
export { mergeParts, type MergeOptions, type MergeReport, type MergeConflict } from "./store/merge.js";
export {
  recover, fullyRecovered, type RecoverOptions, type RecoverReport, type RecoverFileReport, type RecoverFileStatus, type RecoverConflict,
} from "./store/recover.js";
export { LockError, type LockState } from "./store/lock.js";
export { partsDir } from "./store/parts.js";

// ---- report: the offline HTML report of an output
export { writeReport, readReportData, reportHtml, type ReportData, type ReportRow } from "./report/report.js";

// ---- figures: pure builders, plain data in, plotly figure out
export type { PlotlyFigure, PlotlyTrace, FigurePolygon, TurbinePoints } from "./figures/types.js";
export { layoutFigure, type LayoutFigureInput, type FigureCircle } from "./figures/layout.js";
export { windRoseFigure, type WindRoseInput } from "./figures/windRose.js";
export { aepDistributionFigure, aepGainFigure, aepGroupStats, type AepRow, type AepGroupStats } from "./figures/aep.js";
export { convergenceFigure, type ConvergenceSeries } from "./figures/convergence.js";
export { flowMapFigure, type FlowMapInput } from "./figures/flowMap.js";
export { aepVsSpacingFigure, type SpacingSeries } from "./figures/spacing.js";
export { recoveryFigure, type RecoveryRow } from "./figures/recovery.js";
export { windRoseOf, flowMapOf, type FlowMapOptions } from "./figures/physicsViews.js";
export {
  turbineCurvesOf, turbineCurvesFigure, wakeProfilesOf, wakeCentrelineFigure, wakeCrossFigure, maskNearWake,
  nearWakeLengthD, bastankhahUndefinedBelowD, rowPowerFigure, powerDensityFigure, caseStudyFigure, withBoundaryRegions,
  type TurbineCurves, type WakeProfiles, type WakeProfileSeries, type CrossProfileSeries, type RowSeries,
  type DensitySeries, type CaseStudyPanel, type CaseStudyRun,
} from "./figures/wakeTeaching.js";
export { figureHtml } from "./figures/html.js";

// ---- notebook: display in tslab cells, and the cell helpers as one namespace
export { show, type Renderable } from "./notebook/show.js";
export * as notebook from "./notebook/cells.js";
