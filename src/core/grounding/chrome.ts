/**
 * Page chrome — bylines, datelines, share bars, cookie and newsletter boxes, ads, related-story
 * lists, reader comments — in English and Chinese. Used twice: to strip chrome a writer copied
 * into a sentence ("By Jane Doe · 29 November 2026 · Share: X · LinkedIn QuantumCell said…"),
 * and to mark the parts of a source's text that support nothing (a reader comment or a link to
 * another story is not what the page reports).
 */

const SEPARATOR = /\s+[·•]\s+|\s*[|｜]\s*/u;

/** Chrome that marks its surroundings as chrome wherever it stands. */
const STRONG_LEADING =
  /^(?:share(?:\s+(?:this|on))?(?:\s+(?:article|story|page|post))?\s*[:：]?|copy\s+link|tweet|twitter|facebook|linkedin|whatsapp|reddit|telegram|pinterest|\d+\s+min(?:ute)?s?\s+read|(?:last\s+)?updated(?:\s+on)?\s*[:：]?|published(?:\s+on)?\s*[:：]|advertisement|sponsored(?:\s+content)?|listen\s+to\s+(?:this\s+)?article|分享到\s*[:：]?|分享|微信|微博|QQ空间|朋友圈|复制链接|打印|收藏|(?:来源|作者|编辑|责任编辑|记者|发布时间|更新时间)\s*[:：]\s*\S+|广告|推广)(?=[\s:：,，·|•]|$)\s*[,，:：]?\s*/iu;
/** Chrome only when something strong came first ("X" after "Share:" is the platform, elsewhere a name). */
const WEAK_LEADING =
  /^(?:x|email|e-mail|mail|print|save|comments?|\d+\s+comments?|more|link)(?=[\s:：,，·|•]|$)\s*[,，:：]?\s*/iu;
/** A dateline inside a share bar or byline ("… | 2026年11月29日 分享到…"): chrome only after other chrome, and only when a space (not a comma) follows. */
const LEADING_DATE =
  /^(?:\d{1,2}\s+\p{L}{3,9}\.?,?\s+\d{4}|\p{L}{3,9}\.?\s+\d{1,2},?\s+\d{4}|\d{4}-\d{1,2}-\d{1,2}|\d{4}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日)(?:\s*\d{1,2}:\d{2})?\s+/u;
const STRONG_TRAILING =
  /\s*(?:share(?:\s+this)?(?:\s+(?:article|story|page|post))?|copy\s+link|read\s+more|advertisement|分享到\S*|分享|相关阅读|推荐阅读|广告)\s*[.:：。]?\s*$/iu;

const DATE_ONLY =
  /^(?:(?:mon|tue|wed|thu|fri|sat|sun)[a-z]*,?\s+)?(?:\d{1,2}\s+\p{L}{3,9}\.?,?\s+\d{4}|\p{L}{3,9}\.?\s+\d{1,2},?\s+\d{4}|\d{4}-\d{1,2}-\d{1,2}(?:[T ]\d{1,2}:\d{2}(?::\d{2})?)?|\d{4}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日)(?:,?\s*\d{1,2}:\d{2}(?:\s*(?:am|pm))?(?:\s*(?:gmt|utc|bst|cet|et|pt|bjt|北京时间))?)?$/iu;
const BYLINE = /^(?:[Bb]y|[Ff]rom)\s+\p{Lu}[\p{L}.'’-]*(?:[\s,]+(?:\p{Lu}[\p{L}.'’-]*|and|&|de|van|von|der|la|in))*$/u;
const BYLINE_ZH =
  /^(?:(?:本报)?记者|作者|文|编辑|责任编辑|来源|撰文|整理)\s*[:：|]?\s*[\p{Script=Han}\p{L}·\s]{1,20}$/u;
const TIME_ONLY =
  /^(?:\d{1,2}:\d{2}(?:\s*(?:am|pm))?(?:\s*(?:gmt|utc|et|pt|bjt))?|\d+\s+(?:min(?:ute)?s?|hours?|days?)\s+ago|\d+\s*(?:分钟|小时|天)前)$/iu;
const BOX =
  /\b(?:we use cookies|cookie (?:policy|settings|preferences)|accept (?:all|cookies)|sign up for (?:our|the)\b|subscribe (?:to|now)|newsletter|all rights reserved|follow us on)\b|©|版权所有|订阅|关注我们|扫码|免责声明|未经授权/iu;

