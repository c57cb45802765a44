import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { settingsSchema } from "../../src/app/settings.js";
import { serveHttp, type HttpServerHandle } from "../../src/http/serve.js";
import { createScriptedRuntime, type ScriptedRuntime } from "../http/fake-runtime.js";
import { postJson, readSse, type SseEvent } from "../http/sse-client.js";
import { startCluster, type ScaleCluster } from "./cluster.js";
import { findRedisServer, startRedisServer, type RedisServer } from "./redis-server.js";

const binary = findRedisServer();
const statusOf = (event: SseEvent): string | undefined => event.message.params?.data?.msg?.status;
const ids = (events: SseEvent[]): number[] => events.map((event) => Number(event.id));
const range = (from: number, to: number): number[] => Array.from({ length: to - from + 1 }, (_, index) => from + index);

describe.skipIf(!binary)("serve --redis: any replica serves any session", () => {
  let redis: RedisServer;
  let runtime: ScriptedRuntime;
  let cluster: ScaleCluster;
  let a: string;
  let b: string;

  beforeAll(async () => {
    redis = await startRedisServer({ binary: binary ?? "" });
    runtime = createScriptedRuntime({ gated: true });
    cluster = await startCluster({ redisUrl: redis.url, runtime, frontEnds: 2, workers: 1 });
    [a, b] = cluster.frontEnds.map((frontEnd) => frontEnd.url) as [string, string];
  }, 60_000);

  afterAll(async () => {
    await cluster?.close();
    await redis?.close();
  });

  it("a run started on replica A streams from replica B and resumes on A with Last-Event-ID: no gap, no duplicate", async () => {
    const task = "Cross-replica stream";
    const first = await readSse(await postJson(`${a}/mcp/streaming/orchestrator`, { task }), {
      stopAfter: (event) => statusOf(event) === "searching",
    });
    expect(first.status).toBe(200);
    expect(first.ended).toBe(false);
    const sessionId: string = first.events[0]?.message.params.session_id;
    const lastOnA = Number(first.events.at(-1)?.id);
    expect(ids(first.events)).toEqual(range(1, lastOnA));

    const onB = await (await fetch(`${b}/mcp/streaming/sessions/${sessionId}`)).json();
    expect(onB).toMatchObject({
      session_id: sessionId,
      status: "running",
      task,
      current_status: "searching",
      last_event_id: lastOnA,
    });
    const listed = await (await fetch(`${b}/mcp/streaming/sessions`)).json();
    expect(listed.sessions.map((session: { session_id: string }) => session.session_id)).toContain(sessionId);

    // Replica B replays from id 2 and then waits live at the gate.
    const fromB = await readSse(
      await fetch(`${b}/mcp/streaming/sessions/${sessionId}/events`, { headers: { "Last-Event-ID": "2" } }),
      {
        stopAfter: (event) => Number(event.id) === lastOnA,
      },
    );
    expect(ids(fromB.events)).toEqual(range(3, lastOnA));
    expect(fromB.events.map((event) => event.message)).toEqual(first.events.slice(2).map((event) => event.message));

    // Back on A: resume after the last id A sent; the run finishes meanwhile.
    const resumed = fetch(`${a}/mcp/streaming/sessions/${sessionId}/events`, {
      headers: { "Last-Event-ID": String(lastOnA) },
    }).then((response) => readSse(response));
    runtime.release(task);
    const rest = await resumed;
    expect(rest.ended).toBe(true);
    const all = [...first.events, ...rest.events];
    expect(ids(all)).toEqual(range(1, all.length));
    expect(all.at(-1)?.message.result.structuredContent.status).toBe("completed");

    const viewA = await (await fetch(`${a}/mcp/streaming/sessions/${sessionId}`)).json();
    const viewB = await (await fetch(`${b}/mcp/streaming/sessions/${sessionId}`)).json();
    expect(viewB).toEqual(viewA);
    expect(viewA.status).toBe("completed");
    expect(viewA.messages).toEqual(all.map((event) => event.message));
    expect(viewA.sections.map((section: { name: string }) => section.name)).toEqual(["Funding", "Launches"]);
    // The whole log is there for anyone who comes late, on either replica; an ended session that was read in full answers 204.
    const replay = await readSse(await fetch(`${b}/mcp/streaming/sessions/${sessionId}/events`));
    expect(replay.events.map((event) => event.message)).toEqual(all.map((event) => event.message));
    expect(
      (
        await fetch(`${a}/mcp/streaming/sessions/${sessionId}/events`, {
          headers: { "Last-Event-ID": String(all.length) },
        })
      ).status,
    ).toBe(204);
  });

  it("the non-streaming endpoint on B answers with the final message of a run a worker ran", async () => {
    runtime.release("Non-streaming");
    const response = await fetch(`${b}/mcp/orchestrator`, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ task: "Non-streaming", id: 7 }),
    });
    expect(response.status).toBe(200);
    const message = await response.json();
    expect(message).toMatchObject({
      jsonrpc: "2.0",
      id: 7,
      result: { isError: false, structuredContent: { status: "completed", task: "Non-streaming" } },
    });
  });

  it("MCP on two replicas: start_report on A, get_report and the report:// resource on B", async () => {
    const connect = async (url: string): Promise<Client> => {
      const client = new Client({ name: "scale-test", version: "1.0.0" });
      await client.connect(new StreamableHTTPClientTransport(new URL(`${url}/mcp`)));
      return client;
    };
    const onA = await connect(a);
    const onB = await connect(b);
    try {
      const task = "MCP across replicas";
      const started = await onA.callTool({ name: "start_report", arguments: { task } });
      const reportId = (started.structuredContent as { report_id: string }).report_id;
      const running = await onB.callTool({ name: "get_report", arguments: { report_id: reportId, wait_seconds: 0 } });
      expect(running.structuredContent).toMatchObject({ report_id: reportId, status: "running" });
      runtime.release(task);
      const finished = await onB.callTool({ name: "get_report", arguments: { report_id: reportId, wait_seconds: 30 } });
      expect(finished.structuredContent).toMatchObject({ report_id: reportId, status: "completed" });
      const resource = await onB.readResource({ uri: `report://${reportId}` });
      expect(resource.contents[0]).toMatchObject({
        mimeType: "text/markdown",
        text: expect.stringContaining("# AI Agent weekly"),
      });
      const listed = await onA.listResources();
      expect(listed.resources.map((entry) => entry.uri)).toContain(`report://${reportId}`);
      const unknown = await onB.callTool({
        name: "get_report",
        arguments: { report_id: "no-such-report", wait_seconds: 0 },
      });
      expect(unknown.isError).toBe(true);
    } finally {
      await onA.close();
      await onB.close();
    }
  });

  it("an unknown session is a 404 on every replica", async () => {
    for (const url of [a, b]) {
      const response = await fetch(`${url}/mcp/streaming/sessions/does-not-exist/events`);
      expect(response.status).toBe(404);
      expect((await response.json()).error.data.type).toBe("session_not_found");
    }
  });
});

