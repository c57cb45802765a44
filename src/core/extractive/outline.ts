import type { Intent, NumberedSource, Outline, OutlineSection } from "../author.js";
import { detectLanguage } from "../text/language.js";
import { engineText, isChinese, STRUCTURES, type StructureSlot } from "./labels.js";
import { topicalSources } from "./topic.js";
import { centroid, cosine, inverseDocumentFrequency, isNamingTerm, termBag, type TermBag, termSet, type TermVector, weightVector } from "./vectors.js";

type Cluster = { members: number[]; vector: TermVector };

/**
 * The first searches of a run: the topic, its key terms, and the topic with each slot of the
 * report type's structure ("AI Agent 融资与市场", "solid-state batteries cost"), so that the
 * evidence the outline is shaped from spans the whole structure rather than the top hits.
 */
export function discoveryQueries(intent: Intent): string[] {
  const chinese = isChinese(intent.language);
  const slotQueries = STRUCTURES[intent.task_type].map((slot) => `${intent.topic} ${chinese ? slot.zh : slot.cues.slice(0, 2).join(" ")}`);
  const queries = [intent.topic, intent.key_terms.join(" "), ...slotQueries];
  const seen = new Set<string>();
  return queries
    .map((query) => query.trim())
    .filter((query) => {
      const key = query.toLowerCase();
      if (query.length === 0 || seen.has(key)) return false;
      seen.add(key);
      return true;
    })
    .slice(0, 7);
}

/** Average-linkage agglomerative clustering on cosine similarity, down to `target` clusters. */
function clusterSources(vectors: TermVector[], target: number): Cluster[] {
  let clusters: Cluster[] = vectors.map((vector, index) => ({ members: [index], vector }));
  const similarity = (left: Cluster, right: Cluster) => {
    let sum = 0;
    for (const a of left.members) for (const b of right.members) sum += cosine(vectors[a] ?? new Map(), vectors[b] ?? new Map());
    return sum / (left.members.length * right.members.length);
  };
  while (clusters.length > target) {
    let best = { left: 0, right: 1, score: Number.NEGATIVE_INFINITY };
    for (let left = 0; left < clusters.length; left += 1) {
      for (let right = left + 1; right < clusters.length; right += 1) {
        const score = similarity(clusters[left] as Cluster, clusters[right] as Cluster);
        if (score > best.score) best = { left, right, score };
      }
    }
    const merged = [...(clusters[best.left]?.members ?? []), ...(clusters[best.right]?.members ?? [])];
    clusters = clusters.filter((_, index) => index !== best.left && index !== best.right);
    clusters.push({ members: merged, vector: centroid(merged.map((member) => vectors[member] ?? new Map())) });
  }
  return clusters.sort((left, right) => right.members.length - left.members.length || (left.members[0] ?? 0) - (right.members[0] ?? 0));
}

/**
 * The cluster's distinctive terms in readable form: terms several members share come first,
 * and a Chinese report is named in Chinese words when the cluster has at least two of them.
 */
function clusterTerms(cluster: Cluster, bags: TermBag[], surfaces: Map<string, string>, excluded: Set<string>, chinese: boolean): string[] {
  const shared = (term: string) => cluster.members.filter((member) => bags[member]?.counts.has(term)).length;
  const candidates = [...cluster.vector]
    .filter(([term]) => !excluded.has(term) && isNamingTerm(term) && isNamingTerm(surfaces.get(term) ?? term))
    .map(([term, weight]) => ({ term, weight: weight * (cluster.members.length > 1 && shared(term) > 1 ? 2 : 1), han: /\p{Script=Han}/u.test(term) }));
  const inScript = chinese ? candidates.filter((candidate) => candidate.han) : candidates.filter((candidate) => !candidate.han);
  return (inScript.length >= 2 ? inScript : candidates)
    .sort((left, right) => right.weight - left.weight || (left.term < right.term ? -1 : 1))
    .slice(0, 3)
    .map(({ term }) => surfaces.get(term) ?? term);
}