/** Whether a fragment is chrome through and through (a byline, a dateline, a share bar…). */
function isChromeFragment(fragment: string): boolean {
  const text = fragment.trim().replace(/[.。]$/u, "");
  if (text === "") return true;
  if (DATE_ONLY.test(text) || BYLINE.test(text) || BYLINE_ZH.test(text) || TIME_ONLY.test(text)) return true;
  return stripLeading(text).text === "";
}

function isWeakOnly(fragment: string): boolean {
  const text = fragment.trim();
  const match = WEAK_LEADING.exec(text);
  return match !== null && match[0].trim().length === text.length;
}

function stripLeading(fragment: string, afterChrome = false): { text: string; stripped: boolean } {
  let text = fragment.trim();
  let strong = afterChrome;
  for (;;) {
    const match = STRONG_LEADING.exec(text) ?? (strong ? (WEAK_LEADING.exec(text) ?? LEADING_DATE.exec(text)) : null);
    if (!match || match[0].length === 0) break;
    strong = true;
    text = text.slice(match[0].length).trim();
  }
  return { text, stripped: strong };
}

function hasContent(text: string): boolean {
  const han = (text.match(/\p{Script=Han}/gu) ?? []).length;
  const words = text.split(/\s+/).filter((word) => /\p{L}{2,}/u.test(word)).length;
  return han >= 6 || words >= 3;
}

export type StrippedClaim = {
  /** The sentence without the chrome (unchanged when there was none). */
  text: string;
  /** Chrome was removed. */
  changed: boolean;
  /** Nothing but chrome: a byline, dateline or share bar with no statement left. */
  chromeOnly: boolean;
};

/** Words and marks without which a long sentence carries no chrome (checked before the costly patterns). */
const CHROME_HINT =
  /[·•|｜©]|\b(?:share|copy link|tweet|twitter|facebook|linkedin|whatsapp|reddit|telegram|pinterest|min(?:ute)?s? read|updated|published|advertisement|sponsored|listen to|cookies?|newsletter|subscribe|sign up|rights reserved|follow us)\b|^\s*(?:by|from)\s|分享|微信|微博|复制链接|打印|收藏|来源|作者|编辑|记者|发布时间|更新时间|广告|推广|版权|订阅|关注|扫码|免责|授权/i;

/** Removes bylines, datelines and share bars a writer copied into a sentence. */
export function stripClaimChrome(sentence: string): StrippedClaim {
  const original = sentence.trim();
  if (original.length >= 40 && !CHROME_HINT.test(original))
    return { text: original, changed: false, chromeOnly: false };
  const fragments = original.split(SEPARATOR);
  let kept: string[];
  if (fragments.length > 1) {
    const chrome = fragments.map((fragment) => isChromeFragment(fragment));
    // Once a fragment is chrome, "X", "Email", "Print" beside it are the share bar's buttons.
    const inBar = chrome.some(Boolean);
    kept = [];
    fragments.forEach((fragment, index) => {
      if (chrome[index] || (inBar && isWeakOnly(fragment))) return;
      kept.push(stripLeading(fragment, inBar).text);
    });
    // "A · B" between two statements is punctuation, not chrome: keep it as written.
    if (kept.length === fragments.length && kept.every((fragment, index) => fragment === fragments[index]?.trim()))
      kept = [original];
  } else {
    kept = isChromeFragment(original) ? [] : [stripLeading(original).text];
  }
  let text = kept.filter(Boolean).join(" · ").replace(STRONG_TRAILING, "").trim();
  if (BOX.test(text) && text.length < 300) text = "";
  const changed = text !== original;
  return {
    text: changed ? capitalizeFirst(text) : original,
    changed,
    chromeOnly: text === "" || (changed && !hasContent(text)),
  };
}

function capitalizeFirst(text: string): string {
  return text.replace(/^\p{Ll}/u, (letter) => letter.toUpperCase());
}

/** Why a part of a page supports nothing. */
export type ChromeReason = "comment" | "related" | "chrome";

