/**
 * The shape of a run in model calls and tokens: what each step's call costs, by the same
 * numbers the pipeline uses (output limits of the LLM author, evidence budget per section). The
 * pipeline plans its work within the budget with it, and the estimate (`estimateRun`) is built
 * from it, so a quote and a run agree on what a run is.
 */

/** Tokens of one kind of call: its prompt without evidence, the output limit, and the output expected. */
export type CallShape = { prompt: number; maxOutput: number; expectedOutput: number };

/**
 * Fixed parts of each step's call. Prompts: instructions + task + intent + outline as the
 * prompts in src/core/llm-author/prompts.ts build them (measured with the local estimator on
 * typical tasks). Output limits: the LLM author's `maxOutputTokens`. Expected output: what
 * models answer on average (a section of 300–500 words, an outline of 5 sections).
 */
export const CALL_SHAPES = {
  intent: { prompt: 330, maxOutput: 400, expectedOutput: 90 },
  outline: { prompt: 480, maxOutput: 1500, expectedOutput: 420 },
  /** Plus `QUALITY_TOKENS_PER_SECTION` per section. */
  quality: { prompt: 420, maxOutput: 1200, expectedOutput: 330 },
  /** Plus the section's evidence. */
  section: { prompt: 520, maxOutput: 1800, expectedOutput: 650 },
  /** Plus the sections' text (their output, capped at 2500 characters each). */
  summary: { prompt: 380, maxOutput: 900, expectedOutput: 300 },
  /** One batched citation check per text with grey-zone claims; plus the claims' passages. */
  judge: { prompt: 700, maxOutput: 252, expectedOutput: 110 },
} as const satisfies Record<string, CallShape>;

/** Quality prompt per section: its name, goal and up to 6 one-line sources of ~220 characters. */
export const QUALITY_TOKENS_PER_SECTION = 380;
/** Summary prompt per section: a section's text, capped at 2500 characters (~600 tokens). */
export const SUMMARY_TOKENS_PER_SECTION = 600;
/** Evidence blocks the pipeline may shrink to when the budget is tight (tokens per section). */
export const EVIDENCE_STEPS = [3000, 2000, 1200, 800] as const;

export type RunShape = {
  sections: number;
  /** Assessment rounds (each but the last followed by gap-filling searches). */
  rounds: number;
  evidenceTokensPerSection: number;
};

/** Input margin the budget reserves over the local count (see RunBudget). */
const INPUT_MARGIN = 1.15;

function reserve(shape: CallShape, extraPrompt: number): number {
  return Math.ceil((shape.prompt + extraPrompt) * INPUT_MARGIN) + shape.maxOutput;
}

/** Tokens the budget must hold for the writing part (sections + summary) of a run, at worst. */
export function writingReserve(shape: Pick<RunShape, "sections" | "evidenceTokensPerSection">): number {
  const section = reserve(CALL_SHAPES.section, shape.evidenceTokensPerSection);
  const summary = reserve(CALL_SHAPES.summary, shape.sections * SUMMARY_TOKENS_PER_SECTION);
  return shape.sections * section + summary;
}

/** Tokens one assessment round may take at worst. */
export function roundReserve(sections: number): number {
  return reserve(CALL_SHAPES.quality, sections * QUALITY_TOKENS_PER_SECTION);
}

/**
 * The largest run that fits `available` tokens, giving things up in this order: gap-filling
 * rounds (down to one assessment), then evidence per section (down to 800 tokens), then sections
 * (down to one). Null when not even one section with one assessment fits.
 */
export function planWithinBudget(options: { available: number; wanted: RunShape }): RunShape | null {
  const { available, wanted } = options;
  const evidenceSteps = [
    wanted.evidenceTokensPerSection,
    ...EVIDENCE_STEPS.filter((step) => step < wanted.evidenceTokensPerSection),
  ];
  for (let sections = wanted.sections; sections >= 1; sections -= 1) {
    for (const evidence of evidenceSteps) {
      const writing = writingReserve({ sections, evidenceTokensPerSection: evidence });
      const rounds = Math.min(wanted.rounds, Math.floor((available - writing) / roundReserve(sections)));
      if (rounds >= 1) return { sections, rounds, evidenceTokensPerSection: evidence };
    }
  }
  return null;
}
