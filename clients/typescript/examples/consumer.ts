/**
 * The reference consumer: what a frontend does with every part of the API, type-checked
 * with `tsc --strict` against the generated types (CI: .ci/run, "TypeScript client").
 *
 * Run it against a site: `npx tsx examples/consumer.ts http://127.0.0.1:8000` (any
 * TypeScript runner; the package itself only needs tsc).
 */
import {
  type Block,
  type LocaleCode,
  type NewsDetail,
  type NewsSummary,
  type NewsdeskClient,
  ProblemError,
  createNewsdeskClient,
  unwrap,
} from "../src/index";

/** One list item: title, and the fallback marker when it is in another language. */
export function listItem(item: NewsSummary): string {
  const marker = item.is_fallback ? ` (${item.locale})` : "";
  return `<li lang="${item.locale}"><a href="${item.url}">${escape(item.title)}</a>${marker}</li>`;
}

/** Every block type of a story's body; `never` makes a new type a compile error. */
export function block(entry: Block): string {
  switch (entry.type) {
    case "heading": {
      const level: 2 | 3 | 4 = entry.value.level;
      return `<h${level}>${escape(entry.value.text)}</h${level}>`;
    }
    case "paragraph":
      return entry.value.html; // sanitized HTML from the API
    case "quote": {
      const who = [entry.value.attribution, entry.value.role].filter(Boolean).join(", ");
      return `<blockquote><p>${escape(entry.value.text)}</p><cite>${escape(who)}</cite></blockquote>`;
    }
    case "image": {
      const image = entry.value.image;
      if (image === null) return "";
      const { small, medium, large } = image.renditions;
      const srcset = [small, medium, large].map((r) => `${r.url} ${r.width}w`).join(", ");
      // The credit: the block's own, else the image's; the licence comes with the image.
      const licence = image.rights?.licence_name
        ? ` · <a rel="license" href="${image.rights.licence_url}">${escape(image.rights.licence_name)}</a>`
        : "";
      const credit = entry.value.credit ? ` <small>${escape(entry.value.credit)}${licence}</small>` : "";
      return `<figure><img src="${medium.url}" srcset="${srcset}" alt="${escape(image.alt)}" width="${image.width}" height="${image.height}"><figcaption>${escape(entry.value.caption)}${credit}</figcaption></figure>`;
    }
    case "embed":
      return entry.value.html || `<a href="${entry.value.url}">${escape(entry.value.title || entry.value.url)}</a>`;
    default: {
      const unknown: never = entry;
      return unknown;
    }
  }
}

/** A story page: the fallback notice, the body's blocks, its translations. */
export function detail(story: NewsDetail): string {
  const notice = story.fallback_notice !== null ? `<p role="note">${escape(story.fallback_notice)}</p>` : "";
  const authors = story.authors
    .map((author) => (author.image !== null ? `${author.name} (${author.image.renditions.small.url})` : author.name))
    .join(", ");
  const translations = story.translations.map((t) => `<a hreflang="${t.locale}" href="${t.url}">${t.locale}</a>`);
  return [
    notice,
    `<article lang="${story.locale}"><h1>${escape(story.title)}</h1><p>${escape(authors)}</p>`,
    ...story.body.map(block),
    "</article>",
    ...translations,
  ].join("\n");
}

/** What a site path shows: the discriminated union narrows `item` by `type`. */
export async function route(client: NewsdeskClient, path: string): Promise<string> {
  const resolved = unwrap(await client.GET("/api/v1/resolve/", { params: { query: { path } } }));
  switch (resolved.type) {
    case "news":
      return detail(resolved.item);
    case "home":
    case "index":
      return `<h1>${escape(resolved.item.title)}</h1>${resolved.item.intro}`;
  }
}

export async function main(baseUrl: string, locale: LocaleCode = "ru"): Promise<void> {
  const client = createNewsdeskClient({ baseUrl });
  const list = unwrap(await client.GET("/api/v1/news/", { params: { query: { locale, page_size: 5 } } }));
  console.log(`${list.count} stories`, list.results.map(listItem).join(""));
  const first = list.results[0];
  if (first !== undefined) {
    const story = unwrap(await client.GET("/api/v1/news/{id}/", { params: { path: { id: first.id }, query: { locale } } }));
    console.log(detail(story));
    const others = unwrap(
      await client.GET("/api/v1/news/{id}/other/", { params: { path: { id: first.id }, query: { locale } } }),
    );
    console.log(others.results.map(listItem).join(""));
    // Polling: the second call is a 304 on the wire, the same data here.
    const again = await client.GET("/api/v1/news/{id}/", { params: { path: { id: first.id }, query: { locale } } });
    console.log("revalidated:", again.response.headers.get("X-Newsdesk-Revalidated") === "304");
    console.log(await route(client, new URL(first.url, baseUrl).pathname));
  }
  try {
    unwrap(await client.GET("/api/v1/news/", { params: { query: { page: 100000 } } }));
  } catch (error) {
    if (error instanceof ProblemError) {
      console.log(error.problem.status, error.problem.errors.map((e) => e.parameter));
    }
  }
}

function escape(text: string): string {
  return text.replace(/[&<>"]/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;" })[c] ?? c);
}

declare const process: { argv: string[] } | undefined;
const target = typeof process !== "undefined" ? process.argv[2] : undefined;
if (target !== undefined) {
  void main(target);
}