describe.skipIf(!binary)("serve --redis with in-process workers (the default)", () => {
  let redis: RedisServer;
  let home: string;
  let server: HttpServerHandle;
  const lines: string[] = [];

  beforeAll(async () => {
    redis = await startRedisServer({ binary: binary ?? "" });
    home = await mkdtemp(path.join(os.tmpdir(), "report-mcp-scale-inproc-"));
    server = await serveHttp({
      settings: settingsSchema.parse({ home }),
      port: 0,
      runtime: createScriptedRuntime(),
      redis: { url: redis.url, keyPrefix: "inproc" },
      log: (line) => lines.push(line),
    });
  }, 60_000);

  afterAll(async () => {
    await server?.close();
    await redis?.close();
    if (home) await rm(home, { recursive: true, force: true });
  });

  it("runs reports itself with no separate worker, and says where runs live", async () => {
    const read = await readSse(
      await postJson(`${server.url}/mcp/streaming/orchestrator`, { task: "In-process worker" }),
    );
    expect(ids(read.events)).toEqual(range(1, read.events.length));
    expect(read.events.at(-1)?.message.result.structuredContent.status).toBe("completed");
    expect(lines.join("\n")).toContain(`runs in Redis at ${redis.url}, running up to 4 report(s) here`);
  });
});
