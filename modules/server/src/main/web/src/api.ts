// The store's public API, as the UI uses it. Every error is an RFC 9457 problem; ApiError carries it whole so that
// views can show what the API said, field by field.

export type Visibility = "PRIVATE" | "ALL_USERS" | "PUBLIC";
export const VISIBILITIES: Visibility[] = ["PRIVATE", "ALL_USERS", "PUBLIC"];

export interface FieldError { field: string; message: string }
export interface Problem {
  type: string; title: string; status: number; detail?: string; field?: string; errors?: FieldError[];
}

export interface Caller {
  id: string; name: string; role: "ANONYMOUS" | "VISITOR" | "FULL_USER" | "ADMIN"; signedIn: boolean;
  roles: string[]; groups: string[]; development: boolean; authenticatedBy: string; csrfToken?: string;
}

export interface Image { url: string; mediaType: string; width: number; height: number; size: number }
export interface App {
  id: string; name: string; version: string; title: string; description: string; longDescription: string | null;
  owner: string; visibility: Visibility; lifecycle: "ON_DEMAND" | "MANAGED" | "LINK"; tags: string[];
  createdAt: string; url: string; iconUrl: string | null; screenshots: Image[];
  bundle: { url: string; sha256: string; size: number };
  manifest: {
    link?: { address: string } | null;
    env?: { name: string; secret?: string | null; secretKey?: string | null; optional?: boolean }[];
    files?: { path: string; secret?: string | null; secretKey?: string | null }[];
  } | null;
}
export interface AppPage { items: App[]; total: number; limit: number; offset: number; next: string | null }

export interface Progress { step: string; state: string; message: string | null; outputTail: string[] }
export interface Instance {
  id: string; url: string; appName: string; appVersion: string; owner: string; visibility: Visibility;
  suspended: boolean; createdAt: string; phase: "STOPPED" | "PENDING" | "STARTING" | "RUNNING" | "FAILED";
  ready: boolean; restarts: number; reason: string | null; message: string | null; exitCode: number | null;
  releaseState: string; operation: string | null; lastError: string | null; progress: Progress | null;
  /** Why the store suspended it: "idle" (nobody used it for its timeout); null when suspended by hand. */
  suspendedReason?: string | null;
}
export interface Tag {
  name: string; title: string; color: string; description: string; visitorRoles: string[]; createdAt: string;
}
export interface Alias {
  name: string; instance: string | null; primary: boolean; url: string | null; createdBy: string; createdAt: string;
}

export type SecretScope = "PRIVATE" | "ALL_USERS" | "APP";
/** A secret as the API shows it: never its values. */
export interface Secret {
  id: string; name: string; scope: SecretScope; owner: string; app: string | null; keys: string[]; createdAt: string;
  updatedAt: string; url: string;
}

export class ApiError extends Error {
  constructor(readonly problem: Problem) {
    super(problem.detail ?? problem.title);
  }
}

let csrfToken: string | undefined;

/** The session's CSRF token from /api/v1/me: cookie-authenticated POST, PATCH, PUT and DELETE must send it. */
export function useCsrfToken(token: string | undefined): void {
  csrfToken = token;
}

async function problemOf(response: Response): Promise<Problem> {
  const type = response.headers.get("Content-Type") ?? "";
  if (type.includes("json")) {
    try {
      return (await response.json()) as Problem;
    } catch {
      // fall through to a generic problem
    }
  }
  return { type: "about:blank", title: response.statusText || "Request failed", status: response.status,
    detail: `the store answered ${response.status}` };
}

