/**
 * Test fixtures for the corpus tests: a tiny, valid one-page PDF written from code
 * (Helvetica, ASCII text) with an Info dictionary carrying Title and CreationDate.
 */
export function makePdf(options: { lines: string[]; title?: string; creationDate?: string }): Buffer {
  const escape = (text: string) => text.replace(/[\\()]/g, (char) => `\\${char}`);
  const stream = [
    "BT",
    "/F1 12 Tf",
    "14 TL",
    "72 720 Td",
    ...options.lines.map((line) => `(${escape(line)}) Tj T*`),
    "ET",
  ].join("\n");
  const info: string[] = [];
  if (options.title) info.push(`/Title (${escape(options.title)})`);
  if (options.creationDate) info.push(`/CreationDate (${options.creationDate})`);
  const objects = [
    "<< /Type /Catalog /Pages 2 0 R >>",
    "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
    "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>",
    `<< /Length ${Buffer.byteLength(stream, "latin1")} >>\nstream\n${stream}\nendstream`,
    "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    `<< ${info.join(" ")} >>`,
  ];
  let body = "%PDF-1.4\n";
  const offsets: number[] = [];
  objects.forEach((object, index) => {
    offsets.push(Buffer.byteLength(body, "latin1"));
    body += `${index + 1} 0 obj\n${object}\nendobj\n`;
  });
  const xrefOffset = Buffer.byteLength(body, "latin1");
  body += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n`;
  for (const offset of offsets) body += `${String(offset).padStart(10, "0")} 00000 n \n`;
  body += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R /Info ${objects.length} 0 R >>\nstartxref\n${xrefOffset}\n%%EOF\n`;
  return Buffer.from(body, "latin1");
}
