import { App, galleryApps } from "../api";
import { h } from "../dom";
import { badge, spinner } from "../widgets";

// The gallery: every app the caller may see, newest version by default. The cards are built once; search and tag
// filters only hide and show them, so typing stays instant with hundreds of apps.
export async function showGallery(main: HTMLElement, _params: string[], signal: AbortSignal): Promise<void> {
  document.title = "Gallery · Wavestore";
  const query = new URLSearchParams(location.search);
  const state = { q: query.get("q") ?? "", tag: query.get("tag") ?? "", all: query.get("all") === "1" };

  const search = h("input", { type: "search", id: "gallery-search", name: "q", value: state.q,
    placeholder: "Search apps", autocomplete: "off" });
  const allVersions = h("input", { type: "checkbox", id: "gallery-all", checked: state.all });
  const filters = h("div", { class: "tag-filters", role: "group", "aria-label": "Filter by category" });
  const count = h("p", { class: "count", role: "status", "aria-live": "polite" });
  const grid = h("ul", { class: "cards", "data-test": "gallery" });
  main.append(
    h("div", { class: "page-head" }, h("h1", {}, "Apps"),
      h("div", { class: "toolbar" },
        h("label", { class: "search" }, h("span", { class: "visually-hidden" }, "Search apps"), search),
        h("label", { class: "check" }, allVersions, " All versions"))),
    filters, count, grid);

  const loading = spinner("Loading apps…");
  main.append(loading);
  let apps = await galleryApps(state.all, signal);
  performance.mark("gallery-fetched");
  loading.remove();
  // Words typed while the list was loading count: the input listener below is attached only now.
  state.q = search.value;

  let cards: { app: App; card: HTMLElement; text: string }[] = [];
  const build = () => {
    cards = apps.map((app) => ({ app, card: card(app, state.all),
      text: `${app.name} ${app.title} ${app.description} ${app.tags.join(" ")}`.toLowerCase() }));
    const fragment = document.createDocumentFragment();
    for (const c of cards) fragment.append(c.card);
    grid.replaceChildren(fragment);
    buildTagFilters();
    apply();
  };

  const buildTagFilters = () => {
    const used = [...new Set(apps.flatMap((a) => a.tags))].sort();
    filters.replaceChildren(...["", ...used].map((tag) => {
      const button = h("button", { type: "button", class: "chip", "data-tag": tag,
        "aria-pressed": String(tag === state.tag) }, tag ? badge(tag) : "All");
      button.addEventListener("click", () => { state.tag = tag; apply(); });
      return button;
    }));
    filters.hidden = used.length === 0;
  };

  const apply = () => {
    const words = state.q.toLowerCase().split(/\s+/).filter(Boolean);
    let shown = 0;
    for (const c of cards) {
      const visible = (!state.tag || c.app.tags.includes(state.tag)) && words.every((w) => c.text.includes(w));
      c.card.hidden = !visible;
      if (visible) shown++;
    }
    for (const b of filters.querySelectorAll<HTMLButtonElement>("button")) {
      b.setAttribute("aria-pressed", String(b.dataset.tag === state.tag));
    }
    count.textContent = apps.length === 0 ? "No apps yet." : `${shown} of ${apps.length} ${state.all ? "versions" : "apps"}`;
    const params = new URLSearchParams();
    if (state.q) params.set("q", state.q);
    if (state.tag) params.set("tag", state.tag);
    if (state.all) params.set("all", "1");
    const url = location.pathname + (params.size ? `?${params}` : "");
    if (url !== location.pathname + location.search) history.replaceState(null, "", url);
  };

  search.addEventListener("input", () => { state.q = search.value; apply(); });
  allVersions.addEventListener("change", async () => {
    state.all = allVersions.checked;
    apps = await galleryApps(state.all, signal);
    build();
  });
  build();
  // The moments the cards are in the page and then painted, for loadtest/web-ui-gallery.md.
  performance.mark("gallery-rendered");
  requestAnimationFrame(() => setTimeout(() => performance.mark("gallery-painted")));
}

function card(app: App, withVersion: boolean): HTMLElement {
  const href = `/apps/${encodeURIComponent(app.name)}` + (withVersion ? `/${encodeURIComponent(app.version)}` : "");
  const icon = app.iconUrl
    ? h("img", { class: "icon", src: app.iconUrl, alt: "", width: 48, height: 48, loading: "lazy", decoding: "async" })
    : h("span", { class: "icon placeholder", "aria-hidden": "true" }, (app.title || app.name).charAt(0).toUpperCase());
  return h("li", { class: "card", "data-app": app.name },
    icon,
    h("div", { class: "card-body" },
      h("h2", { class: "card-title" }, h("a", { href, "data-nav": true }, app.title || app.name)),
      h("p", { class: "card-desc" }, app.description),
      h("p", { class: "card-meta" }, `v${app.version}`, app.lifecycle !== "ON_DEMAND" ? ` · ${lifecycleText(app)}` : ""),
      app.tags.length ? h("p", { class: "badges" }, ...app.tags.map(badge)) : null));
}

export function lifecycleText(app: App): string {
  return app.lifecycle === "MANAGED" ? "managed" : app.lifecycle === "LINK" ? "link" : "on demand";
}
