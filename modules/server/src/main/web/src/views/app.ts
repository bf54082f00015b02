import { App, AppPage, appPath, get, Instance, request, Visibility } from "../api";
import { h, when } from "../dom";
import { renderMarkdown } from "../markdown";
import { navigate } from "../nav";
import { isAdmin, session } from "../session";
import { badge, problemBox, toast, visibilitySelect, visibilityText } from "../widgets";
import { lifecycleText } from "./gallery";
import { neededSecrets } from "./secrets";
import { historySection } from "./activity";

// One app version: screenshots, the long description, its versions, and what can be done with it.
export async function showApp(main: HTMLElement, params: string[], signal: AbortSignal): Promise<void> {
  const [name, version] = params;
  const versions = (await get<AppPage>(`/api/v1/apps?name=${encodeURIComponent(name)}&limit=200`, { signal })).items;
  if (versions.length === 0) {
    main.append(h("h1", {}, "App not found"), h("p", {}, `No app ${name} that you may see.`));
    return;
  }
  const app = version ? await get<App>(appPath(name, version), { signal }) : versions[0];
  document.title = `${app.title} · Wavestore`;
  const mine = app.owner === session.me.id || isAdmin();

  main.append(
    h("div", { class: "app-head" },
      app.iconUrl ? h("img", { class: "icon large", src: app.iconUrl, alt: "", width: 96, height: 96 }) : null,
      h("div", {},
        h("h1", {}, app.title),
        h("p", { class: "lead" }, app.description),
        h("p", { class: "badges" }, ...app.tags.map(badge)))),
    h("div", { class: "app-layout" },
      h("div", { class: "app-main" },
        app.screenshots.length ? screenshots(app) : null,
        h("section", { "aria-labelledby": "about" }, h("h2", { id: "about" }, "About"), description(app))),
      h("aside", { class: "app-side", "aria-label": "Details" },
        await action(app, signal),
        facts(app, mine),
        neededSecrets(app.manifest),
        versionList(app, versions))));
  // Signed-in users see what concerns the app (the API shows each caller only what they may see).
  if (session.me.signedIn) main.append(await historySection({ app: app.name }, signal));
}

function description(app: App): HTMLElement {
  const body = h("div", { class: "markdown", "data-test": "long-description" });
  // Rendered with raw HTML off: see markdown.ts.
  body.innerHTML = renderMarkdown(app.longDescription ?? app.description);
  return body;
}

function screenshots(app: App): HTMLElement {
  const dialog = h("dialog", { class: "lightbox", "aria-label": "Screenshot" });
  const full = h("img", { alt: "" });
  const close = h("button", { type: "button", class: "close", "aria-label": "Close" }, "×");
  close.addEventListener("click", () => dialog.close());
  dialog.addEventListener("click", (e) => { if (e.target === dialog) dialog.close(); });
  dialog.append(close, full);
  const grid = h("ul", { class: "shots" });
  app.screenshots.forEach((shot, i) => {
    const button = h("button", { type: "button", class: "shot", "aria-label": `Screenshot ${i + 1} of ${app.screenshots.length}, full size` },
      h("img", { src: shot.url, alt: "", width: shot.width, height: shot.height, loading: "lazy" }));
    button.addEventListener("click", () => {
      full.src = shot.url;
      full.alt = `Screenshot ${i + 1} of ${app.title}`;
      dialog.showModal();
    });
    grid.append(h("li", {}, button));
  });
  return h("section", { "aria-labelledby": "shots" }, h("h2", { id: "shots" }, "Screenshots"), grid, dialog);
}

