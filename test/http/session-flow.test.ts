import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { serveHttp, type HttpServerHandle } from "../../src/http/serve.js";
import { createRuntime } from "../../src/app/create-runtime.js";
import { startResearchWorld, type ResearchWorld } from "../fakes/research-world.js";
import { observeRuntime, type ObservedRuntime } from "../helpers/observed-runtime.js";
import { followSse, postJson, readSse, type SseEvent } from "./sse-client.js";

let world: ResearchWorld;
let home: string;
let server: HttpServerHandle;
let observed: ObservedRuntime;

beforeAll(async () => {
  world = await startResearchWorld({ sections: 3, latencyMs: 40 });
  home = await mkdtemp(path.join(os.tmpdir(), "report-mcp-http-flow-"));
  // The real runtime, observed so a test can wait for a cancelled pipeline to wind down.
  observed = observeRuntime(createRuntime(world.settings(home)));
  server = await serveHttp({ settings: world.settings(home), runtime: observed.runtime, port: 0, keepAliveMs: 50 });
});

afterAll(async () => {
  await server?.close();
  await world?.close();
  await rm(home, { recursive: true, force: true });
});

const statusOf = (event: SseEvent): string | undefined => event.message.params?.data?.msg?.status;

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- a JSON body read by path; the assertions check the values
async function session(id: string): Promise<Record<string, any>> {
  return (await fetch(`${server.url}/mcp/streaming/sessions/${id}`)).json();
}

