import MarkdownIt from "markdown-it";

// Long descriptions come from uploaded bundles, so they are hostile until proven otherwise: raw HTML is off (it is
// shown as text), markdown-it's link check drops javascript:, vbscript:, file: and non-image data: URLs, and links
// open without handing the store's window to the target.
const md = new MarkdownIt({ html: false, linkify: true, typographer: false });

const defaultLinkOpen = md.renderer.rules.link_open
  ?? ((tokens, idx, options, _env, self) => self.renderToken(tokens, idx, options));
md.renderer.rules.link_open = (tokens, idx, options, env, self) => {
  tokens[idx].attrSet("rel", "noopener noreferrer nofollow");
  return defaultLinkOpen(tokens, idx, options, env, self);
};

export function renderMarkdown(source: string): string {
  return md.render(source);
}
