// h5wasm (emscripten) prints its own diagnostics to stderr when the store's workers read a
// damaged file ("warning: Invalid UTF-8 leading byte …", "Aborted(native code called
// abort())"). The store's report already names that damage per file and group; in a cell
// those raw lines would show as red stderr output (and the notebook checks treat stderr
// as a failure). While a store operation runs, such lines — and only those — are dropped.
const H5WASM_NOISE = /^(warning: Invalid UTF-8 leading byte .* to a JS string!|Aborted\(native code called abort\(\)\))$/;

export function isH5wasmNoise(line: string): boolean {
  return H5WASM_NOISE.test(line);
}

export async function withoutH5wasmNoise<T>(f: () => Promise<T>): Promise<T> {
  const stderr = process.stderr;
  const orig = stderr.write;
  const filtered = function (this: unknown, chunk: unknown, ...rest: unknown[]): boolean {
    if (typeof chunk === "string" || chunk instanceof Uint8Array) {
      const text = typeof chunk === "string" ? chunk : Buffer.from(chunk).toString("utf8");
      const kept = text.split(/(?<=\n)/).filter((l) => !isH5wasmNoise(l.replace(/\n$/, ""))).join("");
      if (kept.length === 0) {
        const cb = rest.find((r) => typeof r === "function") as (() => void) | undefined;
        cb?.();
        return true;
      }
      return (orig as (...a: unknown[]) => boolean).call(this ?? stderr, kept, ...rest);
    }
    return (orig as (...a: unknown[]) => boolean).call(this ?? stderr, chunk, ...rest);
  } as typeof stderr.write;
  stderr.write = filtered;
  try {
    return await f();
  } finally {
    // Worker output is piped asynchronously: let what is in flight arrive first.
    await new Promise((r) => setTimeout(r, 50));
    if (stderr.write === filtered) stderr.write = orig;
  }
}