const SECTION_HEADING: Array<[RegExp, ChromeReason]> = [
  [
    /^(?:\d+\s+)?(?:reader\s+)?comments?(?:\s*\(\d+\))?$|^(?:join the )?(?:conversation|discussion)$|^(?:what (?:readers|you) (?:think|say))$|^(?:网友|热门|最新|全部|精彩)?评论(?:\s*[(（]\d+[)）])?$|^留言$/iu,
    "comment",
  ],
  [
    /^(?:related(?:\s+(?:stories|articles|news|coverage|content|reading|links|posts))?|read\s+(?:more|next|also)|more\s+(?:from|on|stories|news)\b.*|most\s+(?:read|popular|viewed)|trending(?:\s+now)?|recommended(?:\s+for\s+you)?|you\s+(?:may|might)\s+(?:also\s+)?like|also\s+read|see\s+also|popular\s+(?:now|stories)|top\s+stories|相关(?:阅读|新闻|文章|推荐|报道)|推荐阅读|延伸阅读|热门(?:文章|新闻|推荐)|猜你喜欢|热点推荐|更多(?:新闻|报道|阅读)|往期回顾)$/iu,
    "related",
  ],
  [
    /^(?:tags?|topics|share(?:\s+this)?(?:\s+(?:article|story))?|newsletter|sign\s+up.*|subscribe.*|advertisement|sponsored(?:\s+content)?|about\s+the\s+author|footer|标签|分享到?|广告|推广|订阅|关于作者|版权声明)\s*[:：]?$/iu,
    "chrome",
  ],
];

const COMMENT_LINE =
  /^\**[\p{L}\p{N}_ .·-]{2,30}\**\s*(?:[·|•-]\s*)?(?:\d+\s+(?:minutes?|hours?|days?|weeks?)\s+ago|\d{1,2}:\d{2}|\d+\s*(?:分钟|小时|天)前)|(?:^|\s)(?:reply|回复)\s*(?:[·|•]\s*)?(?:like|赞|点赞)?\s*(?:\(?\d+\)?)?$|^\s*(?:\d+\s+)?(?:likes?|点赞)\s*\d*\s*[·|•]\s*(?:reply|回复)/iu;

/** One line of a source's text and whether it may support a claim. */
export type SourceLine = { text: string; citable: boolean; reason: ChromeReason | null };

function headingText(line: string): string | null {
  const heading = /^\s{0,3}#{1,6}\s+(.*?)\s*#*\s*$/.exec(line);
  if (heading) return heading[1] ?? "";
  const bold = /^\s*(?:\*\*|__)([^*_]{1,60})(?:\*\*|__)\s*[:：]?\s*$/.exec(line);
  if (bold) return bold[1] ?? "";
  const plain = line.trim();
  if (plain.length > 0 && plain.length <= 40 && !/[.!?。！？；;,，]$/u.test(plain) && !/\d{3,}/.test(plain))
    return plain;
  return null;
}

function linkShare(line: string): number {
  const links = [...line.matchAll(/\[([^\]]*)\]\([^)]*\)/g)];
  if (links.length === 0) return 0;
  const linked = links.reduce((sum, match) => sum + (match[1] ?? "").length, 0);
  const text = line
    .replace(/\[([^\]]*)\]\([^)]*\)/g, "$1")
    .replace(/^[\s>*+-]+|\d+[.)]\s/g, "")
    .trim();
  return text.length === 0 ? 1 : linked / text.length;
}

/**
 * Splits a source's text into lines and marks what supports nothing: everything under a
 * "Comments" / "Related stories" / "网友评论" / "相关阅读" heading (until the next heading that is
 * not chrome), link-only lines, bylines, share bars, cookie/newsletter/copyright boxes and comment
 * lines ("jsmith · 2 hours ago").
 */
export function classifySourceLines(content: string): SourceLine[] {
  const lines: SourceLine[] = [];
  let zone: ChromeReason | null = null;
  for (const raw of content.split(/\r?\n/)) {
    const line = raw.trim();
    if (line === "") continue;
    const heading = headingText(line);
    if (heading !== null) {
      const cleaned = heading.replace(/[*_#]/g, "").trim();
      const match = SECTION_HEADING.find(([pattern]) => pattern.test(cleaned));
      if (match) {
        zone = match[1];
        lines.push({ text: line, citable: false, reason: zone });
        continue;
      }
      // A Markdown heading that is not chrome closes the zone; a short plain line inside it does not.
      if (/^\s{0,3}#{1,6}\s/.test(line)) zone = null;
    }
    if (zone) {
      lines.push({ text: line, citable: false, reason: zone });
      continue;
    }
    if (linkShare(line) >= 0.7) {
      lines.push({ text: line, citable: false, reason: "related" });
      continue;
    }
    if (COMMENT_LINE.test(line)) {
      lines.push({ text: line, citable: false, reason: "comment" });
      continue;
    }
    const stripped = stripClaimChrome(line.replace(/^[-*+>]\s+/, ""));
    if (stripped.chromeOnly || (BOX.test(line) && line.length < 300)) {
      lines.push({ text: line, citable: false, reason: "chrome" });
      continue;
    }
    lines.push({ text: line, citable: true, reason: null });
  }
  return lines;
}
