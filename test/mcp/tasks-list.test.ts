/** tasks/list shows the tasks a host asked for, not the SDK's hidden task behind a plain tool call. */
import { CreateTaskResultSchema } from "@modelcontextprotocol/sdk/types.js";
import { describe, expect, it } from "vitest";
import { callTool } from "./mcp-harness.js";
import { useWorldHosts } from "./test-runtime.js";

const TASK = { task: "State of solid-state batteries in 2026", max_iterations: 1 };

// Model calls take 250 ms: a run lasts a few seconds, with silences between steps.
const { host } = useWorldHosts({ sections: 3, latencyMs: 250 });

describe("tasks/list", () => {
  it("lists the tasks the client asked for, not the SDK's hidden task behind a plain generate_report call", async () => {
    const harness = await host();
    const plain = callTool(harness.client, "generate_report", TASK);
    await harness.until(() => (harness.jobs.list()[0]?.progress ?? 0) > 0);
    expect((await harness.client.experimental.tasks.listTasks()).tasks).toEqual([]);

    const created = await harness.client.request(
      { method: "tools/call", params: { name: "generate_report", arguments: TASK, task: { ttl: 60_000 } } },
      CreateTaskResultSchema,
    );
    const listed = await harness.client.experimental.tasks.listTasks();
    expect(listed.tasks.map((task) => task.taskId)).toEqual([created.task.taskId]);
    await harness.client.experimental.tasks.cancelTask(created.task.taskId);
    await plain;
  });
});
