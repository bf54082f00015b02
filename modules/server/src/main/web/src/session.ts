import { Caller, get, Tag, useCsrfToken } from "./api";

// Who is signed in, and the tags (with their colours), loaded once at start and after changes.
export const session: { me: Caller; tags: Map<string, Tag> } = {
  me: { id: "", name: "", role: "ANONYMOUS", signedIn: false, roles: [], groups: [], development: false,
    authenticatedBy: "none" },
  tags: new Map(),
};

export async function loadSession(): Promise<void> {
  const [me, tags] = await Promise.all([get<Caller>("/api/v1/me"), get<Tag[]>("/api/v1/tags")]);
  session.me = me;
  useCsrfToken(me.csrfToken);
  session.tags = new Map(tags.map((t) => [t.name, t]));
}

export async function reloadTags(): Promise<void> {
  const tags = await get<Tag[]>("/api/v1/tags");
  session.tags = new Map(tags.map((t) => [t.name, t]));
}

export const isAdmin = () => session.me.role === "ADMIN";
export const mayUpload = () => session.me.signedIn && session.me.role !== "VISITOR";
