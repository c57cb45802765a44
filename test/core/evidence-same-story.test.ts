import { describe, expect, it } from "vitest";
import { SourceRegistry } from "../../src/core/pipeline/source-registry.js";
import type { FetchedPage, SearchHit } from "../../src/core/types.js";

/** The body of one wire story, as the original outlet ran it. */
const STORY = [
  "Toyota said on Tuesday that its first solid-state battery pilot line in Aichi has started producing sample cells for the carmaker's engineers.",
  "The line uses a sulfide electrolyte developed with Idemitsu Kosan, and the company expects to build a few thousand cells a month during the trial.",
  "Engineers will test the cells in a small fleet of prototype vehicles next year before Toyota decides on mass production, a spokesperson said.",
  "Analysts at BloombergNEF said the move keeps Toyota ahead of Nissan and Honda, which plan pilot production only in 2027.",
  "The cells charge from 10 to 80 percent in about ten minutes in laboratory tests, according to the company.",
].join("\n\n");

/** The same story syndicated: another headline, its own intro and a boilerplate footer. */
const SYNDICATED = [
  "TOKYO (Wire) — Japan's biggest carmaker is moving closer to a long-promised battery breakthrough.",
  STORY,
  "This article first appeared on Auto Daily and is republished under a content partnership. Reporting by Kana Ito; editing by Mark Lee.",
].join("\n\n");

/** A different story on the same topic: shares vocabulary, not text. */
const OTHER_STORY = [
  "QuantumScape shipped its first B-sample solid-state cells to an automotive customer this week, the California company said in a filing.",
  "The anode-free design relies on a ceramic separator, which the company says it can now make at higher volume on its Cobra process.",
  "Investors welcomed the news, sending the shares up 12 percent in early trading, while analysts cautioned that commercial volumes remain years away.",
  "QuantumScape expects its partner PowerCo to license the technology for a plant in Salzgitter, Germany.",
].join("\n\n");

function hit(url: string, title: string, published: string | null, content = `${title}: snippet.`): SearchHit {
  return { title, url, content, published_at: published, provider: "tavily" };
}

function page(url: string, text: string, extra: Partial<FetchedPage> = {}): FetchedPage {
  return { url, text, ...extra };
}

