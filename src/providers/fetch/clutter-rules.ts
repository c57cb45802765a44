/**
 * What page chrome looks like, as data: the class/id/role/aria words that name it, and the short
 * lines that are bylines, share bars, ad labels, newsletter boxes, tag lists, credits, copyright
 * and syndication notes, in English and Chinese. `strip-clutter.ts` applies them to the DOM.
 * Text rules only ever see one short block's text; every expression is linear (no nested
 * quantifiers, no overlapping alternatives under a repeat).
 */
import { mentionsDate, textUnits } from "./text-measure.js";

export type ClutterKind =
  | "consent"
  | "navigation"
  | "byline"
  | "dateline"
  | "share"
  | "ad"
  | "newsletter"
  | "tags"
  | "related"
  | "comments"
  | "footer"
  | "credit"
  | "syndication"
  | "caption"
  | "hidden"
  | "toolbar";

/** Blocks longer than this (in words; a CJK character is half a word) are never judged by their text. */
export const SHORT_BLOCK_UNITS = 40;

const TOKEN_KINDS: Record<string, ClutterKind> = {};
function tokens(kind: ClutterKind, words: string): void {
  for (const word of words.split(" ")) TOKEN_KINDS[word] = kind;
}
tokens("consent", "cookie cookies consent gdpr cmp cmplz onetrust cookiebanner cookienotice cookiebar");
tokens(
  "navigation",
  "nav navbar navigation menu menubar breadcrumb breadcrumbs crumb crumbs pagination pager masthead topbar ticker skip skiplink sidebar rail widget toolbar branding",
);
tokens("byline", "byline bylines author authors meta kicker eyebrow vcard dateline readtime");
tokens("share", "share shares sharing sharebar sharedaddy sharethis sharetools addthis addtoany social socials follow");
tokens(
  "ad",
  "ad ads adv advert adverts advertisement advertising adunit adslot adsbygoogle sponsor sponsored sponsors promo promoted promotion dfp taboola outbrain leaderboard mpu partner",
);
tokens("newsletter", "newsletter newsletters subscribe subscription signup cta paywall upsell membership");
tokens("tags", "tags keywords taglist tagcloud");
tokens(
  "related",
  "related relatedposts recommended recommendations recirc mostread mostpopular mostpop popular trending hot hotnews",
);
tokens("comments", "comment comments commentlist disqus respond replies discussion conversation conversations");
tokens("footer", "footer colophon copyright disclaimer licensing");
tokens("caption", "caption figcaption credit credits");
tokens("hidden", "hidden");

/** Token prefixes with few innocent words behind them ("commentary" excepted). */
const TOKEN_PREFIXES: ReadonlyArray<readonly [string, ClutterKind]> = [
  ["advert", "ad"],
  ["sponsor", "ad"],
  ["newsletter", "newsletter"],
  ["cookie", "consent"],
  ["comment", "comments"],
  ["related", "related"],
  ["social", "share"],
];

/** Two-word names (tokens joined by a space). */
const TOKEN_PHRASES: ReadonlyArray<readonly [string, ClutterKind]> = [
  ["screen reader", "hidden"],
  ["sr only", "hidden"],
  ["visually hidden", "hidden"],
  ["most read", "related"],
  ["most popular", "related"],
  ["read next", "related"],
  ["read more", "related"],
  ["more stories", "related"],
  ["hot list", "related"],
  ["date line", "dateline"],
  ["reading time", "byline"],
  ["post date", "dateline"],
  ["tag list", "tags"],
  ["tag cloud", "tags"],
  ["tags links", "tags"],
  ["top bar", "navigation"],
];

/** The words of class, id, data-testid and aria-label values: split at non-alphanumerics and camelCase humps, lower-cased. */
export function attributeTokens(values: ReadonlyArray<string | null>): string[] {
  const words: string[] = [];
  for (const value of values) {
    if (!value) continue;
    for (const word of value
      .replace(/([a-z0-9])([A-Z])/g, "$1 $2")
      .toLowerCase()
      .split(/[^a-z0-9]+/)) {
      if (word) words.push(word);
    }
  }
  return words;
}

