import { Alias, get, Instance, request, Tag } from "../api";
import { h, when } from "../dom";
import { navigate } from "../nav";
import { isAdmin, reloadTags, session } from "../session";
import { badge, problemBox, toast } from "../widgets";
import { instanceTable } from "./instances";

// Admin: tags (with visitor roles and colours), aliases, and every instance with filters.
export async function showAdmin(main: HTMLElement, params: string[], signal: AbortSignal): Promise<void> {
  document.title = "Admin · Wavestore";
  main.append(h("h1", {}, "Admin"));
  if (!isAdmin()) {
    main.append(h("p", {}, "Only admins see this page."));
    return;
  }
  const tab = params[0] ?? "tags";
  main.append(h("nav", { "aria-label": "Admin sections", class: "tabs" }, h("ul", {},
    ...[["tags", "Tags"], ["aliases", "Aliases"], ["instances", "Instances"]].map(([id, text]) => h("li", {},
      h("a", { href: `/admin/${id}`, "data-nav": true, "aria-current": id === tab ? "page" : null }, text))))));
  const body = h("div");
  main.append(body);
  if (tab === "tags") await tags(body);
  else if (tab === "aliases") await aliases(body, signal);
  else await instances(body, signal);
}

async function tags(body: HTMLElement): Promise<void> {
  await reloadTags();
  const list = [...session.tags.values()];
  const name = h("input", { id: "tag-name", name: "name", required: true, pattern: "[a-z0-9-]{1,63}",
    autocomplete: "off" });
  const title = h("input", { id: "tag-title", name: "title" });
  const color = h("input", { id: "tag-color", name: "color", type: "color", value: "#1f6feb" });
  const description = h("input", { id: "tag-description", name: "description" });
  const roles = h("input", { id: "tag-roles", name: "visitorRoles", placeholder: "partner, guest" });
  const submit = h("button", { type: "submit", class: "button primary", "data-test": "save-tag" }, "Create tag");
  const errors = h("div");
  let editing: Tag | undefined;
  const form = h("form", { class: "grid-form", "aria-labelledby": "tag-form-title" },
    h("h2", { id: "tag-form-title" }, "New tag"),
    h("label", { class: "field" }, h("span", { class: "field-label" }, "Name"), name,
      h("small", { class: "hint" }, "1–63 of a–z, 0–9 and -")),
    h("label", { class: "field" }, h("span", { class: "field-label" }, "Title"), title),
    h("label", { class: "field" }, h("span", { class: "field-label" }, "Colour"), color),
    h("label", { class: "field" }, h("span", { class: "field-label" }, "Description"), description),
    h("label", { class: "field" }, h("span", { class: "field-label" }, "Visitor roles"), roles,
      h("small", { class: "hint" }, "visitors with one of these roles see apps with this tag; comma-separated")),
    submit, errors);
  form.addEventListener("submit", async (e) => {
    e.preventDefault();
    errors.replaceChildren();
    const tag = { title: title.value, color: color.value, description: description.value,
      visitorRoles: roles.value.split(",").map((r) => r.trim()).filter(Boolean) };
    try {
      if (editing) await request("PATCH", `/api/v1/tags/${encodeURIComponent(editing.name)}`, tag);
      else await request("POST", "/api/v1/tags", { name: name.value, ...tag });
      toast(`Saved tag ${editing?.name ?? name.value}`);
      navigate("/admin/tags", true);
    } catch (error) {
      errors.replaceChildren(problemBox(error));
    }
  });
  const rows = list.map((t) => {
    const edit = h("button", { type: "button", class: "button" }, "Edit");
    edit.addEventListener("click", () => {
      editing = t;
      name.value = t.name;
      name.disabled = true;
      title.value = t.title;
      color.value = /^#[0-9a-f]{6}$/i.test(t.color) ? t.color : "#1f6feb";
      description.value = t.description ?? "";
      roles.value = t.visitorRoles.join(", ");
      submit.textContent = "Save tag";
      form.querySelector("h2")!.textContent = `Edit tag ${t.name}`;
      title.focus();
    });
    const remove = h("button", { type: "button", class: "button danger" }, "Delete");
    remove.addEventListener("click", async () => {
      try {
        await request("DELETE", `/api/v1/tags/${encodeURIComponent(t.name)}`);
        toast(`Deleted tag ${t.name}`);
        navigate("/admin/tags", true);
      } catch (error) {
        remove.after(problemBox(error));
      }
    });
    return h("tr", { "data-tag": t.name }, h("td", {}, badge(t.name)), h("td", {}, h("code", {}, t.name)),
      h("td", {}, t.visitorRoles.join(", ") || "—"), h("td", {}, t.description ?? ""),
      h("td", { class: "actions" }, edit, remove));
  });
  body.append(h("div", { class: "table-wrap" }, h("table", { "data-test": "tags" },
    h("thead", {}, h("tr", {}, ...["Tag", "Name", "Visitor roles", "Description"].map((c) => h("th", { scope: "col" }, c)),
      h("th", { scope: "col" }, h("span", { class: "visually-hidden" }, "Actions")))),
    h("tbody", {}, ...rows))), ...(list.length ? [] : [h("p", {}, "No tags yet.")]), form);
}

