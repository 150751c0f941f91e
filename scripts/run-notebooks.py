"""Executes wflo's notebooks headless with nbclient and exports them to HTML.

Run by scripts/run-notebooks.mjs (which adds the outer timeout and the browser check);
needs Debian's /usr/bin/python3 with python3-nbclient and jupyter-nbconvert, and the
environment of scripts/notebook-env.mjs (JUPYTER_PATH finds kernels/wflo).

usage: run-notebooks.py --workdir DIR --out DIR [--cell-timeout S] NOTEBOOK.ipynb...

Every cell runs in order with a per-cell timeout. A cell that fails (tslab reports the
error on stderr and sends no traceback, so nbclient's own message is empty), times out,
or writes to stderr fails the run: its source and its stderr are printed here.
Writes <out>/<name>.ipynb (executed) and <out>/<name>.html (offline template), then one
line "RESULT <json>" with timings and the figure count of each notebook.
"""
import argparse
import json
import os
import sys
import time

import nbformat
from nbclient import NotebookClient
from nbconvert import HTMLExporter

PLOTLY_MIME = "application/vnd.plotly.v1+json"


def cell_report(index, cell):
    lines = [f"--- cell {index} ---", cell.source.rstrip(), "--- its output ---"]
    for out in cell.get("outputs", []):
        if out.output_type == "stream":
            lines.append(f"[{out.name}] {out.text.rstrip()}")
        elif out.output_type == "error":
            lines.append(f"[error] {out.get('ename', '')}: {out.get('evalue', '')}")
            lines.extend(out.get("traceback", []))
    return "\n".join(lines)


def problems_of(cell):
    """Why a cell that ran to the end still counts as failed, or []."""
    found = []
    for out in cell.get("outputs", []):
        if out.output_type == "error":
            found.append("error output")
        elif out.output_type == "stream" and out.name == "stderr" and out.text.strip():
            found.append("wrote to stderr")
    return found


def run_one(path, workdir, out_dir, cell_timeout, exporter):
    name = os.path.splitext(os.path.basename(path))[0]
    nb = nbformat.read(path, as_version=4)
    client = NotebookClient(
        nb,
        timeout=cell_timeout,
        startup_timeout=60,
        kernel_name="wflo",
        resources={"metadata": {"path": workdir}},
    )
    timing = {"notebook": name, "cells": []}
    failure = None
    t0 = time.monotonic()
    with client.setup_kernel():
        timing["kernel_start_s"] = round(time.monotonic() - t0, 2)
        for index, cell in enumerate(nb.cells):
            if cell.cell_type != "code":
                continue
            c0 = time.monotonic()
            try:
                client.execute_cell(cell, index)
            except Exception as e:  # CellExecutionError, CellTimeoutError, DeadKernelError
                failure = (index, cell, f"{type(e).__name__}: {str(e).strip()[:400] or '(tslab sent no message; see stderr below)'}")
                break
            timing["cells"].append(round(time.monotonic() - c0, 2))
            why = problems_of(cell)
            if why:
                failure = (index, cell, ", ".join(why))
                break
    timing["execute_s"] = round(time.monotonic() - t0, 2)
    nbformat.write(nb, os.path.join(out_dir, name + ".ipynb"))
    if failure:
        index, cell, why = failure
        print(f"FAILED {name}: cell {index}: {why}\n{cell_report(index, cell)}", file=sys.stderr, flush=True)
        timing["failed_cell"] = index
        return timing, False
    e0 = time.monotonic()
    body, _ = exporter.from_notebook_node(nb, resources={"metadata": {"name": name}})
    with open(os.path.join(out_dir, name + ".html"), "w", encoding="utf-8") as f:
        f.write(body)
    timing["export_s"] = round(time.monotonic() - e0, 2)
    timing["figures"] = sum(
        1 for c in nb.cells for o in c.get("outputs", []) if o.output_type == "display_data" and PLOTLY_MIME in o.get("data", {})
    )
    print(f"ok {name}: kernel {timing['kernel_start_s']} s, cells {timing['execute_s']} s, "
          f"export {timing['export_s']} s, {timing['figures']} figures", flush=True)
    return timing, True


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--workdir", required=True, help="the kernel's working directory (cells import ../dist)")
    ap.add_argument("--out", required=True)
    ap.add_argument("--cell-timeout", type=int, default=300)
    ap.add_argument("notebooks", nargs="+")
    a = ap.parse_args()
    os.makedirs(a.out, exist_ok=True)
    template_dir = os.path.join(os.path.dirname(os.path.abspath(__file__)), "notebook-template")
    exporter = HTMLExporter(template_name="wflo-offline", extra_template_basedirs=[template_dir])
    results = []
    ok = True
    for path in a.notebooks:
        timing, good = run_one(path, a.workdir, a.out, a.cell_timeout, exporter)
        results.append(timing)
        if not good:
            ok = False
            break
    print("RESULT " + json.dumps(results), flush=True)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
