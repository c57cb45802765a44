/**
 * The fake model's section writer, summary writer and citation judge. The writer draws its
 * sentences from the evidence in the prompt, as a real model does, and can be told to misbehave
 * the ways real models do: cite the wrong source, copy page chrome, change a figure, cite both
 * copies of a syndicated story, cite a reader comment, add an unsupported clause or an uncited
 * figure. Its judge is independent of report-mcp's verifier (its own word and figure check).
 */

/** Ways the section writer goes wrong (all off by default: an honest writer). */
export type WriterFaults = {
  /** Every n-th sentence cites another source of the prompt instead of the one it came from. */
  wrongSourceEvery?: number;
  /** The first sentence starts with a byline, date and share bar copied from the page. */
  copyChrome?: boolean;
  /** One sentence with a figure gets the figure changed ("$110" → "$140"). */
  wrongNumber?: boolean;
  /** A sentence found in two sources (a syndicated copy) cites both. */
  citeCopies?: boolean;
  /** A reader comment (text under "Comments" / "网友评论") is cited as what the page reports. */
  citeComment?: boolean;
  /** One sentence gets a clause no source states. */
  addClause?: boolean;
  /** One uncited sentence states a figure no source gives. */
  uncitedFigure?: boolean;
  /** Rewrites sentences more freely (synonyms, reordered clauses): the lexical check leaves them to the judge. */
  paraphrase?: boolean;
};

/** Every fault at once: the wrong-citing writer of the misciting-model tests and bench. */
export const WRONG_CITING_WRITER: WriterFaults = {
  wrongSourceEvery: 3,
  copyChrome: true,
  wrongNumber: true,
  citeCopies: true,
  citeComment: true,
  addClause: true,
  uncitedFigure: true,
};

export type JudgeBehaviour = "honest" | "approve-all" | "reject-all" | "fail";

type Evidence = { id: number; article: string[]; comments: string[] };

const CHROME_WORDS =
  /·|\||share:|cookie|subscribe|newsletter|©|copyright|all rights reserved|分享|广告|推广|版权|订阅|\bago\b|前\s*$|reply|回复|min read/i;
