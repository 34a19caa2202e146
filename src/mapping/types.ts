// What a field mapping is made of: the fields of a record on either side, the rows that map one to the
// other, and how a vendor's entity pairs with Curbgate's (docs/integrations.md, "Field mappings"). Owned
// here, below the connectors that declare them.

/** A live parking session as a connector may send it out; money in integer cents, times as UTC ms. */
export interface ActiveSessionRecord {
  id: string;
  zone: string;
  plate: string;
  state: string | null;
  startAt: number;
  endAt: number;
  amountCents: number;
  paidCents: number;
}

/**
 * One field of a record, on either side of a field mapping. `money` is integer cents; `number` any
 * number (a decimal amount in dollars, epoch seconds, a count); `datetime` an ISO 8601 instant;
 * `list` a list of strings. A dotted name ("metadata.curbgate_session") is a nested field.
 */
export interface FieldDefinition {
  name: string;
  type: "string" | "number" | "boolean" | "datetime" | "money" | "list";
  required?: boolean;
  description?: string;
  /** Names this field went by before (an older API version, a rename): heal follows them to it. */
  aliases?: string[];
}

/** One row of a field mapping: `from` names a field of the source record, `to` one of the target's. */
export interface FieldMapping {
  from: string;
  to: string;
  /** One of the closed set in src/mapping/transforms.ts; none copies the value as it is. */
  transform?: string;
}

/** How records of one provider entity relate to Curbgate's, for field mappings (docs/integrations.md). */
export interface EntityMapping {
  /** The Curbgate entity on the other side (src/mapping/curbgate-fields.ts). */
  curbgate: string;
  /** "outbound": Curbgate's record is the source and the provider's the target; "inbound": the reverse. */
  direction: "outbound" | "inbound";
  /** Named templates; "default" is what a tenant gets until it saves its own. */
  templates: { default: FieldMapping[]; [name: string]: FieldMapping[] };
}