/** Sends one request; JSON bodies are encoded, Blobs sent as they are. Resolves to the parsed JSON (or null). */
export async function request<T>(method: string, path: string, body?: unknown, init: RequestInit = {}): Promise<T> {
  const headers = new Headers(init.headers);
  headers.set("Accept", "application/json, application/problem+json");
  let payload: BodyInit | undefined;
  if (body instanceof Blob) {
    payload = body;
    if (!headers.has("Content-Type")) headers.set("Content-Type", "application/zip");
  } else if (body !== undefined) {
    payload = JSON.stringify(body);
    headers.set("Content-Type", "application/json");
  }
  if (method !== "GET" && method !== "HEAD" && csrfToken) headers.set("X-CSRF-Token", csrfToken);
  const response = await fetch(path, { ...init, method, headers, body: payload, credentials: "same-origin" });
  if (!response.ok) throw new ApiError(await problemOf(response));
  if (response.status === 204) return null as T;
  return (await response.json()) as T;
}

export const get = <T>(path: string, init?: RequestInit) => request<T>("GET", path, undefined, init);

export function appPath(name: string, version: string): string {
  return `/api/v1/apps/${encodeURIComponent(name)}/${encodeURIComponent(version)}`;
}

/**
 * Every app version the caller may see (the newest of each app unless `all`): the first page says how many there
 * are, the rest are fetched in parallel, at the API's largest page size.
 */
export async function allApps(all: boolean, signal?: AbortSignal): Promise<App[]> {
  const limit = 200;
  const query = (offset: number) => `/api/v1/apps?latest=${!all}&limit=${limit}&offset=${offset}`;
  const first = await get<AppPage>(query(0), { signal });
  const rest: Promise<AppPage>[] = [];
  for (let offset = limit; offset < first.total; offset += limit) rest.push(get<AppPage>(query(offset), { signal }));
  return first.items.concat(...(await Promise.all(rest)).map((page) => page.items));
}

let prefetched: { all: boolean; apps: Promise<App[]> } | undefined;

/** Starts loading the gallery's apps while the page still asks who is signed in: one round trip less. */
export function prefetchApps(all: boolean): void {
  const apps = allApps(all);
  apps.catch(() => undefined); // the gallery reports failures when it asks for them
  prefetched = { all, apps };
}

/** The prefetched apps when they are the ones wanted (once), else a fresh request. */
export function galleryApps(all: boolean, signal: AbortSignal): Promise<App[]> {
  const ready = prefetched?.all === all ? prefetched.apps : undefined;
  prefetched = undefined;
  return ready ?? allApps(all, signal);
}

/** The log of an instance, chunk by chunk as the store streams it; abort the signal to stop following. */
export async function followLogs(id: string, onText: (text: string) => void, signal: AbortSignal): Promise<void> {
  const response = await fetch(`/api/v1/instances/${encodeURIComponent(id)}/logs?tail=200&follow=true`,
    { signal, credentials: "same-origin" });
  if (!response.ok || !response.body) throw new ApiError(await problemOf(response));
  const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
  for (;;) {
    const { value, done } = await reader.read();
    if (done) return;
    // A quiet log carries a lone carriage return now and then (the store checks that the reader is still there).
    const text = value.replaceAll("\r", "");
    if (text) onText(text);
  }
}

export interface ActivityEvent {
  offset: number; id: string; at: string; kind: string; actorType: "USER" | "TOKEN" | "KUBERNETES" | "STORE";
  actor: string; subjectType: string; subject: string; instance: string | null; app: string | null;
  version: string | null; owner: string | null; details: Record<string, string>;
}
export interface ActivityPage { items: ActivityEvent[]; total: number; limit: number; offset: number; next: string | null }
export interface UsageLine { user: string | null; app: string | null; version: string | null; hours: number; seconds: number;
  instances: number }
export interface Usage { by: "user" | "app"; since: string; until: string; lines: UsageLine[] }

/** The activity history, newest first, as the API filters it for the caller. */
export function activity(filters: Record<string, string>, signal?: AbortSignal): Promise<ActivityPage> {
  const query = new URLSearchParams(Object.entries(filters).filter(([, v]) => v !== ""));
  return get<ActivityPage>(`/api/v1/activity?${query}`, { signal });
}
