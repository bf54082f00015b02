import { get, request, Secret, SecretScope } from "../api";
import { h, when } from "../dom";
import { navigate } from "../nav";
import { isAdmin, mayUpload, session } from "../session";
import { problemBox, toast } from "../widgets";

const SCOPE_TEXT: Record<SecretScope, string> = {
  PRIVATE: "Private (your instances only)",
  APP: "App (that app's instances only)",
  ALL_USERS: "All users (full users' instances)",
};

// Secrets: create, list, replace the values of, and delete the secrets apps refer to. Values go in, never come back.
export async function showSecrets(main: HTMLElement, _params: string[], signal: AbortSignal): Promise<void> {
  document.title = "Secrets · Wavestore";
  main.append(h("h1", {}, "Secrets"));
  if (!mayUpload()) {
    main.append(h("p", { "data-test": "no-secrets" }, session.me.signedIn
      ? "Visitors have no secrets." : "Sign in as a full user to manage secrets."));
    return;
  }
  main.append(h("p", { class: "lead" }, "Apps refer to secrets by name in app.toml ([[Env]] and [[File]] with Secret and",
    " SecretKey). Values are stored once and never shown again; an instance gets a changed value at its next start."));
  const list = await get<Secret[]>("/api/v1/secrets", { signal });
  const rows = list.map((s) => {
    const replace = h("button", { type: "button", class: "button", "data-action": "replace" }, "Replace values");
    const remove = h("button", { type: "button", class: "button danger", "data-action": "delete" }, "Delete");
    const mayChange = isAdmin() || (s.scope !== "ALL_USERS");
    replace.hidden = remove.hidden = !mayChange;
    const row = h("tr", { "data-secret": s.name, "data-scope": s.scope },
      h("td", {}, h("code", {}, s.name)), h("td", {}, s.scope === "APP" ? `App ${s.app}` : SCOPE_TEXT[s.scope]),
      h("td", { "data-test": "keys" }, s.keys.join(", ")), h("td", {}, s.owner || "—"), h("td", {}, when(s.updatedAt)),
      h("td", { class: "actions" }, replace, remove));
    replace.addEventListener("click", () => {
      const editor = valuesEditor(s.keys);
      const save = h("button", { type: "submit", class: "button primary", "data-test": "save-values" }, "Save values");
      const errors = h("div");
      const form = h("form", { class: "grid-form", "aria-label": `New values of ${s.name}` }, editor.element, save, errors);
      form.addEventListener("submit", async (e) => {
        e.preventDefault();
        try {
          await request("PUT", `/api/v1/secrets/${encodeURIComponent(s.id)}`, { values: editor.values() });
          toast(`Replaced the values of ${s.name}`);
          navigate("/secrets", true);
        } catch (error) {
          errors.replaceChildren(problemBox(error));
        }
      });
      row.after(h("tr", {}, h("td", { colspan: 6 }, form)));
      replace.disabled = true;
      form.querySelector("input")?.focus();
    });
    remove.addEventListener("click", async () => {
      if (!confirm(`Delete the secret ${s.name}? Instances that need it will not start again.`)) return;
      try {
        await request("DELETE", `/api/v1/secrets/${encodeURIComponent(s.id)}`);
        toast(`Deleted ${s.name}`);
        navigate("/secrets", true);
      } catch (error) {
        remove.after(problemBox(error));
      }
    });
    return row;
  });
  main.append(h("div", { class: "table-wrap" }, h("table", { "data-test": "secrets" },
    h("thead", {}, h("tr", {}, ...["Name", "Scope", "Keys", "Owner", "Changed"].map((c) => h("th", { scope: "col" }, c)),
      h("th", { scope: "col" }, h("span", { class: "visually-hidden" }, "Actions")))),
    h("tbody", {}, ...rows))), ...(list.length ? [] : [h("p", { "data-test": "none" }, "No secrets yet.")]), createForm());
}

