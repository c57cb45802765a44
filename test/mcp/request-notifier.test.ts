import type { ServerNotification } from "@modelcontextprotocol/sdk/types.js";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import type { LogLevelGate } from "../../src/mcp/log-level.js";
import { createProgressCounter, createRequestNotifier } from "../../src/mcp/request-notifier.js";

const allowAll: LogLevelGate = { allows: () => true };

function recorder(): { sent: ServerNotification[]; send: (notification: ServerNotification) => Promise<void> } {
  const sent: ServerNotification[] = [];
  return { sent, send: async (notification) => void sent.push(notification) };
}

function progressOf(sent: ServerNotification[]): Array<{ progress: number; message?: string }> {
  return sent.flatMap((notification) =>
    notification.method === "notifications/progress" ? [notification.params] : [],
  );
}

beforeEach(() => {
  vi.useFakeTimers();
});

afterEach(() => {
  vi.useRealTimers();
});

describe("the MCP progress adapter", () => {
  it("sends a heartbeat with the current step after 15 s of silence; progress strictly increases and stays below the next step", async () => {
    const { sent, send } = recorder();
    const notifier = createRequestNotifier({ send, progressToken: "token-1", gate: allowAll, sessionId: undefined });
    notifier.handle({
      type: "progress",
      status: "generating_sections",
      message: "Writing 4 sections in parallel",
      progress: 50,
    });
    await vi.advanceTimersByTimeAsync(14_999);
    expect(progressOf(sent)).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(1);
    await notifier.flush();
    const beat = progressOf(sent).at(-1);
    expect(beat).toMatchObject({
      progressToken: "token-1",
      total: 100,
      message: "still working: Writing 4 sections in parallel",
    });
    expect(beat?.progress).toBeGreaterThan(50);
    expect(beat?.progress).toBeLessThan(51);

    // A warning (and an event at a lower value) moves a sub-step on, never back.
    notifier.handle({ type: "progress", status: "warning", message: "Brave failed; using Tavily", progress: 20 });
    await notifier.flush();
    expect(progressOf(sent).at(-1)?.message).toBe("Brave failed; using Tavily");
    for (let beatIndex = 0; beatIndex < 500; beatIndex += 1) await vi.advanceTimersByTimeAsync(15_000);
    await notifier.flush();
    expect(progressOf(sent).at(-1)?.message).toBe("still working: Writing 4 sections in parallel");
    expect(progressOf(sent).at(-1)?.progress).toBeLessThan(51);
    notifier.handle({ type: "progress", status: "generating_sections", message: "Finished section 1", progress: 51 });
    notifier.handle({ type: "progress", status: "task_completed", message: "done", progress: 100 });
    // At 100 nothing higher can be sent: a later event carries its message only.
    notifier.handle({ type: "progress", status: "warning", message: "late warning", progress: 100 });
    await notifier.flush();
    const values = progressOf(sent).map((update) => update.progress);
    expect(values.length).toBeGreaterThan(500);
    for (let index = 1; index < values.length; index += 1)
      expect(values[index]).toBeGreaterThan(values[index - 1] ?? -1);
    expect(values.slice(-2)).toEqual([51, 100]);
    expect(values.every((value) => value <= 100)).toBe(true);

    notifier.close();
    await vi.advanceTimersByTimeAsync(60_000);
    const count = sent.length;
    notifier.handle({ type: "progress", status: "task_completed", message: "done", progress: 100 });
    expect(sent).toHaveLength(count);
  });

  it("keeps progress strictly increasing for millions of repeats", () => {
    const counter = createProgressCounter(42);
    let previous = -1;
    for (let repeat = 0; repeat < 2_000_000; repeat += 1) {
      const value = counter.next(42);
      if (value === null || !(value > previous) || value >= 43)
        throw new Error(`repeat ${repeat}: ${value} after ${previous}`);
      previous = value;
    }
    expect(counter.next(43)).toBe(43);
  });

  it("maps events to the seed's message shapes, by level, through the gate", async () => {
    const { sent, send } = recorder();
    const infoBlocked: LogLevelGate = { allows: (level) => level !== "info" };
    const notifier = createRequestNotifier({ send, progressToken: undefined, gate: infoBlocked, sessionId: "s1" });
    notifier.handle({ type: "progress", status: "searching", message: "Searching 3 queries", progress: 18 });
    notifier.handle({
      type: "progress",
      status: "warning",
      message: "Confirmation skipped",
      details: { reason: "no elicitation" },
      progress: 18,
    });
    notifier.handle({
      type: "model_usage",
      step: "generating_outline",
      model_provider: "deepseek",
      model_name: "deepseek-chat",
      input_tokens: 5,
      output_tokens: 7,
      estimated: true,
    });
    await notifier.flush();
    expect(sent).toEqual([
      {
        method: "notifications/message",
        params: {
          level: "warning",
          logger: "report-mcp",
          data: { msg: { status: "warning", message: "Confirmation skipped", details: { reason: "no elicitation" } } },
          extra: null,
        },
      },
    ]);

    const open = recorder();
    const unfiltered = createRequestNotifier({
      send: open.send,
      progressToken: undefined,
      gate: allowAll,
      sessionId: undefined,
    });
    unfiltered.handle({
      type: "model_usage",
      step: "generating_outline",
      model_provider: "deepseek",
      model_name: "deepseek-chat",
      input_tokens: 5,
      output_tokens: 7,
      estimated: true,
    });
    unfiltered.handle({
      type: "model_usage",
      step: "generating_summary",
      model_provider: "deepseek",
      model_name: "deepseek-chat",
      input_tokens: 1,
      output_tokens: 2,
      estimated: false,
    });
    await unfiltered.flush();
    expect(open.sent.map((notification) => notification.params)).toEqual([
      {
        level: "info",
        logger: "report-mcp",
        data: {
          msg: {
            type: "model_usage",
            data: {
              model_provider: "deepseek",
              model_name: "deepseek-chat",
              input_tokens: 5,
              output_tokens: 7,
              estimated: true,
            },
          },
        },
      },
      {
        level: "info",
        logger: "report-mcp",
        data: {
          msg: {
            type: "model_usage",
            data: { model_provider: "deepseek", model_name: "deepseek-chat", input_tokens: 1, output_tokens: 2 },
          },
        },
      },
    ]);
    unfiltered.close();
  });
});
