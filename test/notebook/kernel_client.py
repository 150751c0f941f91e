"""Drives the wflo kernel directly through jupyter_client, for tests that nbclient cannot
express: interrupting a cell while it runs, then running more cells in the same kernel.

usage: /usr/bin/python3 kernel_client.py STEPS.json WORKDIR
STEPS.json: [{"code": str, "timeout": s, "delay": s before sending, "interrupt_after": s | null,
              "interrupt_when": regex over the cell's text output so far | null,
              "interrupts": how many interrupts to send (default 1), "gap": s between them,
              "linger": s to keep collecting display updates after the cell ended,
              "linger_until": regex over a display's text that ends the linger early,
              "restart_when": regex over the cell's text output so far: then the kernel is
              killed and restarted (Jupyter's "Restart kernel", now=True: SIGKILL) and the
              step ends with status "restarted"}]
Prints one JSON object: {"startup_s", "steps": [{"status", "stdout", "stderr",
"displays": {display_id or index: last text/plain}, "html": [last text/html per display],
"elapsed_s", "interrupted_at_s"}], "alive": bool}. Needs the environment of
scripts/notebook-env.mjs (JUPYTER_PATH finds kernels/wflo).
"""
import json
import os
import queue
import re
import sys
import time

from jupyter_client.manager import start_new_kernel


def run_step(km, kc, step):
    # tslab aborts every request arriving within 200 ms after a failed (or interrupted) cell.
    time.sleep(step.get("delay", 0))
    msg_id = kc.execute(step["code"])
    t0 = time.monotonic()
    out = {"stdout": "", "stderr": "", "displays": {}, "html": {}, "status": None, "interrupted_at_s": None, "restarted_at_s": None}
    restart_when = re.compile(step["restart_when"]) if step.get("restart_when") else None
    timeout = step.get("timeout", 60)
    interrupt_after = step.get("interrupt_after")
    interrupt_when = re.compile(step["interrupt_when"]) if step.get("interrupt_when") else None
    interrupts_left = step.get("interrupts", 1) if (interrupt_after is not None or interrupt_when) else 0
    gap = step.get("gap", 0.5)
    next_interrupt = None
    idle = False
    reply = None
    n_anon = 0
    while True:
        now = time.monotonic() - t0
        if now > timeout:
            out["status"] = "timeout"
            break
        if restart_when and restart_when.search(out["stdout"] + "".join(out["displays"].values())):
            km.restart_kernel(now=True)
            kc.wait_for_ready(timeout=60)
            out["restarted_at_s"] = round(now, 2)
            out["status"] = "restarted"
            break
        if interrupts_left and next_interrupt is None:
            text = out["stdout"] + "".join(out["displays"].values())
            if (interrupt_after is not None and now >= interrupt_after) or (interrupt_when and interrupt_when.search(text)):
                next_interrupt = now
        if interrupts_left and next_interrupt is not None and now >= next_interrupt:
            km.interrupt_kernel()
            if out["interrupted_at_s"] is None:
                out["interrupted_at_s"] = round(now, 2)
            interrupts_left -= 1
            next_interrupt = now + gap
        try:
            msg = kc.get_iopub_msg(timeout=0.05)
        except queue.Empty:
            msg = None
        if msg and msg["parent_header"].get("msg_id") == msg_id:
            t = msg["msg_type"]
            c = msg["content"]
            if t == "stream":
                out[c["name"]] += c["text"]
            elif t in ("display_data", "update_display_data"):
                did = c.get("transient", {}).get("display_id")
                if not did:
                    did = f"anon{n_anon}"
                    n_anon += 1
                out["displays"][did] = c["data"].get("text/plain", "")
                out["html"][did] = c["data"].get("text/html", "")
            elif t == "status" and c["execution_state"] == "idle":
                idle = True
        elif msg and msg["msg_type"] == "update_display_data":
            # Updates after the cell ended (a batch finishing) carry the old parent.
            did = msg["content"].get("transient", {}).get("display_id")
            if did in out["displays"]:
                out["displays"][did] = msg["content"]["data"].get("text/plain", "")
                out["html"][did] = msg["content"]["data"].get("text/html", "")
        if reply is None:
            try:
                r = kc.get_shell_msg(timeout=0)
                if r["parent_header"].get("msg_id") == msg_id:
                    reply = r
            except queue.Empty:
                pass
        if idle and reply is not None:
            out["status"] = reply["content"]["status"]
            break
    out["elapsed_s"] = round(time.monotonic() - t0, 2)
    # Late display updates (work finishing after an interrupt): collect for a moment, and
    # send the interrupts still due (the cell itself ends at the first one).
    linger = step.get("linger", 0)
    until = re.compile(step["linger_until"]) if step.get("linger_until") else None
    end = time.monotonic() + linger
    while time.monotonic() < end:
        if until and any(until.search(v) for v in out["displays"].values()):
            break
        if interrupts_left and next_interrupt is not None and time.monotonic() - t0 >= next_interrupt:
            km.interrupt_kernel()
            interrupts_left -= 1
            next_interrupt = time.monotonic() - t0 + gap
        try:
            msg = kc.get_iopub_msg(timeout=0.05)
        except queue.Empty:
            continue
        if msg["msg_type"] == "update_display_data":
            did = msg["content"].get("transient", {}).get("display_id")
            if did in out["displays"]:
                out["displays"][did] = msg["content"]["data"].get("text/plain", "")
                out["html"][did] = msg["content"]["data"].get("text/html", "")
        elif msg["msg_type"] == "stream":
            out[msg["content"]["name"]] += msg["content"]["text"]
    return out


def main():
    steps = json.load(open(sys.argv[1]))
    workdir = sys.argv[2]
    t0 = time.monotonic()
    km, kc = start_new_kernel(kernel_name="wflo", cwd=workdir, startup_timeout=60)
    result = {"startup_s": round(time.monotonic() - t0, 2), "steps": []}
    try:
        for step in steps:
            result["steps"].append(run_step(km, kc, step))
        result["alive"] = km.is_alive()
    finally:
        kc.stop_channels()
        km.shutdown_kernel(now=True)
    # Node reads the pipe; something on the kernel's side leaves it non-blocking, and a big
    # result (displays with HTML) then ends cut at the first EAGAIN, its rest lost at exit.
    os.set_blocking(sys.stdout.fileno(), True)
    print(json.dumps(result))
    sys.stdout.flush()


if __name__ == "__main__":
    main()
