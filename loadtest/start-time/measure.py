#!/usr/bin/env python3
"""Times instance starts through one running store's API (loadtest/start-time/run.sh runs it once per store).

  measure.py <store URL> <label> [new-runs] [resume-runs]

Prints one line per start: "<label> <scenario> <ms> load <1-min load average>", where ms is the time from the
request (POST /api/v1/instances, or POST .../resume) until GET /api/v1/instances/{id} first shows phase RUNNING,
polled every POLL seconds. Scenarios, in this order:
  first   the first instance of the app version on this store: nothing cached (an empty data directory)
  warmup  one more new instance, not counted (the store's JVM and the OS caches warm up)
  new     a new instance of requirements installed before (each terminated once measured)
  resume  the first instance, suspended and resumed again (its own venv kept)
"""
import json
import sys
import time
import urllib.request

POLL = 0.025
START_LIMIT = 600  # seconds: a first start downloads h2o-wave and its dependencies
APP = {"app": "io.wavestore.hello-wave", "version": "0.1.0"}


def call(base, method, path, body=None):
    data = None if body is None else json.dumps(body).encode()
    request = urllib.request.Request(base + path, data=data, method=method,
                                     headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=60) as answer:
        text = answer.read()
        return json.loads(text) if text else {}


def phase(base, instance):
    return call(base, "GET", "/api/v1/instances/" + instance).get("phase")


def await_phase(base, instance, wanted, since):
    while True:
        seen = phase(base, instance)
        if seen == wanted:
            return (time.monotonic() - since) * 1000
        if seen == "FAILED":
            raise SystemExit(f"instance {instance} failed: {call(base, 'GET', '/api/v1/instances/' + instance)}")
        if time.monotonic() - since > START_LIMIT:
            raise SystemExit(f"instance {instance} is still {seen} after {START_LIMIT} s")
        time.sleep(POLL)


def load():
    with open("/proc/loadavg") as f:
        return f.read().split()[0]


def report(label, scenario, ms):
    print(f"{label} {scenario} {ms:.0f} load {load()}", flush=True)


def start(base):
    since = time.monotonic()
    instance = call(base, "POST", "/api/v1/instances", APP)["id"]
    return instance, await_phase(base, instance, "RUNNING", since)


def main():
    base, label = sys.argv[1], sys.argv[2]
    new_runs = int(sys.argv[3]) if len(sys.argv) > 3 else 5
    resume_runs = int(sys.argv[4]) if len(sys.argv) > 4 else 5
    first, ms = start(base)
    report(label, "first", ms)
    for scenario in ["warmup"] + ["new"] * new_runs:
        instance, ms = start(base)
        if scenario != "warmup":
            report(label, scenario, ms)
        call(base, "DELETE", "/api/v1/instances/" + instance)
    for _ in range(resume_runs):
        call(base, "POST", f"/api/v1/instances/{first}/suspend")
        await_phase(base, first, "STOPPED", time.monotonic())
        since = time.monotonic()
        call(base, "POST", f"/api/v1/instances/{first}/resume")
        report(label, "resume", await_phase(base, first, "RUNNING", since))
    call(base, "DELETE", "/api/v1/instances/" + first)


if __name__ == "__main__":
    main()
