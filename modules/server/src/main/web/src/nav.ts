// Navigation inside the single page; main.ts registers how a path is shown.
let show: (moveFocus: boolean) => void = () => undefined;

export function onNavigate(render: (moveFocus: boolean) => void): void {
  show = render;
}

export function navigate(path: string, replace = false): void {
  if (replace) history.replaceState(null, "", path);
  else history.pushState(null, "", path);
  show(true);
}
