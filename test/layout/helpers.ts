// Shared by the layout tests: reference files (tests only; the library never reads them).
import { existsSync, readFileSync } from "node:fs";
import {
  builtinSite, builtinTurbine, deficitModel, superpositionModel, windFarmModel,
} from "../../src/physics/index.js";

// ../shared/reference beside the checkout: /work/main's is /work/shared, a worktree's
// (/work/wt/NAME) one more level up; the nearest one going up is the one meant.
const refDir = ((): URL => {
  for (const up of ["../../../", "../../../../"]) {
    const u = new URL(`${up}shared/reference/`, import.meta.url);
    if (existsSync(u)) return u;
  }
  return new URL("../../../shared/reference/", import.meta.url);
})();

export function reference<T = any>(name: string): T {
  return JSON.parse(readFileSync(new URL(name, refDir), "utf8")) as T;
}

export function fixture<T = any>(name: string): T {
  return JSON.parse(readFileSync(new URL(`./fixtures/${name}`, import.meta.url), "utf8")) as T;
}

/** IEA 37 case study 1: IEA37 simple Gaussian, 16 directions, 9.8 m/s. */
export function iea37Model() {
  return windFarmModel({
    site: builtinSite("iea37"),
    turbine: builtinTurbine("IEA37_3.35MW"),
    deficit: deficitModel("IEA37SimpleBastankhahGaussian"),
    superposition: superpositionModel("squared"),
  });
}
