import "./style.css";
import { prefetchApps } from "./api";
import { h } from "./dom";
import { navigate, onNavigate } from "./nav";
import { loadSession, session, isAdmin, mayUpload } from "./session";
import { problemBox } from "./widgets";
import { showGallery } from "./views/gallery";
import { showApp } from "./views/app";
import { showInstances, showInstance } from "./views/instances";
import { showUpload } from "./views/upload";
import { showAdmin } from "./views/admin";
import { showSecrets } from "./views/secrets";
import { showActivity } from "./views/activity";

// A client-side router over the History API: the store answers index.html for these paths (WebRoutes.java).
type View = (main: HTMLElement, params: string[], signal: AbortSignal) => Promise<void> | void;
const routes: [RegExp, string, View][] = [
  [/^\/$/, "gallery", showGallery],
  [/^\/apps\/([^/]+)(?:\/([^/]+))?$/, "gallery", showApp],
  [/^\/instances$/, "instances", showInstances],
  [/^\/instances\/([^/]+)$/, "instances", showInstance],
  [/^\/upload$/, "upload", showUpload],
  [/^\/secrets$/, "secrets", showSecrets],
  [/^\/admin(?:\/(tags|aliases|instances))?$/, "admin", showAdmin],
  [/^\/activity$/, "activity", showActivity],
];

const main = document.getElementById("main")!;
let current: AbortController | undefined;


async function render(moveFocus: boolean): Promise<void> {
  current?.abort();
  current = new AbortController();
  const signal = current.signal;
  const path = location.pathname;
  const match = routes.map(([pattern, section, view]) => ({ m: pattern.exec(path), section, view })).find((r) => r.m);
  for (const link of document.querySelectorAll<HTMLAnchorElement>("a[data-section]")) {
    if (match && link.dataset.section === match.section) link.setAttribute("aria-current", "page");
    else link.removeAttribute("aria-current");
  }
  main.replaceChildren();
  if (!match) {
    document.title = "Not found · Wavestore";
    main.append(h("h1", {}, "Not found"), h("p", {}, "There is no page here. "), h("a", { href: "/", "data-nav": true },
      "Back to the gallery"));
    return;
  }
  try {
    await match.view(main, match.m!.slice(1).filter((p) => p !== undefined).map(decodeURIComponent), signal);
  } catch (error) {
    if (signal.aborted) return;
    main.append(problemBox(error));
  }
  // After a navigation, keyboard and screen-reader users start at the new page's content.
  if (moveFocus && !signal.aborted) main.focus({ preventScroll: true });
}

/** Links marked data-nav stay in the page; modified clicks (new tab, etc.) behave as usual. */
document.addEventListener("click", (event) => {
  const link = (event.target as Element).closest?.("a[data-nav]") as HTMLAnchorElement | null;
  if (!link || event.defaultPrevented || event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey
      || event.altKey || link.origin !== location.origin) return;
  event.preventDefault();
  navigate(link.pathname + link.search);
});
window.addEventListener("popstate", () => void render(true));
onNavigate((moveFocus) => void render(moveFocus));

function showUser(): void {
  const me = session.me;
  const user = document.getElementById("user")!;
  const returnTo = encodeURIComponent(location.pathname + location.search);
  if (me.signedIn) {
    // Only a browser session can be ended; the development identity has nothing to sign out of (the banner says so).
    const form = h("form", { method: "post", action: "/auth/logout", class: "signout" },
      h("span", { class: "who", "data-test": "user" }, me.name || me.id),
      h("span", { class: "role" }, me.role.replace("_", " ").toLowerCase()),
      me.authenticatedBy === "session" ? h("input", { type: "hidden", name: "csrf_token", value: me.csrfToken ?? "" }) : null,
      me.authenticatedBy === "session" ? h("button", { type: "submit", class: "link-button", "data-test": "sign-out" },
        "Sign out") : null);
    user.replaceChildren(form);
  } else {
    user.replaceChildren(h("span", { class: "who", "data-test": "user" }, "Not signed in"),
      h("a", { class: "button", href: `/auth/login?return_to=${returnTo}`, "data-test": "sign-in" }, "Sign in"));
  }
  // Only what the caller may do is offered; the API refuses the rest anyway, and the views say so readably.
  document.getElementById("nav-upload")!.hidden = !mayUpload();
  document.getElementById("nav-secrets")!.hidden = !mayUpload();
  document.getElementById("nav-admin")!.hidden = !isAdmin();
  document.getElementById("nav-activity")!.hidden = !isAdmin();
  const banner = document.getElementById("dev-banner")!;
  banner.hidden = !me.development;
  banner.textContent = me.development
    ? "Development identity: no real sign-in. Anyone who reaches this store acts as whoever they claim to be."
    : "";
}

async function start(): Promise<void> {
  if (location.pathname === "/") prefetchApps(new URLSearchParams(location.search).get("all") === "1");
  try {
    await loadSession();
  } catch (error) {
    main.append(problemBox(error));
    return;
  }
  showUser();
  await render(false);
}

void start();
