import type { EventSink, PipelineStep, ProgressDetails, ProgressEvent, ProgressStatus } from "../events/index.js";
import type { ModelUsage } from "../types.js";
import { costOf, type ModelPrice } from "../cost/prices.js";
import type { UsageTracker } from "./usage-tracker.js";

/**
 * Emits the run's events through the one callback, keeping `progress` monotonic and counting
 * usage. Events are delivered in order: each emit awaits the sink.
 */
export class ProgressEmitter {
  private progress = 0;
  readonly warnings: string[] = [];

  constructor(
    private readonly sink: EventSink,
    private readonly usage: UsageTracker,
    private readonly model: { provider: string | null; name: string | null },
    /** The model's price; null = unknown (usage events carry tokens only). */
    private readonly price: ModelPrice | null = null,
  ) {}

  /** `details` is typed by `status` (core/events/details.ts). */
  async progressTo<Status extends ProgressStatus>(
    status: Status,
    progress: number,
    message: string,
    details?: ProgressDetails<Status>,
  ): Promise<void> {
    this.progress = Math.min(100, Math.max(this.progress, Math.round(progress)));
    // The generic pair (status, details) is one member of the union; TS cannot see that through a type parameter.
    const event = {
      type: "progress",
      status,
      message,
      progress: this.progress,
      ...(details ? { details } : {}),
    } as ProgressEvent;
    await this.sink(event);
  }

  /** A degraded-but-continuing condition: recorded in the result's warnings and emitted. */
  async warn(message: string, details?: ProgressDetails<"warning">): Promise<void> {
    this.warnings.push(message);
    await this.progressTo("warning", this.progress, message, details);
  }

  get current(): number {
    return this.progress;
  }

  /** The `onUsage` callback for one step's model calls. */
  usageFor(step: PipelineStep): (usage: ModelUsage) => Promise<void> {
    return async (usage) => {
      const provider = this.model.provider ?? "unknown";
      const name = this.model.name ?? "unknown";
      this.usage.record(usage, `${provider}/${name}`, step);
      await this.sink({
        type: "model_usage",
        step,
        model_provider: provider,
        model_name: name,
        input_tokens: usage.input_tokens,
        output_tokens: usage.output_tokens,
        estimated: usage.estimated,
        ...(this.price ? { cost: costOf(usage, this.price) } : {}),
      });
    };
  }
}
