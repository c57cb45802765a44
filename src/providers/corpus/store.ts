import { createHash, randomUUID } from "node:crypto";
import { promises as fs } from "node:fs";
import path from "node:path";
import { z } from "zod";

/**
 * Bump when the parsing, chunking, tokenizer or stored fields change: older indexes are rebuilt.
 * 2: Markdown entities, footnotes and reference links cleaned; very long paragraphs no longer
 * skipped (a file skipped by an older version is otherwise never re-read while unchanged).
 */
export const INDEX_FORMAT_VERSION = 2;

const manifestEntrySchema = z.object({
  size: z.number(),
  mtimeMs: z.number(),
  hash: z.string(),
  title: z.string(),
  date: z.string().nullable(),
  chunks: z.number().int().nonnegative(),
  /** Set when the file was skipped; then `chunks` is 0. */
  skipped: z.string().nullish(),
  /** Set when the document opted out (`index: false`); not a warning. */
  excluded: z.boolean().nullish(),
});
const manifestSchema = z.object({
  version: z.literal(INDEX_FORMAT_VERSION),
  folder: z.string(),
  files: z.record(z.string(), manifestEntrySchema),
});

export type ManifestEntry = z.infer<typeof manifestEntrySchema>;
export type Manifest = z.infer<typeof manifestSchema>;

/** Where one folder's index lives: `<home>/indexes/<sha256(folder) prefix>/`. */
export function indexDirectory(home: string, folder: string): string {
  const key = createHash("sha256").update(path.resolve(folder)).digest("hex").slice(0, 16);
  return path.join(home, "indexes", key);
}

/** Reads the manifest; null when absent, unreadable or from another format version (→ rebuild). */
export async function readManifest(directory: string, folder: string): Promise<Manifest | null> {
  try {
    const parsed = manifestSchema.safeParse(
      JSON.parse(await fs.readFile(path.join(directory, "manifest.json"), "utf8")),
    );
    return parsed.success && parsed.data.folder === folder ? parsed.data : null;
  } catch {
    return null;
  }
}

/** Reads the serialized MiniSearch index text, or null when missing. */
export async function readIndexText(directory: string): Promise<string | null> {
  try {
    return await fs.readFile(path.join(directory, "index.json"), "utf8");
  } catch {
    return null;
  }
}

/** Writes a file atomically (temp file + rename) so a crash never leaves half an index. */
async function writeAtomic(filePath: string, text: string): Promise<void> {
  // Unique per write, not just per process and millisecond: two writes may overlap in one process.
  const temporary = `${filePath}.${process.pid}.${randomUUID()}.tmp`;
  await fs.writeFile(temporary, text, "utf8");
  await fs.rename(temporary, filePath);
}

/** Persists the manifest and, when given, the index (index first, so the manifest never points ahead of it). */
export async function writeIndexFiles(options: {
  directory: string;
  manifest: Manifest;
  indexText?: string;
}): Promise<void> {
  await fs.mkdir(options.directory, { recursive: true });
  if (options.indexText !== undefined) await writeAtomic(path.join(options.directory, "index.json"), options.indexText);
  await writeAtomic(path.join(options.directory, "manifest.json"), JSON.stringify(options.manifest));
}

/** Content hash of a file's bytes. */
export function hashBytes(bytes: Uint8Array): string {
  return createHash("sha1").update(bytes).digest("hex");
}
