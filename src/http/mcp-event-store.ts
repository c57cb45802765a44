import type { EventId, EventStore, StreamId } from "@modelcontextprotocol/sdk/server/webStandardStreamableHttp.js";
import type { JSONRPCMessage } from "@modelcontextprotocol/sdk/types.js";

type StoredEvent = { id: EventId; streamId: StreamId; message: JSONRPCMessage };

/**
 * Bounded in-memory event store for one MCP Streamable HTTP session: lets a client that lost
 * its stream resume after its `Last-Event-ID`. Keeps the newest `maxEvents` events.
 */
export class MemoryEventStore implements EventStore {
  readonly #events: StoredEvent[] = [];
  readonly #maxEvents: number;
  #counter = 0;

  constructor(options: { maxEvents?: number } = {}) {
    this.#maxEvents = options.maxEvents ?? 2000;
  }

  async storeEvent(streamId: StreamId, message: JSONRPCMessage): Promise<EventId> {
    this.#counter += 1;
    const id = `${streamId}_${this.#counter}`;
    this.#events.push({ id, streamId, message });
    if (this.#events.length > this.#maxEvents) this.#events.splice(0, this.#events.length - this.#maxEvents);
    return id;
  }

  async getStreamIdForEventId(eventId: EventId): Promise<StreamId | undefined> {
    return this.#events.find((event) => event.id === eventId)?.streamId;
  }

  async replayEventsAfter(
    lastEventId: EventId,
    { send }: { send: (eventId: EventId, message: JSONRPCMessage) => Promise<void> },
  ): Promise<StreamId> {
    const index = this.#events.findIndex((event) => event.id === lastEventId);
    if (index < 0) return "";
    const streamId = this.#events[index]?.streamId ?? "";
    for (const event of this.#events.slice(index + 1)) {
      if (event.streamId === streamId) await send(event.id, event.message);
    }
    return streamId;
  }
}