describe("sessions over HTTP (real pipeline, loopback fakes)", () => {
  it("a client that disconnects does not stop the job; re-attaching with Last-Event-ID loses and repeats nothing", async () => {
    const first = await readSse(
      await postJson(`${server.url}/mcp/streaming/orchestrator`, {
        task: "AI agent frameworks this month",
        kwargs: { max_iterations: 1 },
      }),
      {
        stopAfter: (_event, index) => index === 4,
      },
    );
    expect(first.ended).toBe(false);
    expect(first.events).toHaveLength(5);
    const sessionId = first.events[0]?.message.params.session_id;
    // The job goes on without a reader: the model is called again (a stopped job would hang here).
    await world.openai.received(world.openai.calls.length + 1);
    const lastId = first.events.at(-1)?.id ?? "";
    const resumed = await readSse(
      await fetch(`${server.url}/mcp/streaming/sessions/${sessionId}/events`, { headers: { "Last-Event-ID": lastId } }),
    );
    expect(resumed.ended).toBe(true);
    const all = [...first.events, ...resumed.events];
    expect(all.map((event) => Number(event.id))).toEqual(all.map((_, index) => index + 1));
    expect(all.at(-1)?.message.result.isError).toBe(false);
    const state = await session(sessionId);
    expect(state.status).toBe("completed");
    expect(state.messages).toEqual(all.map((event) => event.message));
  });

  it("sends keep-alive comments while idle", async () => {
    const response = await postJson(`${server.url}/mcp/streaming/orchestrator`, {
      task: "Battery recycling",
      auto_confirm: false,
      kwargs: { max_iterations: 1 },
    });
    const read = await readSse(response, { stopAfter: (event) => statusOf(event) === "awaiting_confirmation" });
    const sessionId = read.events[0]?.message.params.session_id;
    const reattached = await fetch(`${server.url}/mcp/streaming/sessions/${sessionId}/events`, {
      headers: { "Last-Event-ID": read.events.at(-1)?.id ?? "" },
    });
    const watch = followSse(reattached);
    await watch.until(() => watch.comments.filter((comment) => comment.includes("keep-alive")).length >= 2);
    expect(watch.events).toEqual([]);
    await fetch(`${server.url}/mcp/streaming/sessions/${sessionId}/cancel`, { method: "POST" });
    const rest = await watch.done;
    expect(rest.events.at(-1)?.message.error.data.type).toBe("cancelled");
  });

  it("cancel stops the job and its spend; the stream ends with a cancelled error", async () => {
    const response = await postJson(`${server.url}/mcp/streaming/orchestrator`, {
      task: "Quantum networking startups",
      kwargs: { max_iterations: 2 },
    });
    const sessionId = response.headers.get("x-session-id") ?? "";
    const reading = followSse(response);
    await reading.until(() => reading.events.some((event) => statusOf(event) === "searching"));
    const callsBeforeCancel = world.openai.calls.length;
    const answer = await (
      await fetch(`${server.url}/mcp/streaming/sessions/${sessionId}/cancel`, { method: "POST" })
    ).json();
    expect(answer).toEqual({ session_id: sessionId, cancelled: true, status: "cancelled" });
    const read = await reading.done;
    expect(read.ended).toBe(true);
    const final = read.events.at(-1)?.message;
    expect(final?.error).toMatchObject({ code: -32603, data: { type: "cancelled" } });
    // Once the pipeline has wound down, it made at most the model call already on the wire.
    await observed.settled();
    expect(world.openai.calls.length).toBeLessThanOrEqual(callsBeforeCancel + 1);
    expect((await session(sessionId)).status).toBe("cancelled");
    const again = await (
      await fetch(`${server.url}/mcp/streaming/sessions/${sessionId}/cancel`, { method: "POST" })
    ).json();
    expect(again.cancelled).toBe(false);
  });

  it("auto_confirm false waits with the outline, then /confirm approves an edited outline", async () => {
    const response = await postJson(`${server.url}/mcp/streaming/orchestrator`, {
      task: "Open-source LLM releases",
      auto_confirm: false,
      kwargs: { max_iterations: 1 },
    });
    const sessionId = response.headers.get("x-session-id") ?? "";
    const reading = followSse(response);
    await reading.until(() => reading.events.some((event) => statusOf(event) === "awaiting_confirmation"));
    const callsWhileWaiting = world.openai.calls.length;
    const waiting = await session(sessionId);
    expect(waiting.status).toBe("awaiting_confirmation");
    const announcement = reading.events.find((event) => statusOf(event) === "awaiting_confirmation");
    const outline = announcement?.message.params.data.msg.details.outline;
    expect(outline.sections.length).toBeGreaterThan(1);
    // The run is parked on the decision: nothing is spent meanwhile.
    expect(world.openai.calls.length).toBe(callsWhileWaiting);
    const edited = {
      ...outline,
      sections: outline.sections
        .slice(0, 2)
        .map((section: { name: string }, index: number) =>
          index === 0 ? { ...section, name: "Renamed by a person" } : section,
        ),
    };
    const accepted = await postJson(`${server.url}/mcp/streaming/sessions/${sessionId}/confirm`, {
      approve: true,
      outline: edited,
    });
    expect(accepted.status).toBe(200);
    const read = await reading.done;
    const structured = read.events.at(-1)?.message.result.structuredContent;
    expect(structured.sections.map((section: { name: string }) => section.name)).toContain("Renamed by a person");
    expect(structured.sections).toHaveLength(2);
  });

  it("/confirm with approve false rejects the outline and ends the run cancelled", async () => {
    const response = await postJson(`${server.url}/mcp/streaming/orchestrator`, {
      task: "Robotics funding",
      auto_confirm: false,
    });
    const sessionId = response.headers.get("x-session-id") ?? "";
    const reading = followSse(response);
    await reading.until(() => reading.events.some((event) => statusOf(event) === "awaiting_confirmation"));
    const rejected = await postJson(`${server.url}/mcp/streaming/sessions/${sessionId}/confirm`, {
      approve: false,
      feedback: "Focus on Europe",
    });
    expect(rejected.status).toBe(200);
    const read = await reading.done;
    expect(read.events.at(-1)?.message.error.data.type).toBe("cancelled");
    expect((await session(sessionId)).status).toBe("cancelled");
  });
});
