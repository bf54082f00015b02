import { App, request } from "../api";
import { h } from "../dom";
import { navigate } from "../nav";
import { mayUpload, session } from "../session";
import { problemBox, toast, visibilitySelect } from "../widgets";

// Upload a .wave bundle: drop it or choose it, pick who sees it, and read what the API says about it.
export function showUpload(main: HTMLElement): void {
  document.title = "Upload · Wavestore";
  main.append(h("h1", {}, "Upload an app"));
  if (!mayUpload()) {
    main.append(h("p", { "data-test": "may-not-upload" }, session.me.signedIn
      ? "Visitors cannot upload apps. An admin can give you a full user's role."
      : "Sign in as a full user to upload apps."));
    return;
  }
  let file: File | undefined;
  const input = h("input", { type: "file", id: "upload-file", name: "bundle", accept: ".wave,application/zip",
    class: "visually-hidden" });
  const chosen = h("span", { class: "chosen", "data-test": "chosen" }, "No file chosen");
  const zone = h("div", { class: "dropzone", "data-test": "dropzone" },
    h("p", {}, "Drag a ", h("code", {}, ".wave"), " file here, or"),
    h("label", { for: "upload-file", class: "button" }, "Choose a file"), input, chosen);
  const visibility = visibilitySelect("PRIVATE", "upload-visibility");
  const submit = h("button", { type: "submit", class: "button primary", disabled: true, "data-test": "upload" }, "Upload");
  const result = h("div", { class: "result", "aria-live": "polite" });
  const form = h("form", { class: "upload", "aria-label": "Upload" }, zone,
    h("label", { class: "field" }, h("span", { class: "field-label" }, "Who may see it"), visibility), submit, result);
  main.append(form);

  const choose = (f: File | undefined) => {
    file = f;
    chosen.textContent = f ? `${f.name} (${Math.ceil(f.size / 1024)} KiB)` : "No file chosen";
    submit.disabled = !f;
    result.replaceChildren();
  };
  input.addEventListener("change", () => choose(input.files?.[0]));
  zone.addEventListener("dragover", (e) => { e.preventDefault(); zone.classList.add("over"); });
  zone.addEventListener("dragleave", () => zone.classList.remove("over"));
  zone.addEventListener("drop", (e) => {
    e.preventDefault();
    zone.classList.remove("over");
    choose(e.dataTransfer?.files[0]);
  });
  form.addEventListener("submit", async (e) => {
    e.preventDefault();
    if (!file) return;
    submit.disabled = true;
    result.replaceChildren(h("p", { role: "status" }, "Uploading…"));
    try {
      const app = await request<App>("POST", `/api/v1/apps?visibility=${visibility.value}`, file,
        { headers: { "Content-Type": "application/zip" } });
      toast(`Uploaded ${app.title} v${app.version}`);
      navigate(`/apps/${encodeURIComponent(app.name)}/${encodeURIComponent(app.version)}`);
    } catch (error) {
      result.replaceChildren(problemBox(error));
      submit.disabled = false;
    }
  });
}
