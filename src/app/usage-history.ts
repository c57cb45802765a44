import fs from "node:fs";
import path from "node:path";
import { z } from "zod";
import { foldRun, type MeasuredAverages } from "../core/cost/estimate.js";

const FILE_NAME = "usage-averages.json";

const stepSchema = z.object({
  calls_per_run: z.number().nonnegative(),
  input_per_call: z.number().nonnegative(),
  output_per_call: z.number().nonnegative(),
});
const fileSchema = z.record(
  z.string(),
  z.object({ runs: z.number().int().nonnegative(), steps: z.record(z.string(), stepSchema) }),
);

/**
 * Per-model averages of finished runs (`usage-averages.json` in the data directory): what each
 * step spent per call and how many calls it made. Estimates use them once a model has run.
 * Best effort: an unreadable file counts as no history; a failed write is only logged.
 */
export type UsageHistory = {
  read(model: string): MeasuredAverages | null;
  record(model: string, byStep: Record<string, { input_tokens: number; output_tokens: number; calls: number }>): void;
};

export function openUsageHistory(options: { home: string; logger?: (line: string) => void }): UsageHistory {
  const file = path.join(options.home, FILE_NAME);
  const readAll = (): z.infer<typeof fileSchema> => {
    try {
      const parsed = fileSchema.safeParse(JSON.parse(fs.readFileSync(file, "utf8")));
      return parsed.success ? parsed.data : {};
    } catch {
      return {};
    }
  };
  return {
    read(model) {
      const entry = readAll()[model];
      return entry ? (entry as MeasuredAverages) : null;
    },
    record(model, byStep) {
      const all = readAll();
      all[model] = foldRun((all[model] as MeasuredAverages | undefined) ?? null, byStep);
      try {
        fs.mkdirSync(options.home, { recursive: true });
        const temporary = `${file}.${process.pid}.tmp`;
        fs.writeFileSync(temporary, `${JSON.stringify(all, null, 2)}\n`);
        fs.renameSync(temporary, file);
      } catch (error) {
        options.logger?.(
          `Could not save usage averages to ${file}: ${error instanceof Error ? error.message : String(error)}`,
        );
      }
    },
  };
}
