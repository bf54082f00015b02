import { Instance } from "../api";
import { h } from "../dom";

// How an instance is doing, in words a user reads: starting (with the launcher's steps), running, suspended,
// failed (with why), or stopped.
export type Status = "starting" | "running" | "suspended" | "failed" | "stopped";

export const STEPS: [string, string][] = [
  ["DOWNLOADING_BUNDLE", "Download the bundle"],
  ["SOURCING_APP", "Unpack the app"],
  ["INSTALLING_DEPENDENCIES", "Install dependencies"],
  ["STARTING_WAVE_SERVER", "Start the Wave server"],
  ["STARTING_APP", "Start the app"],
  ["READY", "Ready"],
];

export function statusOf(i: Instance): Status {
  if (i.suspended) return "suspended";
  if (i.phase === "FAILED" || i.progress?.state === "failed" || i.progress?.step === "FAILED") return "failed";
  if (i.phase === "RUNNING" && i.ready) return "running";
  if (i.phase === "STOPPED") return "stopped";
  return "starting";
}

export function statusBadge(i: Instance): HTMLElement {
  const status = statusOf(i);
  if (status !== "suspended") return h("span", { class: `status status-${status}`, "data-status": status }, status);
  // Whether the store put it to sleep (a visit wakes it) or someone suspended it on purpose.
  const idle = i.suspendedReason === "idle";
  return h("span", {
    class: `status status-${status}`, "data-status": status, "data-reason": idle ? "idle" : "by-hand",
    title: idle ? "Suspended for inactivity: opening it wakes it" : "Suspended by hand",
  }, idle ? "suspended (idle)" : "suspended");
}

/** Why it failed, from whichever part knows: the launcher, Kubernetes, or the last change. */
export function failure(i: Instance): HTMLElement | null {
  if (statusOf(i) !== "failed" && !i.lastError) return null;
  const reasons = [i.reason, i.message, i.progress?.state === "failed" ? i.progress.message : null, i.lastError]
    .filter((r): r is string => !!r);
  const tail = i.progress?.outputTail ?? [];
  return h("div", { class: "failure", role: "alert", "data-test": "failure" },
    h("strong", {}, "Failed: "), reasons.join(" — ") || "no reason given",
    tail.length ? h("pre", { class: "tail" }, tail.join("\n")) : null);
}

/** The launcher's steps, the one it is at marked as current. */
export function progressSteps(i: Instance): HTMLElement | null {
  if (statusOf(i) !== "starting" && !(statusOf(i) === "failed" && i.progress)) return null;
  const at = STEPS.findIndex(([step]) => step === i.progress?.step);
  const failed = i.progress?.state === "failed";
  return h("ol", { class: "steps", "aria-label": "Start-up progress", "data-test": "progress" },
    ...STEPS.map(([step, text], n) => {
      const state = n < at || (n === at && i.progress?.state === "done") ? "done"
        : n === at ? (failed ? "failed" : "current") : "pending";
      return h("li", { class: `step step-${state}`, "data-step": step, "aria-current": state === "current" ? "step" : null },
        text, h("span", { class: "visually-hidden" }, ` (${state})`));
    }));
}
