/**
 * Okapi BM25 over pre-tokenized documents (the passages of a run's sources). Pure and in
 * memory: the pool is a few thousand passages at most, scored against a handful of queries.
 */

export type Bm25Document = { counts: Map<string, number>; length: number };

export type Bm25Index = {
  documents: Bm25Document[];
  /** Inverse document frequency per term (BM25's, kept positive). */
  idf: Map<string, number>;
  averageLength: number;
};

const K1 = 1.2;
const B = 0.75;

/** Term counts of a token list. */
export function countTerms(terms: string[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const term of terms) counts.set(term, (counts.get(term) ?? 0) + 1);
  return counts;
}

/** Builds the index of `documents` (each a list of terms). */
export function buildBm25Index(documents: Array<Map<string, number>>): Bm25Index {
  const frequency = new Map<string, number>();
  let totalLength = 0;
  const docs: Bm25Document[] = documents.map((counts) => {
    let length = 0;
    for (const [term, count] of counts) {
      length += count;
      frequency.set(term, (frequency.get(term) ?? 0) + 1);
    }
    totalLength += length;
    return { counts, length };
  });
  const total = docs.length;
  const idf = new Map<string, number>();
  for (const [term, count] of frequency) idf.set(term, Math.log(1 + (total - count + 0.5) / (count + 0.5)));
  return { documents: docs, idf, averageLength: total > 0 ? totalLength / total : 0 };
}

/** BM25 score of document `index` for a query given as term → weight (repeated query terms weigh more). */
export function scoreDocument(index: Bm25Index, document: number, query: Map<string, number>): number {
  const doc = index.documents[document];
  if (!doc || doc.length === 0) return 0;
  const norm = K1 * (1 - B + (B * doc.length) / (index.averageLength || 1));
  let score = 0;
  for (const [term, weight] of query) {
    const tf = doc.counts.get(term);
    if (!tf) continue;
    score += weight * (index.idf.get(term) ?? 0) * ((tf * (K1 + 1)) / (tf + norm));
  }
  return score;
}
