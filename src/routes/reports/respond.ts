// A report file as an HTTP answer: CSV, JSON or PDF with a file name, never cached by a shared cache.
import { CONTENT_TYPES } from "../../domain/report-files";
import type { ReportFormat } from "../../domain/reports";

export function fileResponse(bytes: Uint8Array | ReadableStream, format: ReportFormat, name: string, size?: number): Response {
  const headers: Record<string, string> = {
    "content-type": CONTENT_TYPES[format],
    "content-disposition": `${format === "json" ? "inline" : "attachment"}; filename="${name}.${format}"`,
    "cache-control": "private, no-store",
    "x-content-type-options": "nosniff",
  };
  if (size !== undefined) headers["content-length"] = String(size);
  return new Response(bytes, { status: 200, headers });
}

/** CSV when asked by `?format=csv` or `Accept: text/csv` (before JSON), else JSON. */
export function wantsCsv(format: string | undefined, accept: string | undefined): boolean {
  if (format) return format === "csv";
  return /\btext\/csv\b/i.test(accept ?? "");
}