async function aliases(body: HTMLElement, signal: AbortSignal): Promise<void> {
  const [list, running] = await Promise.all([get<Alias[]>("/api/v1/aliases", { signal }),
    get<Instance[]>("/api/v1/instances", { signal })]);
  const name = h("input", { id: "alias-name", name: "name", required: true, autocomplete: "off" });
  const instance = h("select", { id: "alias-instance", name: "instance" }, h("option", { value: "" }, "(no instance yet)"),
    ...running.map((i) => h("option", { value: i.id }, `${i.id} — ${i.appName} v${i.appVersion} (${i.owner})`)));
  const primary = h("input", { id: "alias-primary", type: "checkbox", name: "primary" });
  const errors = h("div");
  const form = h("form", { class: "grid-form", "aria-labelledby": "alias-form-title" },
    h("h2", { id: "alias-form-title" }, "New alias"),
    h("label", { class: "field" }, h("span", { class: "field-label" }, "Name"), name),
    h("label", { class: "field" }, h("span", { class: "field-label" }, "Instance"), instance),
    h("label", { class: "check" }, primary, " Primary (the instance's other addresses redirect to it)"),
    h("button", { type: "submit", class: "button primary", "data-test": "save-alias" }, "Create alias"), errors);
  form.addEventListener("submit", async (e) => {
    e.preventDefault();
    errors.replaceChildren();
    try {
      await request("POST", "/api/v1/aliases", { name: name.value, ...(instance.value ? { instance: instance.value } : {}),
        ...(primary.checked ? { primary: true } : {}) });
      toast(`Created alias ${name.value}`);
      navigate("/admin/aliases", true);
    } catch (error) {
      errors.replaceChildren(problemBox(error));
    }
  });
  const rows = list.map((a) => {
    const path = `/api/v1/aliases/${encodeURIComponent(a.name)}`;
    const act = (text: string, method: string, suffix: string, body?: () => unknown) => {
      const button = h("button", { type: "button", class: method === "DELETE" ? "button danger" : "button",
        "data-action": text.toLowerCase() }, text);
      button.addEventListener("click", async () => {
        try {
          await request(method, path + suffix, body?.());
          navigate("/admin/aliases", true);
        } catch (error) {
          button.after(problemBox(error));
        }
      });
      return button;
    };
    // Repointing keeps the alias's URL: users of the alias reach the new instance.
    const target = h("select", { "aria-label": `Instance for alias ${a.name}`, "data-test": "repoint" },
      ...running.map((i) => h("option", { value: i.id, selected: i.id === a.instance }, `${i.id} (${i.appName})`)));
    return h("tr", { "data-alias": a.name }, h("td", {}, h("code", {}, a.name)),
      h("td", {}, a.instance ?? "—", a.primary ? " (primary)" : ""),
      h("td", {}, a.url ? h("a", { href: a.url }, a.url) : "—"), h("td", {}, `${a.createdBy}, ${when(a.createdAt)}`),
      h("td", { class: "actions" },
        running.length ? target : null,
        running.length ? act("Point", "PUT", "/instance", () => ({ instance: target.value })) : null,
        a.instance && !a.primary ? act("Make primary", "PUT", "/primary") : null,
        act("Remove", "DELETE", "")));
  });
  body.append(h("div", { class: "table-wrap" }, h("table", { "data-test": "aliases" },
    h("thead", {}, h("tr", {}, ...["Alias", "Instance", "Address", "Created"].map((c) => h("th", { scope: "col" }, c)),
      h("th", { scope: "col" }, h("span", { class: "visually-hidden" }, "Actions")))),
    h("tbody", {}, ...rows))), ...(list.length ? [] : [h("p", {}, "No aliases yet.")]), form);
}

/** Every instance; owner and app filter at the API, the status filter over what it answered. */
async function instances(body: HTMLElement, signal: AbortSignal): Promise<void> {
  const query = new URLSearchParams(location.search);
  const owner = h("input", { id: "filter-owner", name: "owner", value: query.get("owner") ?? "" });
  const app = h("input", { id: "filter-app", name: "app", value: query.get("app") ?? "" });
  const phase = h("select", { id: "filter-phase", name: "phase" },
    ...["", "PENDING", "STARTING", "RUNNING", "STOPPED", "FAILED"].map((p) =>
      h("option", { value: p, selected: p === (query.get("phase") ?? "") }, p ? p.toLowerCase() : "any")));
  const form = h("form", { class: "filters", role: "search", "aria-label": "Filter instances" },
    h("label", { class: "field" }, h("span", { class: "field-label" }, "Owner"), owner),
    h("label", { class: "field" }, h("span", { class: "field-label" }, "App"), app),
    h("label", { class: "field" }, h("span", { class: "field-label" }, "Phase"), phase),
    h("button", { type: "submit", class: "button" }, "Filter"));
  form.addEventListener("submit", (e) => {
    e.preventDefault();
    const params = new URLSearchParams();
    for (const [k, v] of [["owner", owner.value], ["app", app.value], ["phase", phase.value]]) if (v) params.set(k, v);
    navigate(`/admin/instances${params.size ? `?${params}` : ""}`, true);
  });
  const table = instanceTable(signal, true);
  body.append(form, table.element);
  const api = new URLSearchParams();
  if (owner.value) api.set("owner", owner.value);
  if (app.value) api.set("app", app.value);
  await table.load(async () => (await get<Instance[]>(`/api/v1/instances?${api}`, { signal }))
    .filter((i) => !phase.value || i.phase === phase.value));
}