/** The kind of chrome an element's attribute words name, or null. */
export function kindFromTokens(words: readonly string[]): ClutterKind | null {
  for (const word of words) {
    const exact = TOKEN_KINDS[word];
    if (exact) return exact;
    if (word === "commentary") continue;
    for (const [prefix, kind] of TOKEN_PREFIXES) if (word.startsWith(prefix)) return kind;
  }
  if (words.length > 1) {
    const joined = ` ${words.join(" ")} `;
    for (const [phrase, kind] of TOKEN_PHRASES) if (joined.includes(` ${phrase} `)) return kind;
  }
  return null;
}

export const CLUTTER_ROLES = new Set([
  "navigation",
  "banner",
  "contentinfo",
  "complementary",
  "search",
  "dialog",
  "alertdialog",
  "menu",
  "menubar",
  "toolbar",
  "tablist",
]);

/* ---------- text rules ---------- */

const AD_LABEL =
  /^(?:advertisement|advertising|ad|ads|sponsored(?: content| by)?|promoted(?: content)?|paid (?:post|content)|partner content|anzeige|publicité|广告|推广|赞助|商业推广|广告推广)$/i;

/** Whether `text` is an advertising label on its own ("Advertisement", "Sponsored", 广告, 推广 …). */
export function isAdLabel(text: string): boolean {
  return AD_LABEL.test(
    text
      .trim()
      .replace(/[:：·|]+$/, "")
      .trim(),
  );
}

const AD_LINE =
  /^(?:advertisement|advertising|sponsored(?: content)?|promoted|paid (?:post|content)|partner content)\s*(?:[·:：|–—-]|$)/i;