const STOP_MARKERS =
  /(?:#+\s*)?(?:\d+\s+)?(?:reader\s+)?comments?\b(?!\s+(?:from|on))|related stories|read more|most read|网友评论|热门评论|相关阅读|推荐阅读/i;
const COMMENT_MARKER = /(?:#+\s*)?(?:\d+\s+)?(?:reader\s+)?comments\b|网友评论|热门评论/i;

function isChinese(text: string): boolean {
  return /[\u3400-\u9fff]/.test(text);
}

function sentencesOf(text: string): string[] {
  return (text.match(/[^.!?。！？]+[.!?。！？]+["”’)]*/g) ?? []).map((sentence) => sentence.trim()).filter(Boolean);
}

function isStatement(sentence: string): boolean {
  if (CHROME_WORDS.test(sentence) || /\]\(|https?:|^#/.test(sentence)) return false;
  const han = (sentence.match(/[\u3400-\u9fff]/g) ?? []).length;
  return han >= 12 || sentence.split(/\s+/).length >= 6;
}

/** The numbered sources of a section prompt: `[n] title (date; url)` then the text. */
export function parseEvidence(prompt: string): Evidence[] {
  const blocks = prompt.split(/\n(?=\[\d+\] )/).filter((block) => /^\[\d+\] /.test(block));
  return blocks.map((block) => {
    const id = Number(/^\[(\d+)\]/.exec(block)?.[1]);
    const text = block
      .split("\n")
      .slice(1)
      .join(" ")
      .replace(/\*\*|__/g, "");
    const stop = STOP_MARKERS.exec(text);
    const comment = COMMENT_MARKER.exec(text);
    const article = sentencesOf(stop ? text.slice(0, stop.index) : text).filter(isStatement);
    const comments = comment
      ? sentencesOf(text.slice(comment.index + comment[0].length)).filter(
          (sentence) => !CHROME_WORDS.test(sentence) && sentence.length > 20,
        )
      : [];
    return { id, article, comments };
  });
}

function cite(sentence: string, ids: number[]): string {
  const marks = ids.map((id) => `[${id}]`).join("");
  const match = /([.!?。！？]+["”’)]*)$/.exec(sentence);
  if (!match) return `${sentence} ${marks}`;
  const body = sentence.slice(0, match.index).trimEnd();
  return isChinese(body) ? `${body}${marks}${match[1]}` : `${body} ${marks}${match[1]}`;
}

/** Word swaps of the paraphrasing writer; the judge knows them the other way round, as a model would. */
const SYNONYMS: Array<[string, string]> = [
  ["said", "stated"],
  ["build", "construct"],
  ["plant", "facility"],
  ["company", "firm"],
  ["started", "begun"],
  ["production", "output"],
  ["pilot", "trial"],
  ["reach", "achieve"],
  ["roughly", "about"],
  ["average", "mean"],
  ["survey", "poll"],
  ["manufacturers", "producers"],
  ["make", "produce"],
  ["key", "main"],
  ["need", "require"],
  ["confirmed", "announced"],
  ["records", "logs"],
  ["hold", "host"],
  ["looking", "seeking"],
  ["planned", "scheduled"],
  ["due", "expected"],
  ["start", "begin"],
  ["improve", "rise"],
  ["rose", "climbed"],
  ["study", "research"],
  ["suggests", "indicates"],
  ["risk", "danger"],
  ["heated", "warmed"],
  ["toxic", "poisonous"],
  ["declined", "refused"],
  ["customers", "clients"],
  ["cautioned", "warned"],
  ["remains", "stays"],
  ["hardest", "toughest"],
  ["sold", "marketed"],
  ["宣布", "表示"],
  ["建设", "兴建"],
  ["融资", "筹资"],
  ["完成", "结束"],
  ["预计", "估计"],
  ["举行", "召开"],
  ["发布", "公布"],
  ["领投", "牵头投资"],
  ["规模", "体量"],
  ["企业", "公司"],
];

function paraphrase(sentence: string): string {
  let text = sentence.replace(/^(?:However|Meanwhile|In addition),\s*/, "");
  for (const [word, synonym] of SYNONYMS)
    text = text.replace(new RegExp(/[a-z]/.test(word) ? `\\b${word}\\b` : word, "g"), synonym);
  return text;
}

/** Writes a section from the evidence of its prompt. */
export function writeSection(prompt: string, faults: WriterFaults, inventCitation: boolean): string {
  const evidence = parseEvidence(prompt);
  const zh = isChinese(prompt.split("Sources:")[0] ?? "");
  const picks: Array<{ text: string; ids: number[] }> = [];
  for (const source of evidence.slice(0, 4)) {
    for (const sentence of source.article.slice(0, 2)) {
      const copies = evidence
        .filter((other) => other.id !== source.id && other.article.includes(sentence))
        .map((other) => other.id);
      // Honest writers cite one copy; the faulty one cites every copy it saw.
      if (copies.length > 0 && !faults.citeCopies) continue;
      picks.push({
        text: faults.paraphrase ? paraphrase(sentence) : sentence,
        ids: faults.citeCopies && copies.length > 0 ? [source.id, ...copies] : [source.id],
      });
    }
  }
  if (faults.wrongSourceEvery && evidence.length > 1) {
    picks.forEach((pick, index) => {
      if ((index + 1) % (faults.wrongSourceEvery ?? 1) !== 0) return;
      const other = evidence.find((source) => !pick.ids.includes(source.id) && !source.article.includes(pick.text));
      if (other) pick.ids = [other.id];
    });
  }
  if (faults.wrongNumber) {
    const pick = picks.find((candidate) => /\d/.test(candidate.text));
    if (pick)
      pick.text = pick.text.replace(/\d+(?:[.,]\d+)?/, (figure) => String(Number(figure.replace(/,/g, "")) + 30));
  }
  if (faults.addClause && picks[0]) {
    picks[0].text = picks[0].text.replace(
      /([.!?。！？])$/,
      zh ? "，公司股价当天大涨15%$1" : ", and its shares rose 40% on the news$1",
    );
  }
  const lines = picks.map((pick) => cite(pick.text, pick.ids));
  if (faults.copyChrome && lines[0]) {
    lines[0] = `${zh ? "来源：电池日报 | 2026年11月29日 分享到：微信 微博 " : "By Jane Doe · 29 November 2026 · Share: X · LinkedIn · Email · Copy link "}${lines[0]}`;
  }
  if (faults.citeComment) {
    const source = evidence.find((candidate) => candidate.comments.length > 0) ?? evidence[0];
    const comment =
      source?.comments[0] ??
      (zh ? "网友认为这个项目明年就会失败。" : "Readers say the whole project will collapse within a year.");
    if (source) lines.push(cite(comment, [source.id]));
  }
  if (faults.uncitedFigure)
    lines.push(
      zh ? "分析人士预计，该市场到2030年将达到7500亿元。" : "Analysts expect the market to reach $75 billion by 2030.",
    );
  if (inventCitation) lines.push(zh ? "一个没有依据的说法 [999]。" : "An unsupported claim [999].");
  return lines.join("\n\n");
}

/** The summary: each section's first cited sentence, as written. */
export function writeSummary(prompt: string): string {
  const sections = prompt.split(/\n### /).slice(1);
  const picks: string[] = [];
  for (const section of sections) {
    const body = section.split("\n").slice(1).join("\n");
    const first = (body.match(/[^.!?。！？\n]+?\[\d+\](?:\[\d+\])*[^.!?。！？\n]*[.!?。！？]/) ?? [])[0];
    if (first) picks.push(`- ${first.replace(/^[-*\s]+/, "").trim()}`);
    if (picks.length >= 4) break;
  }
  return picks.join("\n");
}

/** What the judge knows of the writer's paraphrases (a model reads "facility" as "plant"). */
function unparaphrase(text: string): string {
  let result = text;
  for (const [word, synonym] of SYNONYMS)
    result = result.replace(new RegExp(/[a-z]/.test(synonym) ? `\\b${synonym}\\b` : synonym, "g"), word);
  return result;
}

function words(text: string): string[] {
  const latin = text.toLowerCase().match(/[a-z]{4,}/g) ?? [];
  const han = [...text.matchAll(/[\u3400-\u9fff]{2}/g)].map((match) => match[0]);
  return [...latin, ...han];
}

/** The judge's JSON reply: `honest` checks every figure and most words of the claim against the passage. */
export function judgeReply(prompt: string, behaviour: JudgeBehaviour): string {
  const items = [...prompt.matchAll(/#(\d+) Claim: (.*)\nSource "[^"]*"[^:]*: (.*)/g)].map((match) => ({
    id: Number(match[1]),
    claim: match[2] ?? "",
    passage: match[3] ?? "",
  }));
  const verdicts = items.map((item) => {
    if (behaviour !== "honest") return { id: item.id, supported: behaviour === "approve-all" };
    const passage = item.passage.replace(/,/g, "");
    const figures = (item.claim.replace(/,/g, "").match(/\d+(?:\.\d+)?/g) ?? []).every((figure) =>
      passage.includes(figure),
    );
    const claimWords = words(unparaphrase(item.claim));
    const passageText = passage.toLowerCase();
    const shared = claimWords.filter((word) =>
      passageText.includes(word.slice(0, Math.max(4, word.length - 2))),
    ).length;
    return { id: item.id, supported: figures && claimWords.length > 0 && shared / claimWords.length >= 0.6 };
  });
  return JSON.stringify({ verdicts });
}
