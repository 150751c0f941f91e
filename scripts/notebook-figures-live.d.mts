// Types of notebook-figures-live.mjs, for test/notebook/figures-live.test.ts.
export declare const FIGURES: number;
export interface FigureStep { name: string; figures: number; drawn: number; staticShown: number; hints: string[]; errors: string[]; scrollBoxes?: number }
export declare function figuresLiveCheck(opts?: { figures?: boolean; batch?: boolean; log?: (line: string) => void }): Promise<{
  steps: FigureStep[];
  measured: { savedBytes: number; exportBytes: number; liveFirstFigureMs: number; reopenFirstFigureMs: number; batchResume: { ok: boolean; results: number; skipped: number; done: number }; [k: string]: unknown };
}>;
