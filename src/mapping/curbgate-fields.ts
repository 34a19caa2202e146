// Curbgate's own records as field mappings see them: one list of fields per entity, named as the
// v1 API presents them (money in integer cents, instants as ISO 8601 UTC). Every connector maps its
// provider's fields to or from one of these, so this is the one place they are defined.
import type { ActiveSessionRecord, FieldDefinition } from "./types";

const f = (
  name: string,
  type: FieldDefinition["type"],
  description: string,
  extra: Partial<FieldDefinition> = {},
): FieldDefinition => ({ name, type, description, ...extra });
// `required` on a Curbgate field means an inbound mapping must fill it. Ids are never required: Curbgate
// assigns its own to what comes in.
const id = (what: string) => f("id", "string", `Curbgate's ${what} id`);
const plate = f("plate", "string", "Licence plate, normalised: upper-case letters and digits", { required: true });
const state = f("state", "string", "Issuing state or province, e.g. CT; may be null");
const zone = f("zone", "string", "Zone code, e.g. A1");

export const CURBGATE_FIELDS: Readonly<Record<string, readonly FieldDefinition[]>> = {
  session: [
    id("session"),
    { ...zone, required: true },
    plate,
    state,
    f("status", "string", "active, ended or expired", { required: true }),
    f("startTime", "datetime", "When the paid time starts", { required: true, aliases: ["startAt", "start"] }),
    f("endTime", "datetime", "When the paid time ends", { required: true, aliases: ["endAt", "end"] }),
    f("amountCents", "money", "Price of the session", { required: true }),
    f("paidCents", "money", "Confirmed by the payment provider so far"),
    f("currency", "string", "ISO 4217, upper case"),
  ],
  payment: [
    id("payment"),
    f("transactionId", "string", "The provider's id of the charge", { required: true }),
    f("sessionId", "string", "The parking session paid for"),
    f("amountCents", "money", "Amount charged", { required: true }),
    f("feeCents", "money", "Processing fee"),
    f("netCents", "money", "Amount less fee"),
    f("refundedCents", "money", "Refunded so far"),
    f("currency", "string", "ISO 4217, upper case", { required: true }),
    f("status", "string", "pending, succeeded, failed, refunded or partially_refunded", { required: true }),
    f("createdAt", "datetime", "When the charge was made"),
  ],
  refund: [
    id("refund"),
    f("transactionId", "string", "The provider's id of the refunded charge", { required: true }),
    f("amountCents", "money", "Amount refunded", { required: true }),
    f("reason", "string", "Why, e.g. requested_by_customer"),
    f("status", "string", "pending, succeeded or failed"),
    f("createdAt", "datetime", "When the refund was made"),
  ],
  permit: [
    id("permit"),
    plate,
    state,
    f("type", "string", "RESIDENTIAL, BUSINESS or VISITOR", { required: true }),
    f("number", "string", "The permit number printed on it", { required: true }),
    f("zones", "list", "Zone codes it is valid in", { required: true }),
    f("validFrom", "datetime", "Start of validity", { required: true }),
    f("validUntil", "datetime", "End of validity", { required: true }),
    f("status", "string", "active or revoked"),
  ],
  violation: [
    id("violation"),
    plate,
    state,
    { ...zone, required: true },
    f("type", "string", "What was observed, e.g. EXPIRED_METER", { required: true }),
    f("observedAt", "datetime", "When the officer or camera saw it", { required: true }),
    f("officerId", "string", "Badge or device id"),
    f("location", "string", "Street address or block face"),
  ],
  citation: [
    id("citation"),
    plate,
    state,
    zone,
    f("number", "string", "Citation number", { required: true }),
    f("violationCode", "string", "The city's violation code", { required: true }),
    f("fineCents", "money", "Fine", { required: true }),
    f("status", "string", "issued, paid, voided or appealed", { required: true }),
    f("issuedAt", "datetime", "When it was issued", { required: true }),
    f("officerId", "string", "Issuing officer"),
  ],
  contact: [
    id("contact"),
    f("email", "string", "Email address"),
    f("phone", "string", "E.164 phone number"),
    f("firstName", "string", "Given name"),
    f("lastName", "string", "Family name"),
    f("plate", "string", "A plate the driver registered"),
  ],
  message: [
    f("to", "string", "E.164 number for SMS, an address for email", { required: true }),
    f("from", "string", "Sending number or address"),
    f("subject", "string", "Email subject"),
    f("text", "string", "The message", { required: true }),
  ],
  invoice: [
    id("invoice"),
    f("number", "string", "Invoice number", { required: true }),
    f("customerEmail", "string", "Who is billed"),
    f("amountCents", "money", "Total", { required: true }),
    f("currency", "string", "ISO 4217, upper case", { required: true }),
    f("status", "string", "draft, open, paid or void"),
    f("issuedAt", "datetime", "Invoice date"),
    f("dueAt", "datetime", "Due date"),
  ],
  meter: [
    id("meter"),
    { ...zone, required: true },
    f("rateCentsPerHour", "money", "Hourly rate", { required: true }),
    f("maxStayMinutes", "number", "Longest paid stay"),
    f("graceMinutes", "number", "Grace period after expiry"),
    f("status", "string", "online, offline or fault"),
  ],
  reconciliation: [
    f("date", "string", "The local business day, YYYY-MM-DD", { required: true }),
    f("transactions", "number", "Payments that day", { required: true }),
    f("totalCents", "money", "Gross", { required: true }),
    f("feeCents", "money", "Fees"),
    f("netCents", "money", "Gross less fees", { required: true }),
  ],
};

export const curbgateFields = (entity: string): readonly FieldDefinition[] | undefined =>
  Object.hasOwn(CURBGATE_FIELDS, entity) ? CURBGATE_FIELDS[entity] : undefined;

/** An active session as a `session` record, the source of outbound session mappings. */
export const sessionRecord = (s: ActiveSessionRecord): Record<string, unknown> => ({
  id: s.id,
  zone: s.zone,
  plate: s.plate,
  state: s.state,
  status: "active",
  startTime: new Date(s.startAt).toISOString(),
  endTime: new Date(s.endAt).toISOString(),
  amountCents: s.amountCents,
  paidCents: s.paidCents,
  currency: "USD",
});
