import { afterEach, describe, expect, it } from "vitest";
import { ReportError } from "../../src/core/errors.js";
import { createOpenAICompatibleModel } from "../../src/providers/llm/index.js";
import { type FakeOpenAI, startFakeOpenAI } from "../fakes/openai-server.js";

const NGINX_502 =
  "<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n<center><h1>502 Bad Gateway</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n";

let fake: FakeOpenAI | undefined;
afterEach(async () => {
  await fake?.close();
  fake = undefined;
});

describe("a model API answering with an HTML error page", () => {
  it("names the page's title in the error instead of quoting its markup", async () => {
    fake = await startFakeOpenAI({ responder: () => ({ status: 502, body: NGINX_502 }) });
    const model = createOpenAICompatibleModel({
      provider: "openai",
      baseUrl: fake.url,
      apiKey: "sk-test-key-123456",
      retryBaseDelayMs: 1,
      maxRetries: 1,
    });
    const error = await model
      .generateText({
        messages: [{ role: "user", content: "Write." }],
        signal: new AbortController().signal,
        onUsage: () => {},
      })
      .then(
        () => null,
        (caught: unknown) => caught,
      );
    expect(error).toBeInstanceOf(ReportError);
    const message = (error as ReportError).message;
    expect(message).toContain('HTTP 502 (2 attempts): an HTML page "502 Bad Gateway" instead of an API reply.');
    expect(message).not.toContain("<");
  });
});
