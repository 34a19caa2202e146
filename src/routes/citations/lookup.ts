// What the citation routes read first: the tenant's citation (404 for an id of another tenant, exactly
// as for one that does not exist) and, for the detail, its evidence and history.
import type { Bindings } from "../../env";
import { ApiError } from "../../http/problem";
import { type CitationRow, citationById, transitionsOf } from "../../storage/citations";
import { db } from "../../storage/db";
import { evidenceOf } from "../../storage/evidence";
import { presentCitationDetail } from "./present";

export async function requireCitation(env: Bindings, tenantId: string, id: string): Promise<CitationRow> {
  const row = await citationById(db(env.DB), tenantId, id);
  if (!row) throw new ApiError(404, "Citation not found");
  return row;
}

export async function citationDetail(env: Bindings, row: CitationRow) {
  const database = db(env.DB);
  const [evidence, transitions] = await Promise.all([
    evidenceOf(database, { tenantId: row.tenantId, kind: "citation", id: row.id }),
    transitionsOf(database, row.tenantId, row.id),
  ]);
  return presentCitationDetail(row, evidence, transitions);
}
