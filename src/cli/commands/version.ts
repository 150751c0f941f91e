import { readFileSync } from "node:fs";

export const usage = "usage: wflo version";
export const summary = "print the wflo version";

export async function run(): Promise<number> {
  const pkg = JSON.parse(readFileSync(new URL("../../../package.json", import.meta.url), "utf8")) as { version: string };
  console.log(pkg.version);
  return 0;
}
