// The benches' fake OpenAI-compatible model: a plausible answer to each pipeline step (recognised
// by the role its system prompt states) and the wire format of a chat completion, streamed or not.

/** The answer to one chat request of a report with `sections` sections. */
export function fakeReply(body, sections) {
  const system = body.messages[0]?.content ?? "";
  const user = body.messages
    .filter((message) => message.role === "user")
    .map((message) => message.content)
    .join("\n");
  if (system.includes("intent analyst"))
    return JSON.stringify({ task_type: "research_report", topic: "solid-state batteries", key_terms: ["electrolyte"] });
  if (system.includes("outline planner")) {
    return JSON.stringify({
      title: "Solid-state batteries",
      sections: Array.from({ length: sections }, (_, index) => ({
        name: `Theme ${index + 1}`,
        goal: "explain",
        queries: [`theme ${index + 1}`],
      })),
    });
  }
  if (system.includes("quality assessor")) {
    return JSON.stringify({
      relevance: 8,
      depth: 8,
      accuracy: 8,
      completeness: 8,
      timeliness: 8,
      gaps: [],
      supplementary_queries: [],
    });
  }
  // Sections and the summary restate their evidence (the citation check drops sentences their source does not state).
  const cited = [...user.matchAll(/^\[(\d+)\] [^\n]*\n([^\n]+)/gm)]
    .slice(0, 3)
    .map((match) => `${match[2].trim().replace(/[.。]$/, "")} [${match[1]}].`);
  if (cited.length > 0) return cited.join(" ");
  const summary = [...user.matchAll(/[^.\n]*\[\d+\]\./g)].slice(0, 3).map((match) => `- ${match[0].trim()}`);
  return summary.join("\n") || "- A finding.";
}

/** Sends `content` as a chat completion (SSE chunks with a usage chunk when `body.stream`). */
export function sendChatCompletion(response, body, content) {
  const usage = { prompt_tokens: 500, completion_tokens: 200, total_tokens: 700 };
  if (body.stream) {
    response.writeHead(200, { "content-type": "text/event-stream" });
    const base = { id: "x", object: "chat.completion.chunk", created: 0, model: body.model };
    response.write(
      `data: ${JSON.stringify({ ...base, choices: [{ index: 0, delta: { role: "assistant", content }, finish_reason: "stop" }] })}\n\n`,
    );
    response.write(`data: ${JSON.stringify({ ...base, choices: [], usage })}\n\n`);
    response.end("data: [DONE]\n\n");
    return;
  }
  response.writeHead(200, { "content-type": "application/json" });
  response.end(
    JSON.stringify({
      id: "x",
      object: "chat.completion",
      created: 0,
      model: body.model,
      choices: [{ index: 0, message: { role: "assistant", content }, finish_reason: "stop" }],
      usage,
    }),
  );
}