describe("one copy of each story", () => {
  it("folds a syndicated copy that names the original as canonical into the original, whichever was found first", () => {
    const registry = new SourceRegistry(null);
    const copy = registry.add(
      hit(
        "https://news.example.org/autos/toyota-pilot-line",
        "Toyota edges closer to solid-state batteries",
        "2026-05-06",
      ),
    );
    const original = registry.add(
      hit(
        "https://autodaily.example.com/2026/05/toyota-solid-state-pilot",
        "Toyota starts solid-state pilot line",
        "2026-05-05",
      ),
    );
    if (!copy || !original) throw new Error("not registered");
    registry.attachPage(copy, page(copy.url, SYNDICATED, { canonical_url: original.url }), 20_000);
    const folded = registry.collapse();
    expect(folded).toEqual([expect.objectContaining({ id: copy.id, kept_id: original.id, reason: "canonical" })]);
    // The id handed out for the copy resolves to the original, and the original remembers the copy.
    expect(registry.get(copy.id)).toBe(original);
    expect(original.also_at).toEqual([copy.url]);
    expect(registry.all()).toEqual([original]);
    expect(registry.size).toBe(1);
    // The original was known only by its snippet: it takes the copy's article text.
    expect(original.content).toContain("sulfide electrolyte");
    // A later hit at the copy's URL is the original too.
    expect(registry.add(hit(copy.url, "again", null))).toBe(original);
  });

  it("folds two copies that share a canonical URL nobody retrieved, keeping the earlier dated one", () => {
    const registry = new SourceRegistry(null);
    const later = registry.add(hit("https://b.example.net/story/1", "Copy B", "2026-05-07"));
    const earlier = registry.add(hit("https://c.example.net/story/2", "Copy C", "2026-05-06"));
    if (!later || !earlier) throw new Error("not registered");
    const canonical = "https://wire.example.com/toyota-pilot-line";
    registry.attachPage(later, page(later.url, SYNDICATED, { canonical_url: canonical }), 20_000);
    registry.attachPage(
      earlier,
      page(earlier.url, `${STORY}\n\nShared from the wire.`, { canonical_url: `${canonical}?utm_source=feed` }),
      20_000,
    );
    registry.collapse();
    expect(registry.all().map((source) => source.id)).toEqual([earlier.id]);
    expect(registry.get(later.id)).toBe(earlier);
  });

  it("folds a near-duplicate without a canonical link by its article text, and keeps different stories apart", () => {
    const registry = new SourceRegistry(null);
    const first = registry.add(
      hit("https://autodaily.example.com/toyota", "Toyota starts solid-state pilot line", "2026-05-05"),
    );
    const copy = registry.add(
      hit("https://aggregator.example.io/p/88121", "Japan's biggest carmaker nears battery breakthrough", "2026-05-06"),
    );
    const other = registry.add(
      hit("https://ev.example.com/quantumscape-b-samples", "QuantumScape ships B samples", "2026-05-06"),
    );
    if (!first || !copy || !other) throw new Error("not registered");
    registry.attachPage(copy, page(copy.url, SYNDICATED), 20_000);
    registry.attachPage(first, page(first.url, STORY), 20_000);
    registry.attachPage(other, page(other.url, OTHER_STORY), 20_000);
    const folded = registry.collapse();
    expect(folded).toEqual([expect.objectContaining({ id: copy.id, kept_id: first.id, reason: "text" })]);
    expect(registry.all().map((source) => source.id)).toEqual([first.id, other.id]);
    expect(first.also_at).toEqual([copy.url]);
    // Nothing new to fold the second time.
    expect(registry.collapse()).toEqual([]);
  });

  it("folds the same story in Chinese (syndicated with another lead and a copyright line)", () => {
    const body = [
      "多家科技公司本周集中发布了面向企业的AI智能体平台，可以自动完成报销审批、客户回访和代码审查等流程。",
      "其中一家公司表示，其智能体平台已经接入超过两百个企业应用，日均调用次数达到一千二百万次。",
      "分析人士认为，智能体产品正在从演示走向真实业务，但权限管理和错误追责仍是企业最担心的问题。",
      "业内人士预计，今年下半年将有更多厂商推出按任务收费的智能体服务，价格竞争会进一步加剧。",
    ].join("\n\n");
    const registry = new SourceRegistry(null);
    const original = registry.add(
      hit("https://tech.example.cn/2026/0506/agent.html", "企业级AI智能体平台密集发布", "2026-05-06"),
    );
    const copy = registry.add(
      hit("https://portal.example.cn/news/ai/8812.html", "AI智能体走进企业：多家公司发布新平台", "2026-05-07"),
    );
    if (!original || !copy) throw new Error("not registered");
    registry.attachPage(original, page(original.url, body), 20_000);
    registry.attachPage(
      copy,
      page(
        copy.url,
        `【转载】本周AI圈最受关注的消息来自企业市场。\n\n${body}\n\n本文转载自科技日报，版权归原作者所有。`,
      ),
      20_000,
    );
    registry.collapse();
    expect(registry.all().map((source) => source.id)).toEqual([original.id]);
    expect(original.also_at).toEqual([copy.url]);
  });

  it("ignores a canonical link to the site's home page", () => {
    const registry = new SourceRegistry(null);
    const a = registry.add(hit("https://site.example.com/news/a", "A", "2026-05-05"));
    const b = registry.add(hit("https://site.example.com/news/b", "B", "2026-05-05"));
    if (!a || !b) throw new Error("not registered");
    registry.attachPage(a, page(a.url, STORY, { canonical_url: "https://site.example.com/" }), 20_000);
    registry.attachPage(b, page(b.url, OTHER_STORY, { canonical_url: "https://site.example.com/" }), 20_000);
    expect(registry.collapse()).toEqual([]);
    expect(registry.size).toBe(2);
  });

  it("takes the page's modified date and keeps a snippet when the fetched page says much less", () => {
    const registry = new SourceRegistry(null);
    const source = registry.add(hit("https://x.example.com/a", "A", null, `${STORY.slice(0, 600)}`));
    if (!source) throw new Error("not registered");
    registry.attachPage(
      source,
      page(source.url, "Subscribe to read.", {
        published_at: "2026-05-01T08:00:00Z",
        modified_at: "2026-05-03T09:00:00Z",
      }),
      20_000,
    );
    expect(source.content).toContain("Toyota said");
    expect(source.published_at).toBe("2026-05-01T08:00:00Z");
    expect(source.modified_at).toBe("2026-05-03T09:00:00Z");
    expect(registry.isFetched(source.id)).toBe(true);
  });
});
