// A report table as a file: CSV (papaparse, which quotes what needs quoting), JSON, or PDF (pdf-lib,
// which runs in Workers with its standard fonts, no file system). Money stays integer minor units in CSV
// and JSON, so a file parsed back equals the table to the cent; the PDF, for people, prints it with the
// currency's decimals (src/domain/money.ts formatMinorUnits).
import Papa from "papaparse";
import { PDFDocument, StandardFonts, rgb } from "pdf-lib";
import { formatMinorUnits, isCurrency } from "./money";
import type { Cell, Column, ReportFormat, ReportTable, Row } from "./reports";

export const CONTENT_TYPES: Record<ReportFormat, string> = {
  csv: "text/csv; charset=utf-8",
  json: "application/json",
  pdf: "application/pdf",
};

/** CSV of `rows` under `columns` (keys as headers); null is an empty field. */
export function toCsv(columns: Pick<Column, "key">[], rows: Row[]): string {
  return Papa.unparse(
    { fields: columns.map((c) => c.key), data: rows.map((r) => columns.map((c) => r[c.key] ?? null)) },
    { newline: "\r\n" },
  );
}

export async function renderReport(table: ReportTable, format: ReportFormat): Promise<Uint8Array> {
  if (format === "csv") return new TextEncoder().encode(toCsv(table.columns, table.rows));
  if (format === "json") return new TextEncoder().encode(JSON.stringify(table));
  return toPdf(table);
}

const text = (c: Column, v: Cell, currency: Cell) => {
  if (v === null || v === undefined) return "";
  if (c.kind === "minor" && typeof v === "number" && typeof currency === "string" && isCurrency(currency))
    return formatMinorUnits(v, currency);
  return String(v);
};

/** One page per 40 lines, landscape Letter, a header line and the table in Helvetica. */
export async function toPdf(table: ReportTable): Promise<Uint8Array> {
  const doc = await PDFDocument.create();
  doc.setTitle(`${table.title} ${table.range.from}`);
  doc.setProducer("Curbgate");
  doc.setCreationDate(new Date(0)); // the same table gives the same bytes
  doc.setModificationDate(new Date(0));
  const font = await doc.embedFont(StandardFonts.Helvetica);
  const bold = await doc.embedFont(StandardFonts.HelveticaBold);
  const [width, height] = [792, 612];
  const margin = 36;
  const colWidth = (width - 2 * margin) / table.columns.length;
  const perPage = 40;
  const range = table.range.from === table.range.to ? table.range.from : `${table.range.from} to ${table.range.to}`;
  const filters = Object.entries(table.filters)
    .map(([k, v]) => `${k}=${v}`)
    .join(", ");
  for (let start = 0; start === 0 || start < table.rows.length; start += perPage) {
    const page = doc.addPage([width, height]);
    let y = height - margin;
    page.drawText(table.title, { x: margin, y, size: 16, font: bold });
    y -= 20;
    page.drawText(`${range} (${table.timezone})${filters ? `, ${filters}` : ""}`, { x: margin, y, size: 10, font });
    y -= 24;
    table.columns.forEach((c, i) =>
      page.drawText(clip(c.label, 9, colWidth, bold), { x: margin + i * colWidth, y, size: 9, font: bold }),
    );
    y -= 4;
    page.drawLine({ start: { x: margin, y }, end: { x: width - margin, y }, thickness: 0.5, color: rgb(0.4, 0.4, 0.4) });
    y -= 12;
    for (const row of table.rows.slice(start, start + perPage)) {
      const f = row[table.columns[0]?.key ?? ""] === "TOTAL" ? bold : font;
      table.columns.forEach((c, i) =>
        page.drawText(clip(text(c, row[c.key] ?? null, row.currency ?? null), 9, colWidth, f), {
          x: margin + i * colWidth,
          y,
          size: 9,
          font: f,
        }),
      );
      y -= 12;
    }
    if (table.rows.length === 0) page.drawText("No records in this range.", { x: margin, y, size: 10, font });
  }
  return doc.save();
}

/** Cuts a cell so it fits its column (Helvetica is not monospaced, so by measured width). */
function clip(s: string, size: number, width: number, font: { widthOfTextAtSize(t: string, n: number): number }) {
  // The standard fonts encode WinAnsi only: anything else would throw, so it is replaced.
  let out = s.replace(/[^\x20-\x7e\xa0-\xff]/g, "?");
  while (out.length > 1 && font.widthOfTextAtSize(out, size) > width - 4) out = out.slice(0, -1);
  return out;
}
