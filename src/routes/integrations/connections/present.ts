import type { ConnectionRow } from "../../../storage/connections";
import { iso } from "../../common";

/** Never the ciphertext, never a secret: only the masks stored beside it. */
export const presentConnection = (row: ConnectionRow) => ({
  id: row.id,
  provider: row.provider,
  status: row.status,
  credentials: row.masked,
  settings: row.settings,
  keyVersion: row.keyVersion,
  createdAt: iso(row.createdAt),
  updatedAt: iso(row.updatedAt),
});
