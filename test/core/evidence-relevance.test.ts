import { describe, expect, it } from "vitest";
import type { NumberedSource } from "../../src/core/author.js";
import { EvidencePool, estimateTokens, judgeTopic, splitPassages, subjectOf } from "../../src/core/evidence/index.js";
import { tokenize } from "../../src/core/text/tokenize.js";

function source(
  id: number,
  title: string,
  content: string,
  published_at: string | null = "2026-05-05",
): NumberedSource {
  return { id, title, url: `https://example.com/${id}`, content, published_at, provider: "tavily" };
}

function lookup(sources: NumberedSource[]) {
  return { get: (id: number) => sources.find((item) => item.id === id), all: () => sources };
}

const ENGLISH = subjectOf({
  topic: "solid-state batteries",
  key_terms: ["solid-state battery", "electrolyte", "energy density"],
});
const CHINESE = subjectOf({ topic: "AI Agent", key_terms: ["AI Agent", "智能体", "大模型"] });

function verdict(subject: ReturnType<typeof subjectOf>, title: string, text: string) {
  return judgeTopic(
    subject,
    tokenize(title),
    splitPassages(text).map((passage) => tokenize(passage.text)),
  );
}

describe("off-topic sources", () => {
  it("a property-market page with 'solid demand' and 'state' is off topic for solid-state batteries", () => {
    const property = verdict(
      ENGLISH,
      "Solid demand lifts state housing market",
      "Housing markets across the state showed solid demand in May, with prices up 4 percent from a year earlier.\n\n" +
        "Agents said buyers were drawn to new homes with rooftop solar and battery storage, which sold within two weeks.",
    );
    expect(property.onTopic).toBe(false);
  });

  it("pages that name the topic, or a key phrase, are on topic even when the title does not", () => {
    expect(
      verdict(ENGLISH, "Toyota's new plant", "Toyota will build solid-state batteries at a plant in Aichi from 2027.")
        .onTopic,
    ).toBe(true);
    expect(verdict(ENGLISH, "Solid-state batteries: where things stand", "A short item.").onTopic).toBe(true);
    expect(
      verdict(ENGLISH, "Battery news", "Makers of solid-state and semi-solid batteries raised prices.").onTopic,
    ).toBe(true);
    // One key word alone (a sports drink's electrolytes) is not the topic.
    expect(
      verdict(ENGLISH, "Stay hydrated", "Sports drinks replace the electrolyte your body loses in the heat.").onTopic,
    ).toBe(false);
  });

  it("judges Chinese pages by the topic or a Chinese key phrase", () => {
    expect(verdict(CHINESE, "本周要闻", "多家公司发布了新的AI智能体产品，面向企业客户。").onTopic).toBe(true);
    expect(verdict(CHINESE, "企业动态", "这家公司的 AI Agent 已经可以自动处理报销。").onTopic).toBe(true);
    // A travel agency (代理) page shares no phrase of the subject.
    expect(
      verdict(CHINESE, "暑期旅游市场火热", "多家旅行社代理的海岛线路报名人数同比增长三成，机票价格也随之上涨。")
        .onTopic,
    ).toBe(false);
  });

  it("learns the subject's other name from a parenthesis, so pages that use only that name count", () => {
    const sources = [
      source(
        1,
        "启元智能完成融资",
        "启元智能主要为银行和制造企业搭建可自动执行任务的AI智能体（AI Agent），已服务超过300家企业客户。",
      ),
      source(
        2,
        "开发者大会将在杭州举行",
        "首届智能体开发者大会将于12月12日在杭州举行，届时将发布多智能体协作的开源框架。",
      ),
      source(
        3,
        "一线城市二手房成交量上涨",
        "配备智能门禁和智能停车的智能化社区更受年轻购房者青睐，二手房成交量环比上涨12%。",
      ),
    ];
    // The rules' intent of "生成AI Agent领域…报告": no Chinese name of the subject among its key terms.
    const pool = new EvidencePool(lookup(sources), { topic: "AI Agent", key_terms: ["ai", "agent"] });
    expect(pool.onTopic(sources).map((item) => item.id)).toEqual([1, 2]);
    expect(pool.offTopic().map((item) => item.id)).toEqual([3]);
  });

  it("the pool leaves off-topic sources out and says why", () => {
    const sources = [
      source(
        1,
        "Solid-state battery pilot line opens",
        "Toyota opened a solid-state battery pilot line in Aichi on Monday.",
      ),
      source(
        2,
        "Solid demand lifts state housing market",
        "Housing markets across the state showed solid demand in May.",
      ),
    ];
    const pool = new EvidencePool(lookup(sources), {
      topic: "solid-state batteries",
      key_terms: ["solid-state battery"],
    });
    expect(pool.onTopic(sources).map((item) => item.id)).toEqual([1]);
    expect(pool.offTopic()).toEqual([
      expect.objectContaining({ id: 2, url: "https://example.com/2", reason: expect.stringContaining("never names") }),
    ]);
  });
});

describe("passages", () => {
  it("splits text into paragraph-sized verbatim slices: short paragraphs joined, long ones cut at sentence ends", () => {
    const long = Array.from(
      { length: 30 },
      (_, index) => `Sentence ${index + 1} of a long paragraph about solid-state battery pilot lines and their yields.`,
    ).join(" ");
    const text = `# Heading\n\nShort line.\n\nAnother short line.\n\n${long}\n\nA closing paragraph that stands on its own with enough words to make a passage of its own, more or less, and then some more words to be sure it is long enough.`;
    const passages = splitPassages(text);
    for (const passage of passages) {
      expect(text).toContain(passage.text);
      expect(passage.tokens).toBeLessThanOrEqual(230);
    }
    expect(passages[0]?.text.startsWith("# Heading\n\nShort line.\n\nAnother short line.")).toBe(true);
    expect(passages.length).toBeGreaterThanOrEqual(4);
    expect(passages.map((passage) => passage.index)).toEqual(passages.map((_, index) => index));
  });

  it("estimates tokens for English and Chinese within the tokenizer's ballpark", () => {
    // o200k counts 44 and 49 tokens for these two texts.
    const english =
      "QuantumScape said on Tuesday that its solid-state cells reached an energy density of 450 Wh/kg in tests, up from 400 Wh/kg reported in March. The company plans a pilot line in 2027.";
    const chinese =
      "固态电池的能量密度达到500瓦时/公斤，比三月份报道的400瓦时/公斤有所提高。该公司计划在2027年建设试点生产线。AI智能体正在改变软件开发。";
    expect(estimateTokens(english)).toBeGreaterThanOrEqual(40);
    expect(estimateTokens(english)).toBeLessThanOrEqual(50);
    expect(estimateTokens(chinese)).toBeGreaterThanOrEqual(42);
    expect(estimateTokens(chinese)).toBeLessThanOrEqual(56);
  });
});