/** The action the app's lifecycle calls for. */
async function action(app: App, signal: AbortSignal): Promise<HTMLElement> {
  const box = h("div", { class: "action" });
  if (app.lifecycle === "LINK") {
    const address = app.manifest?.link?.address;
    if (address && /^https?:\/\//i.test(address)) {
      box.append(h("a", { class: "button primary", href: address, target: "_blank", rel: "noopener noreferrer",
        "data-test": "open-link" }, "Open link"), h("small", { class: "hint" }, new URL(address).host));
    }
    return box;
  }
  if (app.lifecycle === "MANAGED") {
    const running = await get<Instance[]>(`/api/v1/instances?app=${encodeURIComponent(app.name)}&openable=true`, { signal })
      .catch(() => [] as Instance[]);
    if (running.length) {
      box.append(h("a", { class: "button primary", href: running[0].url, "data-test": "visit" }, "Visit the app"));
    } else {
      box.append(h("p", {}, "This app is managed: its owner runs one shared instance, and it is not running now."));
    }
    if (app.owner === session.me.id || isAdmin()) box.append(runForm(app, "Start the managed instance", "ALL_USERS"));
    return box;
  }
  if (!session.me.signedIn) {
    box.append(h("a", { class: "button primary", href: `/auth/login?return_to=${encodeURIComponent(location.pathname)}` },
      "Sign in to run"));
    return box;
  }
  box.append(runForm(app, "Run", "PRIVATE"));
  return box;
}

function runForm(app: App, text: string, visibility: Visibility): HTMLElement {
  const select = visibilitySelect(visibility, "run-visibility");
  const errors = h("div");
  const button = h("button", { type: "submit", class: "button primary", "data-test": "run" }, text);
  const form = h("form", { class: "run" }, h("label", { for: "run-visibility" }, "Who may use the instance"), select,
    button, errors);
  form.addEventListener("submit", async (e) => {
    e.preventDefault();
    button.disabled = true;
    errors.replaceChildren();
    try {
      const instance = await request<Instance>("POST", "/api/v1/instances",
        { app: app.name, version: app.version, visibility: select.value });
      toast(`Starting ${app.title}`);
      navigate(`/instances/${encodeURIComponent(instance.id)}`);
    } catch (error) {
      errors.replaceChildren(problemBox(error));
      button.disabled = false;
    }
  });
  return form;
}

function facts(app: App, mine: boolean): HTMLElement {
  const list = h("dl", { class: "facts" },
    h("dt", {}, "Version"), h("dd", {}, app.version),
    h("dt", {}, "Owner"), h("dd", { "data-test": "owner" }, app.owner),
    h("dt", {}, "Runs"), h("dd", {}, lifecycleText(app)),
    h("dt", {}, "Published"), h("dd", {}, when(app.createdAt)),
    h("dt", {}, "Name"), h("dd", {}, h("code", {}, app.name)),
    h("dt", {}, "Visibility"));
  if (mine) {
    const select = visibilitySelect(app.visibility, "app-visibility");
    select.setAttribute("aria-label", "Visibility of this version");
    select.addEventListener("change", async () => {
      try {
        await request("PATCH", appPath(app.name, app.version), { visibility: select.value });
        toast(`Now ${visibilityText(select.value).toLowerCase()}`);
      } catch (error) {
        list.after(problemBox(error));
        select.value = app.visibility;
      }
    });
    list.append(h("dd", {}, select));
  } else {
    list.append(h("dd", {}, visibilityText(app.visibility)));
  }
  return h("section", { "aria-label": "Facts" }, list,
    h("p", {}, h("a", { href: app.bundle.url, download: "" }, "Download the bundle")));
}

function versionList(app: App, versions: App[]): HTMLElement {
  return h("section", { "aria-labelledby": "versions" }, h("h2", { id: "versions" }, "Versions"),
    h("ul", { class: "versions" }, ...versions.map((v) => h("li", {},
      v.version === app.version
        ? h("span", { "aria-current": "page" }, `v${v.version} (this one)`)
        : h("a", { href: `/apps/${encodeURIComponent(v.name)}/${encodeURIComponent(v.version)}`, "data-nav": true },
          `v${v.version}`),
      " ", h("small", {}, when(v.createdAt))))));
}