function createForm(): HTMLElement {
  const name = h("input", { id: "secret-name", name: "name", required: true, autocomplete: "off",
    pattern: "[A-Za-z0-9]([A-Za-z0-9._\\-]*[A-Za-z0-9])?" });
  const scope = h("select", { id: "secret-scope", name: "scope" },
    ...(["PRIVATE", "APP", "ALL_USERS"] as SecretScope[]).filter((s) => s !== "ALL_USERS" || isAdmin())
      .map((s) => h("option", { value: s }, SCOPE_TEXT[s])));
  const app = h("input", { id: "secret-app", name: "app", autocomplete: "off" });
  const appField = h("label", { class: "field" }, h("span", { class: "field-label" }, "App"), app,
    h("small", { class: "hint" }, "the app's name, as in its app.toml; you must own it"));
  appField.hidden = true;
  scope.addEventListener("change", () => (appField.hidden = scope.value !== "APP"));
  const editor = valuesEditor([""]);
  const errors = h("div");
  const form = h("form", { class: "grid-form", "aria-labelledby": "secret-form-title" },
    h("h2", { id: "secret-form-title" }, "New secret"),
    h("label", { class: "field" }, h("span", { class: "field-label" }, "Name"), name,
      h("small", { class: "hint" }, "what app.toml's Secret = \"…\" says")),
    h("label", { class: "field" }, h("span", { class: "field-label" }, "Scope"), scope), appField, editor.element,
    h("button", { type: "submit", class: "button primary", "data-test": "create-secret" }, "Create secret"), errors);
  form.addEventListener("submit", async (e) => {
    e.preventDefault();
    errors.replaceChildren();
    try {
      await request("POST", "/api/v1/secrets", { name: name.value, scope: scope.value,
        ...(scope.value === "APP" ? { app: app.value } : {}), values: editor.values() });
      toast(`Created secret ${name.value}`);
      navigate("/secrets", true);
    } catch (error) {
      errors.replaceChildren(problemBox(error));
    }
  });
  return form;
}

/** Rows of key and value (values as password fields: they are not shown back either). */
function valuesEditor(keys: string[]): { element: HTMLElement; values: () => Record<string, string> } {
  const rows = h("div", { class: "secret-values" });
  const add = (key: string) => {
    const n = rows.children.length + 1;
    rows.append(h("div", { class: "secret-value" },
      h("label", { class: "field" }, h("span", { class: "field-label" }, `Key ${n}`),
        h("input", { name: "key", value: key, required: true, autocomplete: "off", "data-test": "key" })),
      h("label", { class: "field" }, h("span", { class: "field-label" }, `Value ${n}`),
        h("input", { name: "value", type: "password", autocomplete: "new-password", "data-test": "value" }))));
  };
  keys.forEach(add);
  const more = h("button", { type: "button", class: "button", "data-test": "add-key" }, "Add a key");
  more.addEventListener("click", () => add(""));
  const element = h("fieldset", { class: "values" }, h("legend", {}, "Keys and values"), rows, more);
  return {
    element,
    values: () => {
      const values: Record<string, string> = {};
      for (const row of rows.querySelectorAll(".secret-value")) {
        const [key, value] = row.querySelectorAll("input");
        if (key.value) values[key.value] = value.value;
      }
      return values;
    },
  };
}

/** The secrets an app's instances need, from its manifest: what the app page lists. */
export function neededSecrets(manifest: { env?: { name: string; secret?: string | null; secretKey?: string | null;
    optional?: boolean }[]; files?: { path: string; secret?: string | null; secretKey?: string | null }[] } | null)
    : HTMLElement | null {
  const needs = [
    ...(manifest?.env ?? []).filter((e) => e.secret).map((e) => ({ secret: e.secret!, key: e.secretKey || e.name,
      what: `env ${e.name}`, optional: !!e.optional })),
    ...(manifest?.files ?? []).filter((f) => f.secret).map((f) => ({ secret: f.secret!,
      key: f.secretKey || f.path.split("/").pop()!, what: `file ${f.path}`, optional: false })),
  ];
  if (!needs.length) return null;
  return h("section", { "aria-labelledby": "needed-secrets", "data-test": "needed-secrets" },
    h("h2", { id: "needed-secrets" }, "Secrets it needs"),
    h("ul", {}, ...needs.map((n) => h("li", { "data-secret": n.secret },
      h("code", {}, n.secret), ` key `, h("code", {}, n.key), ` → ${n.what}`, n.optional ? " (optional)" : ""))),
    mayUpload() ? h("p", { class: "hint" }, h("a", { href: "/secrets", "data-nav": true }, "Manage your secrets")) : null);
}
