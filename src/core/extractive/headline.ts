/**
 * Headline phrases for section headings, cut from the section's lead sentence: its main clause
 * with dates, reporting frames ("X said on Monday that it had…"), appositives and trailing detail
 * removed ("Quillmark AI raised $340 million in a Series C round"; "星图智能完成3亿元C轮融资").
 * Null when no clean phrase can be cut; the heading is then the facet's name alone.
 */
const MONTHS =
  "January|February|March|April|May|June|July|August|September|October|November|December|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec";
const EN_DATE = new RegExp(
  `\\s*,?\\s+(?:on|in|by|since|as of)\\s+(?:(?:${MONTHS})\\.?\\s+\\d{1,2}(?:,\\s*\\d{4})?|(?:${MONTHS})(?:\\s+\\d{4})?|\\d{4}|(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday))\\b`,
  "g",
);
const EN_LEAD_IN = new RegExp(
  `^(?:(?:on|in|by|since|as of|during|earlier|last|this)\\s+[^,]{1,40},\\s+|according to [^,]{1,60},\\s+|(?:${MONTHS})\\s+\\d{1,2},\\s+)`,
  "i",
);
const EN_REPORTING =
  /^(.{2,60}?)\s+(?:said|says|announced|reported|stated|confirmed|revealed|disclosed)(?:\s+(?:on|in)\s+\S+(?:\s+\d{1,2})?)?\s+(?:that\s+)?(?:it|they|the company|the group)\s+(?:had\s+|has\s+|have\s+|would\s+|will\s+)?/i;
/** "Quillmark AI, a San Francisco start-up that…, said": a name, then a description between commas. */
const EN_APPOSITIVE = /^((?:[A-Z][\w&.'-]*\s?){1,5}),\s+(?:an?|the)\s[^,]{3,90},\s+/;
const EN_BREAK =
  /,\s+(?:which|who|whose|while|according to|but|and|as|after|before|because|although|up from|down from|a\s|an\s|the\s)|;\s|\s[—–]\s|\s+(?:led by|according to|because|while|which|who)\s/i;
const MAX_WORDS = 16;
const LATE_BREAK =
  /\s(?:to|which|so that|in order to)\s|(?<!\b(?:found|find|finds|show|shows|showed|said|says|estimate|estimates|estimated|reported|concluded))\sthat\s|,\s/;

function englishHeadline(sentence: string): string | null {
  let text = sentence.trim().replace(/[.!?]["'”’)]*$/u, "");
  for (let round = 0; round < 2; round += 1) text = text.replace(EN_LEAD_IN, "");
  // "This week's events include: A, B." introduces a list: the first item is the headline.
  const list = /^[^:.]{2,80}\b(?:include|includes|included|are|were)\s*:\s*(.+)$/i.exec(text);
  if (list?.[1] && /^[A-Z0-9]/.test(list[1])) text = list[1];
  text = text.replace(EN_APPOSITIVE, "$1 ");
  const reporting = EN_REPORTING.exec(text);
  if (reporting?.[1] && /^[A-Z]/.test(reporting[1])) text = `${reporting[1]} ${text.slice(reporting[0].length)}`;
  text = text.replace(EN_DATE, "");
  const cut = EN_BREAK.exec(text);
  if (cut && cut.index > 12) text = text.slice(0, cut.index);
  // Past the fifth word, "to …", "that …" and ", …" start detail a heading can leave out.
  const fifth = text.split(/\s+/).slice(0, 6).join(" ").length;
  const late = LATE_BREAK.exec(text.slice(fifth));
  if (late && text.split(/\s+/).length > 8) text = text.slice(0, fifth + late.index);
  let words = text.split(/\s+/).filter(Boolean);
  if (words.length > MAX_WORDS) {
    // Cut at the last preposition that keeps at least five words.
    let end = MAX_WORDS;
    for (let index = MAX_WORDS; index >= 7; index -= 1) {
      if (
        /^(?:in|for|with|at|on|to|from|by|of|after|across|under|over|than|as)$/i.test(words[index] ?? "") &&
        !/^(?:least|most|all)$/i.test(words[index + 1] ?? "")
      ) {
        end = index;
        break;
      }
    }
    words = words.slice(0, end);
  }
  while (
    words.length > 0 &&
    /^(?:and|or|the|a|an|of|in|for|with|at|on|to|by|as|than|that|its|their)$/i.test(words.at(-1) ?? "")
  )
    words.pop();
  const headline = words.join(" ").replace(/[,;:]+$/, "");
  if (words.length < 3 || !/^[A-Z0-9$"“]/.test(headline)) return null;
  return headline;
}

const ZH_LEAD_IN =
  /^(?:[^，。]{1,10}(?:认为|预计|指出|表示|称|强调|透露)[，,]|(?:\d{4}年)?\d{1,2}月\d{1,2}日(?:晚间|上午|下午)?[，,]?|近日[，,]|日前[，,]|今年以来[，,]|本周[，,]?|目前[，,]?|据[^，。]{1,24}[，,]|记者[^，。]{0,12}[，,]|随着[^，。]{2,24}[，,])/u;
const ZH_MAX = 30;

function chineseHeadline(sentence: string): string | null {
  let text = sentence.trim().replace(/[。！？；…]+["'”’」』)）]*$/u, "");
  for (let round = 0; round < 3; round += 1) text = text.replace(ZH_LEAD_IN, "");
  // "…的重大事件包括：A，B。" introduces a list: the first item is the headline.
  const list = /^[^：:。]{2,30}(?:包括|包含|如下|有以下)[：:](.+)$/u.exec(text);
  if (list?.[1]) text = list[1];
  const clauses = text
    .split(/[，,；;：:]/u)
    .map((clause) => clause.trim())
    .filter(Boolean);
  let headline = clauses[0] ?? "";
  // A short or subordinate first clause ("调查显示", "…因遭到提示注入攻击") needs the next one.
  let limit = ZH_MAX;
  if (
    clauses[1] &&
    (headline.length < 6 || /因|由于|随着|为了/u.test(headline)) &&
    headline.length + clauses[1].length <= ZH_MAX + 12
  ) {
    headline = `${headline}，${clauses[1]}`;
    limit = ZH_MAX + 12;
  }
  // Dates inside the clause ("研究团队11月22日发布了…") belong to the text, not the heading.
  headline = headline.replace(/(?:\d{4}年)?\d{1,2}月\d{1,2}日/gu, "").replace(/发布了/u, "发布");
  headline = headline.replace(/宣布其?|表示|称/u, "");
  // "某研究机构将2026年…" → "2026年…": an unnamed actor adds nothing to a heading.
  if (headline.length > limit) headline = headline.replace(/^(?:某|一家)[^，,]{1,8}?(?:将|把)/u, "");
  if (headline.length > limit) {
    // Drop the modifier in front of the subject ("专注于企业流程自动化的AI Agent公司…").
    const modifier = headline.indexOf("的");
    if (modifier > 0 && modifier < headline.length / 2) headline = headline.slice(modifier + 1);
  }
  if (headline.length > limit || headline.length < 5) return null;
  return headline;
}

/** A headline phrase cut from a sentence, or null when none reads cleanly. */
export function headlineOf(sentence: string): string | null {
  return /\p{Script=Han}/u.test(sentence) && (sentence.match(/\p{Script=Han}/gu) ?? []).length >= 6
    ? chineseHeadline(sentence)
    : englishHeadline(sentence);
}
