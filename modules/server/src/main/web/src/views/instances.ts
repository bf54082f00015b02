import { ApiError, App, AppPage, followLogs, get, Instance, request } from "../api";
import { h, when } from "../dom";
import { navigate } from "../nav";
import { session } from "../session";
import { problemBox, toast, visibilitySelect, visibilityText } from "../widgets";
import { failure, progressSteps, statusBadge, statusOf } from "./instance-status";
import { historySection } from "./activity";

const POLL_MS = 1500;

/** My instances: a live list, polled while the page is shown. */
export async function showInstances(main: HTMLElement, _params: string[], signal: AbortSignal): Promise<void> {
  document.title = "My instances · Wavestore";
  main.append(h("h1", {}, "My instances"));
  if (!session.me.signedIn) {
    main.append(h("p", {}, "Sign in to run apps and see your instances."));
    return;
  }
  const table = instanceTable(signal, false);
  main.append(table.element);
  await table.load(() => get<Instance[]>("/api/v1/instances", { signal }));
}

/**
 * A live table of instances; rows are kept by id and only their changed parts are replaced, so polling never takes
 * the keyboard focus away from a button.
 */
export function instanceTable(signal: AbortSignal, showOwner: boolean) {
  const body = h("tbody");
  const empty = h("p", { class: "empty" }, "No instances.");
  const element = h("div", { class: "table-wrap" },
    h("table", { class: "instances", "data-test": "instances" },
      h("thead", {}, h("tr", {}, h("th", { scope: "col" }, "App"), showOwner ? h("th", { scope: "col" }, "Owner") : null,
        h("th", { scope: "col" }, "Status"), h("th", { scope: "col" }, "Visibility"), h("th", { scope: "col" }, "Started"),
        h("th", { scope: "col" }, h("span", { class: "visually-hidden" }, "Actions")))),
      body), empty);
  const rows = new Map<string, { row: HTMLTableRowElement; key: string }>();
  let source: () => Promise<Instance[]> = async () => [];
  let timer: number | undefined;

  const refresh = async () => {
    window.clearTimeout(timer);
    try {
      const list = await source();
      // The listing knows the phase; a starting instance's steps, and a failed one's reason, come from its own status.
      const detailed = await Promise.all(list.map((i) => (statusOf(i) === "starting" || statusOf(i) === "failed") && !i.progress
        ? get<Instance>(`/api/v1/instances/${i.id}`, { signal }).catch(() => i) : Promise.resolve(i)));
      const seen = new Set<string>();
      for (const [index, i] of detailed.entries()) {
        seen.add(i.id);
        const key = JSON.stringify([statusOf(i), i.appVersion, i.visibility, i.progress?.step, i.progress?.state,
          i.progress?.message, i.reason, i.message, i.lastError, i.suspendedReason]);
        let entry = rows.get(i.id);
        if (!entry || entry.key !== key) {
          const row = instanceRow(i, showOwner, () => void refresh());
          if (entry) entry.row.replaceWith(row);
          entry = { row, key };
          rows.set(i.id, entry);
        }
        if (body.children[index] !== entry.row) body.insertBefore(entry.row, body.children[index] ?? null);
      }
      for (const [id, entry] of rows) if (!seen.has(id)) { entry.row.remove(); rows.delete(id); }
      empty.hidden = rows.size > 0;
    } catch (error) {
      if (signal.aborted) return;
      element.replaceChildren(problemBox(error));
      return;
    }
    if (!signal.aborted) timer = window.setTimeout(() => void refresh(), POLL_MS);
  };
  signal.addEventListener("abort", () => window.clearTimeout(timer));
  return {
    element,
    load: async (instances: () => Promise<Instance[]>) => {
      source = instances;
      await refresh();
    },
  };
}

function instanceRow(i: Instance, showOwner: boolean, changed: () => void): HTMLTableRowElement {
  const detail = `/instances/${encodeURIComponent(i.id)}`;
  return h("tr", { "data-instance": i.id, "data-status": statusOf(i) },
    h("td", {}, h("a", { href: detail, "data-nav": true }, `${i.appName}`), h("br"), h("small", {}, `v${i.appVersion} · ${i.id}`)),
    showOwner ? h("td", {}, i.owner) : null,
    h("td", {}, statusBadge(i), progressSteps(i), failure(i)),
    h("td", {}, visibilityText(i.visibility)),
    h("td", {}, when(i.createdAt)),
    h("td", { class: "actions" }, ...actions(i, changed)));
}

