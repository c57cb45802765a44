import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { serveHttp, type HttpServerHandle } from "../../src/http/serve.js";
import { startResearchWorld, type ResearchWorld } from "../fakes/research-world.js";
import { postJson, readSse } from "./sse-client.js";

let world: ResearchWorld;
let home: string;
let server: HttpServerHandle;

beforeAll(async () => {
  world = await startResearchWorld({ sections: 2 });
  // Every model call hangs: only the whole-run limit can end the run.
  world.openai.setResponder(() => ({ hang: true }));
  home = await mkdtemp(path.join(os.tmpdir(), "report-mcp-http-deadline-"));
  server = await serveHttp({ settings: { ...world.settings(home), timeoutMs: 300 }, port: 0 });
});

afterAll(async () => {
  await server?.close();
  await world?.close();
  await rm(home, { recursive: true, force: true });
});

describe("the whole-run deadline over HTTP", () => {
  it("ends a run whose model never answers with a typed error naming the limit and how to raise it", async () => {
    const read = await readSse(
      await postJson(`${server.url}/mcp/streaming/orchestrator`, { task: "A run that hangs" }),
    );
    expect(read.ended).toBe(true);
    const final = read.events.at(-1)?.message;
    expect(final?.error.data.type).toBe("report_generation_failed");
    expect(final?.error.data.message).toContain("did not finish within the time limit");
    // HTTP advice: a body field and the server's own setting, never a CLI flag.
    expect(final?.error.data.message).toContain("max_iterations in the request body");
    expect(final?.error.data.message).toContain("REPORT_MCP_TIMEOUT");
    expect(final?.error.data.message).not.toContain("--");
    const session = await (
      await fetch(`${server.url}/mcp/streaming/sessions/${read.events[0]?.message.params.session_id}`)
    ).json();
    expect(session.status).toBe("failed");
  });
});
