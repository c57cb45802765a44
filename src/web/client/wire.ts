import type { seedErrorMessage, seedEventMessage, seedResultMessage } from "../../core/events/seed-messages.js";
import type { Outline } from "../../core/author.js";
import type { JobStatus } from "../../core/jobs/types.js";

/**
 * What the page reads from the server: the messages of the SSE API (built by
 * core/events/seed-messages.ts, so the page is typed against what the server sends) and the
 * session API's JSON.
 */

export type SessionStartedMessage = {
  jsonrpc: "2.0";
  method: "session/started";
  params: { session_id: string; task: string; timestamp: string };
};
export type EventMessage = ReturnType<typeof seedEventMessage>;
export type ResultMessage = ReturnType<typeof seedResultMessage>;
export type ErrorMessage = ReturnType<typeof seedErrorMessage>;

/** One message of a session's stream (SPEC §5, §6). */
export type StreamMessage = SessionStartedMessage | EventMessage | ResultMessage | ErrorMessage;

/** `GET /mcp/streaming/sessions/{id}` (the fields the page uses). */
export type SessionView = {
  session_id: string;
  status: JobStatus;
  progress: number;
  last_event_id: number;
  outline: Outline | null;
  messages: StreamMessage[];
};

/** `GET /mcp/streaming/sessions` (the fields the page uses). */
export type SessionList = {
  sessions: Array<{ session_id: string; task: string; title?: string | null; status: JobStatus; start_time: string }>;
};

/** A JSON-RPC error body of a refused request. */
export type ErrorBody = { error?: { message?: string; data?: { message?: string } } };
