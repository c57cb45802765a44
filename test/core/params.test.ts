import { describe, expect, it } from "vitest";
import { taskParamsSchema } from "../../src/core/params.js";

function issues(input: unknown): string[] {
  const parsed = taskParamsSchema.safeParse(input);
  return parsed.success ? [] : parsed.error.issues.map((issue) => `${issue.path.join(".")}: ${issue.message}`);
}

describe("task parameters", () => {
  it("applies defaults and leaves days to the intent step", () => {
    expect(taskParamsSchema.parse({ task: "  AI agents  " })).toEqual({
      task: "AI agents",
      task_type: "auto",
      quality_threshold: 7,
      max_iterations: 3,
      auto_confirm: true,
    });
  });

  it("rejects out-of-range and wrongly typed values, naming the field, never clamping", () => {
    expect(issues({ task: "" })).toEqual(["task: task must not be empty"]);
    expect(issues({ task: "x", days: 0 })).toEqual(["days: days must be at least 1"]);
    expect(issues({ task: "x", days: 3651 })).toEqual(["days: days must be at most 3650"]);
    expect(issues({ task: "x", days: 2.5 })).toEqual(["days: days must be a whole number"]);
    expect(issues({ task: "x", quality_threshold: 11 })).toEqual([
      "quality_threshold: quality_threshold must be between 0 and 10",
    ]);
    expect(issues({ task: "x", max_iterations: 0 })).toEqual([
      "max_iterations: max_iterations must be between 1 and 10",
    ]);
    expect(issues({ task: "x", task_type: "essay" })[0]).toMatch(/^task_type: /);
    expect(issues({ task: "x", auto_confirm: "yes" })[0]).toMatch(/^auto_confirm: /);
    expect(issues({ task: "x", colour: "red" })[0]).toMatch(/colour/);
  });

  it("accepts BCP 47 language tags and rejects anything else", () => {
    for (const tag of ["en", "zh", "zh-CN", "zh-Hans", "pt-BR", "ja"])
      expect(issues({ task: "x", language: tag })).toEqual([]);
    for (const tag of ["not a tag!!", "english_", "zh_CN!"]) {
      expect(issues({ task: "x", language: tag })).toEqual([
        "language: language must be a BCP 47 language tag such as 'en', 'zh' or 'zh-CN'",
      ]);
    }
  });
});
