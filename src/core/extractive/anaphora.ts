import { stemEnglish } from "../text/tokenize.js";

/**
 * Whether a sentence leans on the one before it: it opens with a pronoun, a demonstrative or a
 * connective ("It is the largest…", "This removes…", "However, …", "这是…", "该公司…", "其中…"),
 * or with a definite noun phrase that points back ("The company said…", "The cells…", "Under the
 * draft, …", "…are among the members"). Such a sentence is only quoted together with what it
 * leans on.
 */
export function leansOnPrevious(sentence: string, previous: string | null): boolean {
  return /\p{Script=Han}/u.test(sentence.slice(0, 6))
    ? chineseLeans(sentence, previous)
    : englishLeans(sentence, previous);
}

const EN_PRONOUN =
  /^(?:it|its|it's|they|their|theirs|them|he|his|she|her|this|that|these|those|such|both|another|here|each|neither|either|the latter|the former|the same|(?:most|many|some|all|none|half|several|two|three|one) of (?:them|these|those|it))\b/i;
const EN_CONNECTIVE =
  /^(?:however|but|and|or|also|still|yet|instead|meanwhile|moreover|furthermore|additionally|in addition|as a result|therefore|thus|hence|so|then|later|similarly|likewise|otherwise|nevertheless|nonetheless|even so|by contrast|in contrast|on the other hand|for that reason|for this reason|despite this|because of this|after that|afterwards|earlier|elsewhere|overall|in turn|besides|regardless|in response|as such|to that end)\b/i;
/** "Most now expect…", "Many have…": a quantifier standing for a group named before. */
const EN_ELLIPTIC =
  /^(?:most|many|some|few|all|several|others|both|none)\s+(?:now|also|still|already|have|had|are|were|say|said|expect|expected|plan|planned|use|used|agree|agreed|do|did|will|would|can|could|grow|see|report|reported)\b/i;
const EN_BACK_REFERENCE = /\b(?:among|of|from|between) (?:them|these|those)\b|\b(?:these|those) [a-z]{3,}\b/i;
const EN_AMONG_THE =
  /\bamong the (?:members|participants|signatories|founders|backers|investors|buyers|customers|companies|firms)\b/i;

/** Nouns that, after "the" near the start of a sentence, nearly always point back to something named before. */
const ROLE_NOUNS = new Set(
  (
    "company companies firm group team author researcher report study survey audit draft deal move change startup start-up project program " +
    "programme plan proposal rule law bill round line lab consortium institute alliance agreement acquisition product platform system tool " +
    "model device cell battery process standard specification guidance decision announcement launch release update paper finding result " +
    "agency ministry regulator member vendor benchmark agent grant log delay shift cut fund money figure number increase rise drop fall " +
    "estimate forecast encapsulation layer technique method approach test trial order offer change office unit factory plant site facility " +
    "partner buyer seller acquirer target round investor owner founder executive official spokesperson chief"
  ).split(/\s+/),
);

function englishNorm(word: string): string {
  return stemEnglish(word.toLowerCase()).replace(/e$/, "");
}

/** Whether a noun (singular or plural) is a role noun. */
function isRoleNoun(noun: string): boolean {
  const lower = noun.toLowerCase();
  return [lower, lower.replace(/s$/, ""), lower.replace(/es$/, ""), englishNorm(lower)].some((form) =>
    ROLE_NOUNS.has(form),
  );
}

function englishLeans(sentence: string, previous: string | null): boolean {
  const text = sentence.trim();
  if (EN_PRONOUN.test(text) || EN_CONNECTIVE.test(text) || EN_ELLIPTIC.test(text)) return true;
  const opening = text.split(/\s+/).slice(0, 10).join(" ");
  if (EN_BACK_REFERENCE.test(opening) || EN_AMONG_THE.test(text)) return true;
  const previousWords = new Set(
    (previous ?? "")
      .toLowerCase()
      .match(/[a-z][a-z-]+/g)
      ?.map(englishNorm) ?? [],
  );
  // "The company said…", "Under the draft, the logs…": "the" + a lowercase noun among the first words.
  const words = text.split(/\s+/).slice(0, 6);
  for (let index = 0; index < words.length - 1; index += 1) {
    if (!/^the$/i.test(words[index] ?? "")) continue;
    const noun = (words[index + 1] ?? "").replace(/[’']s$|[^A-Za-z-]/g, "");
    if (!/^[a-z]/.test(noun)) continue; // "The European Commission": a name, not a back-reference
    const norm = englishNorm(noun);
    if (isRoleNoun(noun) || previousWords.has(norm)) return true;
    // "The main obstacle…": one adjective, then the noun.
    const next = (words[index + 2] ?? "").replace(/[’']s$|[^A-Za-z-]/g, "");
    if (
      /^[a-z]/.test(next) &&
      (isRoleNoun(next) || previousWords.has(englishNorm(next))) &&
      /^(?:new|same|first|second|latest|above|following|proposed|planned|final|original)$/i.test(noun)
    )
      return true;
  }
  return false;
}

const ZH_OPENER =
  /^(?:这|那|该|其|此|它|他|她|上述|前述|对此|为此|因此|由此|因而|所以|于是|随后|之后|然后|然而|但|而|并且|而且|此前|此后|此次|本次|本轮|当天|次日|双方|两家|对方|后者|前者|另有|也|还|又|再|同样|相比之下|与之相比|除此之外|另一方面)/u;
/** Subject nouns that, opening a sentence bare, refer to the one named before ("公司计划…", "办法将于…"). */
const ZH_BARE_REFERENCES =
  /^(?:公司|研究人员|研究团队|团队|意见|办法|规划|交易|资金|产线|新电芯|新产品|新平台|新规|草案)/u;
/** Subject nouns that refer back only when the sentence before names them ("研究发现…" after a study). */
const ZH_REPEATED_NOUN =
  /^(研究|报告|平台|产品|项目|协议|标准|数据|政策|收购|调查|文件|方案|机构|电池|电芯|材料|技术)/u;

function chineseLeans(sentence: string, previous: string | null): boolean {
  const text = sentence.trim();
  if (ZH_OPENER.test(text) || ZH_BARE_REFERENCES.test(text)) return true;
  // "事件发生后，该企业暂停了…", "青峰能源表示，该产线…": a short lead-in, then a demonstrative subject.
  if (/^[^，。]{0,12}[，,](?:该|其|这|此)/u.test(text) || /^[^，。]{0,8}(?:发生后|之后|以后|当天)[，,]/u.test(text))
    return true;
  const noun = ZH_REPEATED_NOUN.exec(text)?.[1];
  return noun !== undefined && previous !== null && previous.includes(noun);
}

/** Chinese connectives that add nothing to a quote and can be left out of it ("此外，", "与此同时，"). */
const ZH_DROPPABLE_CONNECTIVE =
  /^(?:此外|另外|同时|与此同时|另一方面|值得注意的是|不过|除此之外|总体来看|总的来说)[，,、]\s*/u;

/** Length of a leading Chinese connective that a quote may start after (0 when none). */
export function droppableConnectiveLength(sentence: string): number {
  return ZH_DROPPABLE_CONNECTIVE.exec(sentence)?.[0].length ?? 0;
}