/** Open, suspend or resume, terminate (asking once more). */
function actions(i: Instance, changed: () => void): HTMLElement[] {
  const status = statusOf(i);
  const run = (label: string, method: string, path: string, done: string) => {
    const button = h("button", { type: "button", class: "button", "data-action": label.toLowerCase() }, label);
    button.addEventListener("click", async () => {
      button.disabled = true;
      try {
        await request(method, `/api/v1/instances/${encodeURIComponent(i.id)}${path}`);
        toast(done);
      } catch (error) {
        button.after(problemBox(error));
      }
      changed();
    });
    return button;
  };
  const list: HTMLElement[] = [];
  if (status === "running") {
    list.push(h("a", { class: "button primary", href: i.url, "data-action": "open" }, "Open"));
  }
  // A failed instance has nothing to suspend; it can be updated (below its status) or terminated.
  if (status === "suspended") list.push(run("Resume", "POST", "/resume", `Resuming ${i.id}`));
  else if (status !== "failed") list.push(run("Suspend", "POST", "/suspend", `Suspending ${i.id}`));
  const terminate = h("button", { type: "button", class: "button danger", "data-action": "terminate" }, "Terminate");
  terminate.addEventListener("click", () => {
    const really = run("Really terminate", "DELETE", "", `Terminated ${i.id}`);
    really.classList.add("danger");
    const cancel = h("button", { type: "button", class: "button" }, "Cancel");
    const confirm = h("span", { class: "confirm", role: "group", "aria-label": "Confirm termination" }, really, cancel);
    cancel.addEventListener("click", () => { confirm.replaceWith(terminate); terminate.focus(); });
    terminate.replaceWith(confirm);
    really.focus();
  });
  list.push(terminate);
  return list;
}

/** One instance: its status as it changes, update and visibility, and its log as it is written. */
export async function showInstance(main: HTMLElement, params: string[], signal: AbortSignal): Promise<void> {
  const id = params[0];
  document.title = `${id} · Wavestore`;
  const heading = h("h1", {}, id);
  const status = h("div", { class: "instance-status", "aria-live": "polite" });
  main.append(h("p", {}, h("a", { href: "/instances", "data-nav": true }, "← My instances")), heading, status);

  const path = `/api/v1/instances/${encodeURIComponent(id)}`;
  const instance = await get<Instance>(path, { signal });
  heading.textContent = `${instance.appName} v${instance.appVersion}`;
  const table = instanceTable(signal, instance.owner !== session.me.id);
  status.append(table.element);
  // Once it is gone (terminated), back to the list.
  await table.load(() => get<Instance>(path, { signal }).then((i) => [i], (error) => {
    if (error instanceof ApiError && error.problem.status === 404 && !signal.aborted) {
      toast(`${id} is gone`);
      navigate("/instances", true);
    }
    throw error;
  }));
  main.append(await changeForm(instance, signal));
  if (session.me.role !== "VISITOR") main.append(logs(id, signal));
  main.append(await historySection({ instance: id }, signal));
}

async function changeForm(i: Instance, signal: AbortSignal): Promise<HTMLElement> {
  const versions = (await get<AppPage>(`/api/v1/apps?name=${encodeURIComponent(i.appName)}&limit=200`, { signal })
    .catch(() => ({ items: [] as App[] }))).items;
  const version = h("select", { id: "instance-version", name: "version" },
    ...versions.map((v) => h("option", { value: v.version, selected: v.version === i.appVersion }, `v${v.version}`)));
  const visibility = visibilitySelect(i.visibility, "instance-visibility");
  const errors = h("div");
  const form = h("form", { class: "change", "aria-labelledby": "change-title" },
    h("h2", { id: "change-title" }, "Change"),
    h("div", { class: "row" },
      h("label", { class: "field" }, h("span", { class: "field-label" }, "Version"), version),
      h("label", { class: "field" }, h("span", { class: "field-label" }, "Who may use it"), visibility),
      h("button", { type: "submit", class: "button", "data-action": "apply" }, "Apply")),
    errors);
  form.addEventListener("submit", async (e) => {
    e.preventDefault();
    errors.replaceChildren();
    const patch: Record<string, string> = {};
    if (version.value && version.value !== i.appVersion) patch.version = version.value;
    if (visibility.value !== i.visibility) patch.visibility = visibility.value;
    if (!Object.keys(patch).length) { toast("Nothing to change"); return; }
    try {
      const updated = await request<Instance>("PATCH", `/api/v1/instances/${encodeURIComponent(i.id)}`, patch);
      i = updated;
      toast(patch.version ? `Updating to v${patch.version}` : "Visibility changed");
    } catch (error) {
      errors.replaceChildren(problemBox(error));
    }
  });
  return form;
}

function logs(id: string, signal: AbortSignal): HTMLElement {
  // role=log: a region whose new lines are announced politely, and which may carry a name (a bare pre may not).
  const output = h("pre", { class: "logs", role: "log", "data-test": "logs", tabindex: 0, "aria-labelledby": "logs-title" });
  const toggle = h("button", { type: "button", class: "button", "aria-pressed": "true", "data-test": "follow" },
    "Following");
  const section = h("section", { "aria-labelledby": "logs-title" },
    h("div", { class: "row" }, h("h2", { id: "logs-title" }, "Log"), toggle), output);
  let follow: AbortController | undefined;
  const start = () => {
    follow = new AbortController();
    const stop = follow;
    signal.addEventListener("abort", () => stop.abort());
    output.textContent = "";
    followLogs(id, (text) => {
      const atEnd = output.scrollTop + output.clientHeight >= output.scrollHeight - 4;
      output.append(text);
      if (atEnd) output.scrollTop = output.scrollHeight;
    }, stop.signal).catch((error) => {
      if (!stop.signal.aborted) output.after(problemBox(error));
    });
  };
  toggle.addEventListener("click", () => {
    const on = toggle.getAttribute("aria-pressed") !== "true";
    toggle.setAttribute("aria-pressed", String(on));
    toggle.textContent = on ? "Following" : "Paused";
    if (on) start(); else follow?.abort();
  });
  start();
  return section;
}