const BYLINE = /^(?:[Bb]y|BY|[Ww]ritten by|[Ww]ords by|[Tt]ext by|[Vv]on|[Pp]ar)\s+\p{Lu}/u;
const READ_TIME = /\b\d+\s*min(?:ute)?s?\.?\s+read\b|阅读(?:时间|需)\s*[：:]?\s*\d+\s*分钟/i;
const CHINESE_INFO =
  /(?:^|[\s|｜·•（(])(?:作者|记者|通讯员|来源|出处|发布时间|发布日期|更新时间|时间|日期|责任编辑|编辑|校对|审核|审校|阅读量|阅读|浏览量|浏览|点击量|点击)\s*[：:]/;
/** "Share:", "Share this article", 分享到： — a label ending the line or followed by a colon ("Share prices rose" is not one). */
const SHARE_START =
  /^(?:share(?: this)?(?: article| story| page| post)?|分享到|分享至|分享)\s*(?:[:：]|$)|^share this (?:article|story|page|post)\b/i;
const SOCIAL_NAMES =
  /\b(?:facebook|twitter|x|linkedin|whatsapp|telegram|reddit|pinterest|e-?mail|print|copy link|messenger|flipboard)\b|微信|微博|qq空间|朋友圈|豆瓣|今日头条/gi;
const NEWSLETTER =
  /\b(?:newsletters?|sign up|sign-up|subscribe|in your inbox|unsubscribe)\b|扫码|二维码|订阅|关注.{0,12}(?:公众号|微信|微博|官方账号)/i;
const TAGS =
  /^(?:tags?|tagged(?: with)?|topics?|keywords?|more about|related topics|filed under|标签|关键词|关键字|话题)\s*[:：]/i;
const CREDITS =
  /^[（(]?\s*(?:reporting by|writing by|editing by|edited by|additional reporting|compiled by|graphics by|责任编辑|编辑|校对|审核|审校|实习生|作者|记者)\s*(?:[：:]|\s)/i;
const SYNDICATION_START =
  /^(?:this (?:story|article|piece|report|post) (?:was )?(?:first |originally )?(?:appeared|published|ran)|originally (?:published|appeared)|republished|本文(?:转载|转自|来源|来自|系转载)|转载自|原标题|原文标题|原文链接|声明\s*[：:])/i;
const SYNDICATION_ANYWHERE =
  /first appeared (?:on|in)|republished with permission|originally published (?:on|in|by)|不代表.{0,16}(?:立场|观点)|如有侵权|转载请注明|版权归原作者/i;
const COPYRIGHT =
  /©|\(c\)\s*\d{4}|\bcopyright\b|all rights reserved|版权所有|版权声明|icp备|公网安备|未经(?:授权|许可)|禁止转载/i;
const CAPTION = /^(?:photo|image|picture|illustration|credit|图片?来源|图片|图源|摄影|摄)\s*[:：/]/i;
/** Local part bounded (RFC 5321: 64): unbounded, a long run of word characters makes the search quadratic. */
const EMAIL = /[\w.+-]{1,64}@[\w-]{1,63}\.[a-z]{2,}/i;
const MEMBERSHIP =
  /\b(?:become a (?:member|subscriber|supporter|patron)|paid (?:members?|subscribers?)|members get|support (?:our|independent) journalism|already a (?:member|subscriber))\b|开通会员|成为会员/i;
/** A count on its own: likes, claps, reads ("1.2K", "86", "3.1万"). */
const COUNTER = /^[\d.,]+\s*[KkMm万千亿]?\+?$/;
/** Words of toolbars: a block made only of these is buttons, not text. */
const UI_WORDS = new Set(
  "listen share save follow following clap claps bookmark print comment comments reply like likes report subscribe download copy link more menu close back top".split(
    " ",
  ),
);
/** Chinese toolbar words, removed before checking that nothing else is left. */
const UI_CHINESE = /点赞|在看|收藏|转发|举报|分享|打印本页|打印|关闭窗口|关闭|纠错|写留言|留言|评论|阅读原文|返回顶部/g;
const UI_NUDGE = /点个?\s*[“"]?在看|分享给(?:更多)?朋友|一键三连/;

/** Whether a short line is only toolbar buttons ("Listen · Share", "点赞 在看 86", "【打印本页】【关闭窗口】") or a nudge to press them. */
function isToolbar(line: string): boolean {
  if (UI_NUDGE.test(line)) return true;
  const words = line
    .replace(UI_CHINESE, " ")
    .replace(/[\d\s·|/•，,。.、【】[\]（）()]+/g, " ")
    .split(" ")
    .filter(Boolean);
  return words.length < line.length && words.every((word) => UI_WORDS.has(word.toLowerCase()));
}
/** Where an article ends and the publisher's promotions begin (WeChat and Chinese portals). */
const END_MARKER = /^[-—–~·\s（(]*(?:end|the end|全文完|完)[-—–~·\s）)]*$/i;

/** Whether a short line marks the end of the article ("END", "（完）", "— 完 —"). */
export function isEndMarker(text: string): boolean {
  return text.length <= 12 && END_MARKER.test(text.trim());
}

const RELATED_HEADING =
  /^(?:related(?: stories| articles| coverage| content| posts| news| reading| links)?|read (?:next|more|also)|keep reading|(?:see|more) also|more (?:on this story|stories|news|like this|to read|from [\p{L} ]{1,40})|most (?:read|popular|viewed|shared|commented)|popular(?: now| stories)?|trending(?: now| stories)?|recommended(?: for you| stories)?|you (?:may|might) (?:also )?like|top stories|editor'?s picks|what to read next|相关阅读|相关新闻|相关文章|相关推荐|相关报道|相关信息|相关链接|延伸阅读|推荐阅读|扩展阅读|往期推荐|往期回顾|历史文章|推荐文章|更多精彩|热门文章|热门推荐|热门新闻|热点新闻|热点推荐|热门资讯|猜你喜欢|为你推荐|精彩推荐|阅读排行|排行榜|\d*小时热榜|热榜)$/iu;
const COMMENTS_HEADING =
  /^(?:\d+\s+)?(?:comments?|reader comments|join the conversation|leave a (?:reply|comment)|discussion|responses?|conversation|网友评论|评论区?|热门评论|最新评论|读者评论|发表评论|全部评论|精彩评论)$|^\d+\s+(?:thoughts?|responses?|replies|comments?)\s+(?:on|to)\s/iu;

/** A section heading that introduces a list of other stories or the reader comments. */
export function headingKind(text: string): "related" | "comments" | null {
  const clean = text
    .trim()
    .replace(/\s*[（(]\s*\d+\s*[)）]\s*$/, "")
    .replace(/[\s:：»›>]+$/, "");
  if (clean.length === 0 || clean.length > 80) return null;
  if (COMMENTS_HEADING.test(clean)) return "comments";
  if (RELATED_HEADING.test(clean)) return "related";
  return null;
}

/** Words of `text` once dates, times and their usual companions are taken out. */
function wordsBesideDates(text: string): number {
  const rest = text
    .replace(/\b(?:jan|feb|mar|apr|may|jun|jul|aug|sept?|oct|nov|dec)[a-z]*\.?/gi, " ")
    .replace(/\b(?:mon|tue|wed|thu|fri|sat|sun)[a-z]*\.?/gi, " ")
    .replace(
      /\b(?:updated|published|posted|last modified|modified|am|pm|a\.m\.|p\.m\.|utc|gmt|bst|cet|cest|est|edt|pst|pdt|ago|hours?|minutes?|mins?|days?|weeks?|at|on|today|yesterday)\b/gi,
      " ",
    )
    .replace(/[\d年月日时分秒发布更新于前天小钟:：,.·|/\-–—()（）\s]+/g, " ")
    .trim();
  return rest === "" ? 0 : textUnits(rest);
}

/**
 * The kind of chrome a short block's text is, or null. `authorNames` (from the page's metadata)
 * lets a bare "Dana Whitfield · 28 November 2026" count as a byline.
 */
export function kindFromText(text: string, authorNames: readonly string[]): ClutterKind | null {
  const line = text.trim();
  if (line === "") return null;
  const units = textUnits(line);
  if (units > SHORT_BLOCK_UNITS) return null;
  if (isAdLabel(line) || AD_LINE.test(line)) return "ad";
  if (COUNTER.test(line)) return "toolbar";
  if (units <= 8 && isToolbar(line)) return "toolbar";
  if (BYLINE.test(line) && units <= 24) return "byline";
  if (READ_TIME.test(line)) return "byline";
  if (CHINESE_INFO.test(line) && units <= 30) return "byline";
  if (mentionsDate(line) && wordsBesideDates(line) <= 1) return "dateline";
  if (
    units <= 16 &&
    authorNames.some((name) => name.length > 1 && line.includes(name)) &&
    (mentionsDate(line) || units <= 6)
  )
    return "byline";
  if (SHARE_START.test(line) && units <= 16) return "share";
  if (units <= 20) {
    const names = new Set((line.match(SOCIAL_NAMES) ?? []).map((name) => name.toLowerCase()));
    if (names.size >= 2 && units - names.size <= 5) return "share";
  }
  if (TAGS.test(line)) return "tags";
  if (CREDITS.test(line) && units <= 24) return "credit";
  if (SYNDICATION_START.test(line) || SYNDICATION_ANYWHERE.test(line)) return "syndication";
  if (COPYRIGHT.test(line)) return "footer";
  if ((NEWSLETTER.test(line) || MEMBERSHIP.test(line)) && units <= 30) return "newsletter";
  if (CAPTION.test(line) && units <= 24) return "caption";
  if (EMAIL.test(line) && units <= 30) return "newsletter";
  return null;
}
