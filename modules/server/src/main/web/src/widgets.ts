import { ApiError, Visibility, VISIBILITIES } from "./api";
import { h, textColorOn } from "./dom";
import { session } from "./session";

/** A tag as a coloured badge, in the tag's own colour with readable text. */
export function badge(name: string): HTMLElement {
  const tag = session.tags.get(name);
  const element = h("span", { class: "badge", title: tag?.description || null }, tag?.title || name);
  if (tag?.color) {
    element.style.setProperty("background", tag.color);
    element.style.setProperty("color", textColorOn(tag.color));
  }
  return element;
}

export function visibilitySelect(value: Visibility, id: string): HTMLSelectElement {
  const select = h("select", { id, name: "visibility" });
  for (const v of VISIBILITIES) select.append(h("option", { value: v, selected: v === value }, visibilityText(v)));
  return select;
}

export function visibilityText(v: string): string {
  return ({ PRIVATE: "Private (only you)", ALL_USERS: "All signed-in users", PUBLIC: "Public (anyone)" } as
    Record<string, string>)[v] ?? v;
}

/** What the API said went wrong, with every field it named. */
export function problemBox(error: unknown): HTMLElement {
  if (!(error instanceof ApiError)) {
    return h("div", { class: "problem", role: "alert" }, h("strong", {}, "Something went wrong: "), String(error));
  }
  const p = error.problem;
  const box = h("div", { class: "problem", role: "alert", "data-problem": p.type },
    h("strong", {}, p.title), p.detail ? h("p", {}, p.detail) : null);
  const fields = p.errors?.length ? p.errors : p.field ? [{ field: p.field, message: p.detail ?? p.title }] : [];
  if (fields.length) {
    const list = h("dl", { class: "field-errors" });
    for (const f of fields) list.append(h("dt", {}, f.field), h("dd", { "data-field": f.field }, f.message));
    box.append(list);
  }
  return box;
}

let toastTimer: number | undefined;
export function toast(text: string): void {
  const element = document.getElementById("toast")!;
  element.textContent = text;
  element.hidden = false;
  window.clearTimeout(toastTimer);
  toastTimer = window.setTimeout(() => (element.hidden = true), 4000);
}

export function spinner(text = "Loading…"): HTMLElement {
  return h("p", { class: "loading", role: "status" }, text);
}
