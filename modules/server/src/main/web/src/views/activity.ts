import { activity, ActivityEvent, get, Usage } from "../api";
import { h, label, when } from "../dom";

/** "INSTANCE_SUSPENDED" as "instance suspended". */
function kindText(kind: string): string {
  return kind.toLowerCase().replaceAll("_", " ");
}

function actorText(e: ActivityEvent): string {
  if (e.actorType === "TOKEN") return `${e.actor} (API token)`;
  return e.actor;
}

function detailsText(e: ActivityEvent): string {
  return Object.entries(e.details).filter(([, v]) => v !== "").map(([k, v]) => `${k.replaceAll("_", " ")}: ${v}`)
    .join(", ");
}

/** A table of events, newest first: when, what, who, what it was about, details. */
export function activityTable(events: ActivityEvent[]): HTMLElement {
  if (events.length === 0) return h("p", { class: "muted", "data-test": "activity-empty" }, "Nothing recorded yet.");
  const rows = events.map((e) => h("tr", { "data-test": "activity-row" },
    h("td", {}, h("time", { datetime: e.at }, when(e.at))),
    h("td", {}, kindText(e.kind)),
    h("td", { class: e.actorType === "KUBERNETES" ? "muted" : null }, actorText(e)),
    h("td", {}, e.subjectType === "INSTANCE" ? h("a", { href: `/instances/${encodeURIComponent(e.subject)}`,
      "data-nav": true }, e.subject) : `${e.subjectType.toLowerCase()} ${e.subject}`),
    h("td", {}, e.version ?? ""),
    h("td", {}, detailsText(e))));
  // Wrapped so that a phone scrolls the table, not the page.
  return h("div", { class: "table-wrap" }, h("table", { class: "activity" },
    h("thead", {}, h("tr", {}, h("th", { scope: "col" }, "When"), h("th", { scope: "col" }, "What"),
      h("th", { scope: "col" }, "Who"), h("th", { scope: "col" }, "About"), h("th", { scope: "col" }, "Version"),
      h("th", { scope: "col" }, "Details"))),
    h("tbody", {}, ...rows)));
}

/** A section with the history of one instance or app, for their own pages. */
export async function historySection(filter: { instance?: string; app?: string }, signal: AbortSignal):
    Promise<HTMLElement> {
  const section = h("section", { class: "history", "aria-labelledby": "history-title", "data-test": "history" },
    h("h2", { id: "history-title" }, "History"));
  try {
    const page = await activity({ ...filter, limit: "20" }, signal);
    section.append(activityTable(page.items));
    if (page.total > page.items.length) {
      section.append(h("p", { class: "muted" }, `The newest ${page.items.length} of ${page.total} events.`));
    }
  } catch {
    section.append(h("p", { class: "muted" }, "The history cannot be read right now."));
  }
  return section;
}

/** The usage table with a bar per line, widths relative to the largest. */
function usageTable(usage: Usage): HTMLElement {
  if (usage.lines.length === 0) return h("p", { class: "muted", "data-test": "usage-empty" }, "No instance ran then.");
  const max = Math.max(...usage.lines.map((l) => l.hours), 0.01);
  const rows = usage.lines.map((l) => {
    const bar = h("span", { class: "bar", "aria-hidden": "true" });
    bar.style.setProperty("width", `${Math.max(1, (l.hours / max) * 100)}%`);
    return h("tr", { "data-test": "usage-row" },
      h("th", { scope: "row" }, usage.by === "user" ? (l.user ?? "") : `${l.app ?? ""} ${l.version ?? ""}`),
      h("td", { class: "number" }, l.hours.toFixed(2)),
      h("td", { class: "number" }, String(l.instances)),
      h("td", { class: "chart" }, bar));
  });
  return h("div", { class: "table-wrap" }, h("table", { class: "usage" },
    h("caption", {}, `Instance hours from ${when(usage.since)} to ${when(usage.until)}`),
    h("thead", {}, h("tr", {}, h("th", { scope: "col" }, usage.by === "user" ? "User" : "App version"),
      h("th", { scope: "col" }, "Hours"), h("th", { scope: "col" }, "Instances"), h("th", { scope: "col" }, "Chart"))),
    h("tbody", {}, ...rows)));
}

/** /activity: the whole history for admins, with filters, newest first, paged; and the usage. */
export async function showActivity(main: HTMLElement, _params: string[], signal: AbortSignal): Promise<void> {
  document.title = "Activity · Wavestore";
  const params = new URLSearchParams(location.search);
  const field = (name: string, text: string, type = "text") => label(text,
    h("input", { name, type, value: params.get(name) ?? "", "data-test": `filter-${name}` }));
  const form = h("form", { class: "filters", method: "get", action: "/activity", "data-test": "activity-filters" },
    field("app", "App"), field("instance", "Instance"), field("user", "User"),
    field("since", "Since", "date"), field("until", "Until", "date"),
    h("button", { type: "submit" }, "Filter"));
  const offset = Number(params.get("offset") ?? "0") || 0;
  const filters: Record<string, string> = {};
  for (const name of ["app", "instance", "user", "since", "until"]) filters[name] = params.get(name) ?? "";
  const page = await activity({ ...filters, limit: "50", offset: String(offset) }, signal);
  const csv = `/api/v1/activity.csv?${new URLSearchParams(Object.entries(filters).filter(([, v]) => v !== ""))}`;
  const more = page.offset + page.items.length < page.total;
  const nav = h("p", { class: "pager" },
    `${page.total} event${page.total === 1 ? "" : "s"}. `,
    offset > 0 ? h("a", { href: pageLink(params, Math.max(0, offset - 50)), "data-nav": true }, "Newer") : null, " ",
    more ? h("a", { href: pageLink(params, offset + 50), "data-nav": true }, "Older") : null, " ",
    h("a", { href: csv, download: "activity.csv", "data-test": "activity-csv" }, "Export CSV"));

  const by = params.get("by") === "app" ? "app" : "user";
  const usage = await get<Usage>(`/api/v1/usage?by=${by}${filters.since ? `&since=${filters.since}` : ""}`
    + `${filters.until ? `&until=${filters.until}` : ""}`, { signal });
  const switchBy = h("p", {}, "Group by ",
    h("a", { href: byLink(params, "user"), "data-nav": true, "aria-current": by === "user" ? "true" : null }, "user"),
    " · ",
    h("a", { href: byLink(params, "app"), "data-nav": true, "aria-current": by === "app" ? "true" : null }, "app version"));
  main.append(h("h1", {}, "Activity"), form, nav, activityTable(page.items),
    h("h2", {}, "Usage"), switchBy, usageTable(usage));
}

function pageLink(params: URLSearchParams, offset: number): string {
  const next = new URLSearchParams(params);
  next.set("offset", String(offset));
  return `/activity?${next}`;
}

function byLink(params: URLSearchParams, by: string): string {
  const next = new URLSearchParams(params);
  next.set("by", by);
  return `/activity?${next}`;
}
