// Dates, times and money for people, through Intl (the browser's locale and time zone unless told).
const dateTime = new Intl.DateTimeFormat(undefined, { dateStyle: "medium", timeStyle: "short" });
const relative = new Intl.RelativeTimeFormat(undefined, { numeric: "auto" });
const UNITS: [Intl.RelativeTimeFormatUnit, number][] = [
  ["day", 86_400],
  ["hour", 3_600],
  ["minute", 60],
  ["second", 1],
];

export const when = (iso: string | null | undefined) => (iso ? dateTime.format(new Date(iso)) : "—");

/** "3 minutes ago", "in 2 hours". */
export function ago(iso: string | number | null | undefined, now = Date.now()) {
  if (iso === null || iso === undefined) return "never";
  const seconds = Math.round(((typeof iso === "number" ? iso : Date.parse(iso)) - now) / 1000);
  const [unit, size] = UNITS.find(([, s]) => Math.abs(seconds) >= s) ?? ["second", 1];
  return relative.format(Math.round(seconds / size), unit);
}

export const money = (cents: number, currency = "USD") =>
  new Intl.NumberFormat(undefined, { style: "currency", currency }).format(cents / 100);
export const percent = (share: number | null) =>
  share === null ? "—" : new Intl.NumberFormat(undefined, { style: "percent", maximumFractionDigits: 1 }).format(share);
export const duration = (seconds: number) =>
  seconds >= 3600
    ? `${Math.floor(seconds / 3600)} h ${Math.floor((seconds % 3600) / 60)} min`
    : `${Math.floor(seconds / 60)} min`;

/** An <input type="datetime-local"> value (local wall time) as an ISO instant, or undefined when empty. */
export const localInputToIso = (v: string) => (v ? new Date(v).toISOString() : undefined);
/** An instant as an <input type="datetime-local"> value in this browser's time zone. */
export function isoToLocalInput(ms: number) {
  const d = new Date(ms - new Date(ms).getTimezoneOffset() * 60_000);
  return d.toISOString().slice(0, 16);
}

const bytesFormat = new Intl.NumberFormat(undefined);
/** "2.2 KB (2,245 bytes)": the rounded size to read, the exact count to compare with a copy. */
export function size(bytes: number | null) {
  if (bytes === null) return "—";
  const exact = `${bytesFormat.format(bytes)} bytes`;
  if (bytes < 1024) return exact;
  const [value, unit] = bytes < 1024 * 1024 ? [bytes / 1024, "KB"] : [bytes / (1024 * 1024), "MB"];
  return `${value.toFixed(1)} ${unit} (${exact})`;
}