/** Fits clusters into the structure's slots by cue words (greedy best match), keeping slot order. */
function assignSlots(clusterTexts: Set<string>[], slots: StructureSlot[]): Array<{ cluster: number; slot: number }> {
  const pairs: Array<{ cluster: number; slot: number; score: number }> = [];
  clusterTexts.forEach((terms, cluster) => {
    slots.forEach((slot, index) => {
      const hits = slot.cues.filter((cue) => terms.has(cue)).length;
      pairs.push({ cluster, slot: index, score: hits - index * 0.01 });
    });
  });
  pairs.sort((left, right) => right.score - left.score || left.cluster - right.cluster);
  const usedClusters = new Set<number>();
  const usedSlots = new Set<number>();
  const assignment: Array<{ cluster: number; slot: number }> = [];
  for (const pair of pairs) {
    if (usedClusters.has(pair.cluster) || usedSlots.has(pair.slot)) continue;
    usedClusters.add(pair.cluster);
    usedSlots.add(pair.slot);
    assignment.push(pair);
  }
  return assignment.sort((left, right) => left.slot - right.slot);
}

/**
 * Derives an outline from retrieved evidence: sources are clustered by TF-IDF similarity into
 * 2–5 groups, each group is fitted into a slot of the task type's usual structure by cue words
 * and named after its distinctive terms; sections get queries built from those terms. With
 * fewer than three groups the structure's remaining slots fill the outline up to three sections.
 */
export function outlineFromEvidence(options: { intent: Intent; sources: NumberedSource[] }): Outline {
  const { intent } = options;
  const chinese = isChinese(intent.language);
  // In a mixed-language corpus, shape the outline from sources in the report's language when
  // there are enough of them, so that section names and queries are in that language too.
  const reportLanguage = chinese ? "zh" : intent.language.slice(0, 2).toLowerCase();
  // Slot queries match on slot words too; sources that mention none of the topic's terms are
  // off-topic and never shape the outline (with none on topic, the structure's slots stand alone).
  const pool = topicalSources(intent, options.sources);
  const sameLanguage = pool.filter((source) => detectLanguage(source.content.slice(0, 2000)) === reportLanguage);
  const sources = sameLanguage.length >= 3 ? sameLanguage : pool;
  const text = engineText(intent.language);
  const slots = STRUCTURES[intent.task_type];
  const bags = sources.map((source) => termBag(`${source.title}\n${source.content}`));
  const surfaces = new Map<string, string>();
  for (const bag of bags) for (const [term, surface] of bag.surfaces) if (!surfaces.has(term)) surfaces.set(term, surface);
  const idf = inverseDocumentFrequency(bags.map((bag) => bag.counts));
  const vectors = bags.map((bag) => weightVector(bag.counts, idf));
  const excluded = termSet(`${intent.topic} ${intent.key_terms.join(" ")}`);
  const target = sources.length <= 3 ? sources.length : Math.min(5, Math.max(3, Math.round(sources.length / 3)));
  const clusters = target > 0 ? clusterSources(vectors, target) : [];
  const clusterTermSets = clusters.map((cluster) => {
    const terms = new Set<string>();
    for (const member of cluster.members) for (const term of bags[member]?.counts.keys() ?? []) terms.add(term);
    return terms;
  });
  const sections: Array<{ slot: number; terms: string[] }> = assignSlots(clusterTermSets, slots).map(({ cluster, slot }) => ({
    slot,
    terms: clusterTerms(clusters[cluster] as Cluster, bags, surfaces, excluded, chinese),
  }));
  for (let slot = 0; sections.length < 3 && slot < slots.length; slot += 1) {
    if (!sections.some((section) => section.slot === slot)) sections.push({ slot, terms: [] });
  }
  sections.sort((left, right) => left.slot - right.slot);
  const outlineSections: OutlineSection[] = sections.map((section, index) => {
    const slot = slots[section.slot] as StructureSlot;
    const cue = chinese ? slot.zh : (slot.cues[0] ?? slot.en);
    const queries =
      section.terms.length > 0
        ? [`${intent.topic} ${section.terms.slice(0, 2).join(" ")}`, section.terms.join(" "), `${intent.topic} ${cue}`]
        : [`${intent.topic} ${cue}`, `${intent.topic} ${slot.cues.slice(1, 3).join(" ")}`];
    return {
      id: index,
      name: text.heading(slot, section.terms),
      goal: text.goal(slot, intent.topic, section.terms),
      queries: [...new Set(queries.map((query) => query.trim()))],
    };
  });
  return { title: text.title(intent.topic, intent.task_type), sections: outlineSections };
}
