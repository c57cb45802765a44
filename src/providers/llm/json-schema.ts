import { z } from "zod";
import type { JsonShape } from "./json-extract.js";

/** A zod schema as the model API sees it. */
export type ModelJsonSchema = {
  /** JSON Schema of what the model must produce (the zod schema's input side). */
  schema: Record<string, unknown>;
  /** Whether the schema fits OpenAI's strict structured-output subset. */
  strict: boolean;
  /** Top-level JSON type, for extraction. */
  shape: JsonShape;
};

const STRICT_UNSUPPORTED_KEYS = [
  "oneOf",
  "allOf",
  "not",
  "if",
  "then",
  "else",
  "patternProperties",
  "propertyNames",
  "dependentSchemas",
];

/**
 * Converts a zod schema with `z.toJSONSchema` (input side: what the model writes is what zod
 * parses). When every object lists all its properties as required, the schema is marked strict
 * and objects get `additionalProperties: false`, as OpenAI's strict mode asks.
 */
export function toModelJsonSchema(schema: z.ZodType): ModelJsonSchema {
  const converted = z.toJSONSchema(schema, { io: "input", unrepresentable: "any" }) as Record<string, unknown>;
  const { $schema: _dialect, ...rest } = converted;
  const jsonSchema: Record<string, unknown> = structuredClone(rest);
  const shape: JsonShape = jsonSchema.type === "object" ? "object" : jsonSchema.type === "array" ? "array" : "any";
  const strict = shape === "object" && isStrictCompatible(jsonSchema);
  if (strict) closeObjects(jsonSchema);
  return { schema: jsonSchema, strict, shape };
}

/** A JSON schema `name` as the API accepts it: [A-Za-z0-9_-], at most 64 characters. */
export function toSchemaName(name: string): string {
  const cleaned = name.replace(/[^A-Za-z0-9_-]+/g, "_").slice(0, 64);
  return cleaned === "" ? "result" : cleaned;
}

function isStrictCompatible(node: unknown): boolean {
  if (Array.isArray(node)) return node.every(isStrictCompatible);
  if (!isRecord(node)) return true;
  if (STRICT_UNSUPPORTED_KEYS.some((key) => key in node)) return false;
  if (node.type === "object") {
    const properties = node.properties;
    if (!isRecord(properties)) return false;
    if (node.additionalProperties !== undefined && node.additionalProperties !== false) return false;
    const required = Array.isArray(node.required) ? node.required : [];
    if (!Object.keys(properties).every((key) => required.includes(key))) return false;
  }
  return Object.values(node).every(isStrictCompatible);
}

function closeObjects(node: unknown): void {
  if (Array.isArray(node)) {
    node.forEach(closeObjects);
    return;
  }
  if (!isRecord(node)) return;
  if (node.type === "object" && node.additionalProperties === undefined) node.additionalProperties = false;
  Object.values(node).forEach(closeObjects);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
