import type { AuthorContext, Intent, Outline, QualityAssessment, ReportAuthor } from "../author.js";
import { analyzeIntentByRules } from "../intent-rules.js";
import type { LanguageModel } from "../types.js";
import { intentMessages, outlineMessages, qualityMessages, sectionMessages, summaryMessages } from "./prompts.js";
import { intentReplySchema, outlineReplySchema, qualityReplySchema } from "./schemas.js";

function round(value: number): number {
  return Math.round(value * 10) / 10;
}

/**
 * The model-backed author. Language and time window come from the rules (deterministic);
 * the model classifies, names the topic, plans, assesses and writes.
 */
export class LlmAuthor implements ReportAuthor {
  readonly engine = "llm" as const;
  readonly modelProvider: string;
  readonly modelName: string;

  constructor(private readonly model: LanguageModel) {
    this.modelProvider = model.provider;
    this.modelName = model.model;
  }

  async analyzeIntent(input: AuthorContext): Promise<Intent> {
    const rules = analyzeIntentByRules({ params: input.params, now: input.now });
    const reply = await this.model.generateObject({
      messages: intentMessages({ task: input.params.task, now: input.now }),
      schema: intentReplySchema,
      schemaName: "intent",
      signal: input.signal,
      onUsage: input.onUsage,
      gate: input.gate,
      maxOutputTokens: 400,
    });
    const keyTerms = [...new Set([...reply.key_terms, ...rules.key_terms])].slice(0, 12);
    return {
      ...rules,
      task_type: input.params.task_type === "auto" ? reply.task_type : input.params.task_type,
      topic: reply.topic.trim() || rules.topic,
      key_terms: keyTerms,
    };
  }

  async planOutline(input: AuthorContext & { intent: Intent }): Promise<Outline> {
    const reply = await this.model.generateObject({
      messages: outlineMessages({ task: input.params.task, intent: input.intent, now: input.now }),
      schema: outlineReplySchema,
      schemaName: "outline",
      signal: input.signal,
      onUsage: input.onUsage,
      gate: input.gate,
      maxOutputTokens: 1500,
    });
    return {
      title: reply.title,
      // normalizeOutline (pipeline) caps sections and queries per section.
      sections: reply.sections.map((section, index) => ({
        id: index,
        name: section.name,
        goal: section.goal,
        queries: section.queries,
      })),
    };
  }

  async assessQuality(input: Parameters<ReportAuthor["assessQuality"]>[0]): Promise<QualityAssessment> {
    const reply = await this.model.generateObject({
      messages: qualityMessages({
        task: input.params.task,
        intent: input.intent,
        outline: input.outline,
        evidence: input.evidence,
        iteration: input.iteration,
      }),
      schema: qualityReplySchema,
      schemaName: "quality_assessment",
      signal: input.signal,
      onUsage: input.onUsage,
      gate: input.gate,
      maxOutputTokens: 1200,
    });
    const dimensions = [reply.relevance, reply.depth, reply.accuracy, reply.completeness, reply.timeliness];
    return {
      scores: {
        relevance: round(reply.relevance),
        depth: round(reply.depth),
        accuracy: round(reply.accuracy),
        completeness: round(reply.completeness),
        timeliness: round(reply.timeliness),
        overall: round(dimensions.reduce((sum, value) => sum + value, 0) / dimensions.length),
      },
      gaps: reply.gaps.slice(0, 10),
      supplementary_queries: reply.supplementary_queries.slice(0, 10),
    };
  }

  async writeSection(input: Parameters<ReportAuthor["writeSection"]>[0]): Promise<string> {
    return this.model.generateText({
      messages: sectionMessages({
        task: input.params.task,
        intent: input.intent,
        outline: input.outline,
        section: input.section,
        evidence: input.evidence,
      }),
      signal: input.signal,
      onUsage: input.onUsage,
      gate: input.gate,
      maxOutputTokens: 1800,
      temperature: 0.3,
    });
  }

  async writeSummary(input: Parameters<ReportAuthor["writeSummary"]>[0]): Promise<string> {
    return this.model.generateText({
      messages: summaryMessages({
        task: input.params.task,
        intent: input.intent,
        outline: input.outline,
        sections: input.sections,
      }),
      signal: input.signal,
      onUsage: input.onUsage,
      gate: input.gate,
      maxOutputTokens: 900,
      temperature: 0.3,
    });
  }
}
