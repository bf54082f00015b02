#!/usr/bin/env python3
"""Where a start's time goes: the milestones of instance starts through one running store, from the API request.

  breakdown.py <store URL> <label> [new-runs] [resume-runs]     (DATA_DIR: the store's data directory)

run.sh runs it instead of measure.py with MEASURE=breakdown.py. Like measure.py it starts a first instance, one
warm-up, then new instances and resumes; for each counted start it follows the instance's launcher.log (read every
5 ms, each line stamped when first seen) and the launcher's process start (/proc, 10 ms steps), and prints one line
per start: "<label> <scenario> <milestone>=<ms since the request> ... load <1-min load average>", then the medians.
Milestones, in the order a start passes them:
  posted     the API answered the request
  spawned    the launcher process started (the store spawned it)
  main       the launcher's first line (its JVM is up and has read its configuration)
  bundle     DOWNLOADING_BUNDLE reported      sourced   SOURCING_APP          deps   INSTALLING_DEPENDENCIES
  waved      STARTING_WAVE_SERVER (deps done)  waved_up  waved answered        app    STARTING_APP
  app_up     the app registered with waved     ready     READY reported        running  the API shows RUNNING
"""
import os
import statistics
import sys
import threading
import time

import measure

MARKS = [("main", "[launcher] instance "), ("bundle", "DOWNLOADING_BUNDLE running"),
         ("sourced", "SOURCING_APP running"), ("deps", "INSTALLING_DEPENDENCIES running"),
         ("waved", "STARTING_WAVE_SERVER running"), ("waved_up", "[launcher] the Wave server answered"),
         ("app", "STARTING_APP running"), ("app_up", "[launcher] the app registered"), ("ready", "READY done")]
ORDER = ["posted", "spawned"] + [m for m, _ in MARKS] + ["running"]


class LogFollower(threading.Thread):
    """Stamps each new line of a launcher.log (from `offset` on) with the monotonic time it was first seen."""

    def __init__(self, path, offset):
        super().__init__(daemon=True)
        self.path, self.offset, self.lines, self.done = path, offset, [], False

    def run(self):
        pending = b""
        while not self.done:
            try:
                with open(self.path, "rb") as f:
                    f.seek(self.offset)
                    chunk = f.read()
            except FileNotFoundError:
                chunk = b""
            now = time.monotonic()
            self.offset += len(chunk)
            pending += chunk
            *whole, pending = pending.split(b"\n")
            self.lines += [(now, line.decode(errors="replace")) for line in whole]
            time.sleep(0.005)


def process_start(pid_file):
    """The monotonic time a process started, from its /proc stat (clock ticks since boot)."""
    try:
        with open(pid_file) as f, open(f"/proc/{f.read().strip()}/stat") as stat:
            ticks = int(stat.read().rsplit(")", 1)[1].split()[19])
    except (OSError, ValueError, IndexError):
        return None
    since_boot = ticks / os.sysconf("SC_CLK_TCK")
    return time.monotonic() - (time.clock_gettime(time.CLOCK_BOOTTIME) - since_boot)


def follow(base, data, request, instance=None):
    """Runs `request` (returns the instance id), then follows that start until RUNNING; returns the milestones."""
    log_of = lambda i: os.path.join(data, "instances", i, "launcher.log")
    offset = os.path.getsize(log_of(instance)) if instance else 0
    since = time.monotonic()
    instance = request()
    marks = {"posted": time.monotonic() - since}
    follower = LogFollower(log_of(instance), offset)
    follower.start()
    marks["running"] = measure.await_phase(base, instance, "RUNNING", since) / 1000
    follower.done = True
    follower.join()
    started = process_start(os.path.join(data, "instances", instance, "launcher.pid"))
    if started is not None:
        marks["spawned"] = started - since
    for name, text in MARKS:
        seen = next((t for t, line in follower.lines if text in line), None)
        if seen is not None:
            marks[name] = seen - since
    return instance, {k: round(v * 1000) for k, v in marks.items()}


def report(label, scenario, marks, seen):
    seen.setdefault(scenario, []).append(marks)
    print(f"{label} {scenario} " + " ".join(f"{k}={marks[k]}" for k in ORDER if k in marks)
          + f" load {measure.load()}", flush=True)


def main():
    base, label = sys.argv[1], sys.argv[2]
    new_runs = int(sys.argv[3]) if len(sys.argv) > 3 else 5
    resume_runs = int(sys.argv[4]) if len(sys.argv) > 4 else 5
    data = os.environ["DATA_DIR"]
    create = lambda: measure.call(base, "POST", "/api/v1/instances", measure.APP)["id"]
    seen = {}
    first, marks = follow(base, data, create)
    report(label, "first", marks, seen)
    for scenario in ["warmup"] + ["new"] * new_runs:
        instance, marks = follow(base, data, create)
        if scenario != "warmup":
            report(label, scenario, marks, seen)
        measure.call(base, "DELETE", "/api/v1/instances/" + instance)
    for _ in range(resume_runs):
        measure.call(base, "POST", f"/api/v1/instances/{first}/suspend")
        measure.await_phase(base, first, "STOPPED", time.monotonic())
        resume = lambda: (measure.call(base, "POST", f"/api/v1/instances/{first}/resume"), first)[1]
        report(label, "resume", follow(base, data, resume, first)[1], seen)
    measure.call(base, "DELETE", "/api/v1/instances/" + first)
    for scenario, runs in seen.items():
        medians = {k: statistics.median([m[k] for m in runs if k in m]) for k in ORDER if any(k in m for m in runs)}
        print(f"# {label} {scenario} medians (ms since the request): "
              + " ".join(f"{k}={v:.0f}" for k, v in medians.items()), flush=True)


if __name__ == "__main__":
    main()
