/**
 * `wflo <command> ...`: each command is one module in ./commands exporting `run` and
 * `summary`, loaded on demand so `wflo aep` never pays for h5wasm start-up.
 */
import { readdirSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { isUserError, WfloError } from "../errors.js";

export interface CommandModule {
  /** One line for `wflo --help`. */
  summary: string;
  /** `wflo <command> --help`: how to call it. */
  usage?: string;
  /** Returns the process exit code: 0 ok, 1 damage/failures found, 2 bad input. */
  run(argv: string[]): Promise<number>;
}

const commandsDir = fileURLToPath(new URL("./commands/", import.meta.url));

function commandNames(): string[] {
  return readdirSync(commandsDir)
    .filter((f) => /\.(ts|js)$/.test(f) && !f.endsWith(".d.ts") && !f.endsWith(".map"))
    .map((f) => f.replace(/\.(ts|js)$/, ""))
    .filter((n, i, a) => a.indexOf(n) === i)
    .sort();
}

async function load(name: string): Promise<CommandModule | undefined> {
  if (!/^[a-z][a-z-]*$/.test(name) || !commandNames().includes(name)) return undefined;
  return (await import(`./commands/${name}.js`)) as CommandModule;
}

async function help(): Promise<string> {
  const lines = ["usage: wflo <command> [options]", "", "commands:"];
  for (const n of commandNames()) {
    const m = await load(n);
    lines.push(`  ${n.padEnd(14)}${m?.summary ?? ""}`);
  }
  return lines.join("\n");
}

/**
 * A reader that went away (`wflo optimize case.json | head -4`) is not the command's failure:
 * what it prints is dropped, and its work (a run's results, a written --out) and exit code
 * stand. Before, the first write to the closed pipe ended the process with a stack trace.
 */
function dropOutputToClosedPipes(): void {
  for (const stream of [process.stdout, process.stderr]) {
    stream.on("error", (e: NodeJS.ErrnoException) => {
      if (e.code !== "EPIPE" && e.code !== "ERR_STREAM_DESTROYED") throw e;
    });
  }
}

export async function main(argv: string[]): Promise<number> {
  dropOutputToClosedPipes();
  const [name, ...rest] = argv;
  try {
    if (!name || name === "--help" || name === "-h" || name === "help") {
      console.log(await help());
      return name ? 0 : 2;
    }
    const cmd = await load(name);
    if (!cmd) {
      console.error(`wflo: unknown command "${name}"\n\n${await help()}`);
      return 2;
    }
    // Every command answers --help (or -h) with its usage, exit 0, before parsing anything else.
    if (rest.includes("--help") || rest.includes("-h")) {
      console.log(`${cmd.usage ?? `usage: wflo ${name} ...`}\n\n${cmd.summary}`);
      return 0;
    }
    return await cmd.run(rest);
  } catch (err) {
    // The one place errors become exit codes: a wflo error says its own (2: the user can fix
    // what they gave; 1 otherwise), anything else is 1. Stacks only on request.
    const e = err as Error;
    console.error(`wflo ${name}: ${e?.message ?? String(err)}`);
    if (process.env.WFLO_DEBUG && !isUserError(err)) console.error(e?.stack);
    return err instanceof WfloError ? err.exitCode : 1;
  }
}
