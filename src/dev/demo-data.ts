// The demo tenant a new developer meets after `npm start` (and that tests build on). Stamford-like
// zones from the Stamford integration guide (docs/sources.md): A1 Downtown Main Street at $2.00/h,
// 08:00–18:00 Mon–Sat.
import { ROLE_SCOPES } from "../auth/principal";
import type { MeterReport } from "../domain/meters";
import type { PaymentRouting } from "../domain/money";
import type { Day, PermitType, ZoneRules } from "../domain/types";

const MON_SAT: Day[] = ["MON", "TUE", "WED", "THU", "FRI", "SAT"];
const ALL_DAYS: Day[] = [...MON_SAT, "SUN"];
const TZ = "America/New_York";

export const DEMO_TENANT = { id: "demo", name: "Demo City Parking", timezone: TZ };

export const DEMO_ZONES: (ZoneRules & { capacity: number })[] = [
  {
    code: "A1",
    name: "Downtown Main Street",
    timezone: TZ,
    capacity: 120,
    rateSlots: [{ days: MON_SAT, start: "08:00", end: "18:00", rateCentsPerHour: 200 }],
    enforcement: [{ days: MON_SAT, start: "08:00", end: "18:00" }],
    graceMinutes: 5,
    maxStayMinutes: 240,
    incrementMinutes: 15,
  },
  {
    code: "A2",
    name: "Atlantic Street",
    timezone: TZ,
    capacity: 80,
    rateSlots: [{ days: MON_SAT, start: "08:00", end: "18:00", rateCentsPerHour: 150 }],
    enforcement: [{ days: MON_SAT, start: "08:00", end: "18:00" }],
    graceMinutes: 5,
    maxStayMinutes: 120,
    incrementMinutes: 15,
  },
  {
    // Day and evening rates, as in the Parkeon/Flowbird meter configuration example.
    code: "B1",
    name: "Harbor Point",
    timezone: TZ,
    capacity: 200,
    rateSlots: [
      { days: ALL_DAYS, start: "08:00", end: "18:00", rateCentsPerHour: 200 },
      { days: ALL_DAYS, start: "18:00", end: "08:00", rateCentsPerHour: 100 },
    ],
    enforcement: [{ days: ALL_DAYS, start: "08:00", end: "22:00" }],
    graceMinutes: 10,
    maxStayMinutes: 720,
    incrementMinutes: 15,
  },
  {
    code: "B2",
    name: "Stamford Station Garage",
    timezone: TZ,
    capacity: 400,
    rateSlots: [
      { days: ["MON", "TUE", "WED", "THU", "FRI"], start: "06:00", end: "22:00", rateCentsPerHour: 300 },
      { days: ["SAT", "SUN"], start: "06:00", end: "22:00", rateCentsPerHour: 100 },
    ],
    enforcement: [{ days: ALL_DAYS, start: "06:00", end: "22:00" }],
    graceMinutes: 10,
    maxStayMinutes: 600,
    incrementMinutes: 30,
  },
];

export const DEMO_KEYS = [
  {
    id: "key_demo_officer",
    key: "cg_demo_officer",
    name: "Demo officer handheld",
    scopes: [...ROLE_SCOPES.officer],
  },
  { id: "key_demo_meters", key: "cg_demo_meters", name: "Demo Parkeon meter gateway", scopes: ["meters:read", "meters:write"] },
  { id: "key_demo_app", key: "cg_demo_app", name: "Demo driver app", scopes: ["sessions:read", "sessions:write", "zones:read"] },
];

export const DEMO_USERS = [
  { id: "usr_demo_admin", email: "admin@demo.test", password: "demo-admin-password", role: "tenant_admin" as const },
  { id: "usr_demo_viewer", email: "viewer@demo.test", password: "demo-viewer-password", role: "viewer" as const },
];

const DAY_MS = 86_400_000;
export const demoPermits = (now: number) => [
  {
    id: "prm_demoResidential00001",
    plate: "RES1234",
    state: "CT",
    type: "RESIDENTIAL" as PermitType,
    number: "RES-2026-001",
    zones: ["A1", "A2"],
    validFrom: now - 30 * DAY_MS,
    validUntil: now + 365 * DAY_MS,
  },
  {
    id: "prm_demoBusiness00000001",
    plate: "BIZ777",
    state: "CT",
    type: "BUSINESS" as PermitType,
    number: "BUS-2026-001",
    zones: ["B1", "B2"],
    validFrom: now - 30 * DAY_MS,
    validUntil: now + 180 * DAY_MS,
  },
  {
    id: "prm_demoVisitor000000001",
    plate: "VIS4242",
    state: "NY",
    type: "VISITOR" as PermitType,
    number: "VIS-2026-001",
    zones: ["A1"],
    validFrom: now - DAY_MS,
    validUntil: now + 7 * DAY_MS,
  },
];

const MIN = 60_000;
/** Live sessions relative to now: one running, one in grace, one expired, and a few elsewhere. */
export const demoSessions = (now: number) => [
  { zone: "A1", plate: "ABC123", state: "CT", startMs: now - 30 * MIN, minutes: 120 },
  { zone: "A1", plate: "GRC555", state: "CT", startMs: now - 62 * MIN, minutes: 60 },
  { zone: "A1", plate: "XYZ789", state: "CT", startMs: now - 150 * MIN, minutes: 60 },
  { zone: "A2", plate: "CTY4040", state: "CT", startMs: now - 10 * MIN, minutes: 90 },
  { zone: "B1", plate: "HBR100", state: "NY", startMs: now - 45 * MIN, minutes: 180 },
  { zone: "B2", plate: "TRN808", state: "CT", startMs: now - 120 * MIN, minutes: 480 },
];

/**
 * The demo city's violation codes (fines in cents). PKG-001 is the code and $25 fine of the AIMS citation
 * example in the Stamford guide (docs/sources.md); the others are typical of a city's parking schedule.
 * Unpaid meter tickets escalate after 30 days; safety violations sooner, with larger late fees.
 */
export const DEMO_VIOLATION_CODES = [
  { code: "PKG-001", name: "Expired meter", fineCents: 2500, escalateAfterDays: 30, lateFeeCents: 1500, active: true },
  {
    code: "PKG-002",
    name: "Overstay past the zone's maximum stay",
    fineCents: 3500,
    escalateAfterDays: 30,
    lateFeeCents: 2000,
    active: true,
  },
  {
    code: "PKG-003",
    name: "No valid permit in a permit zone",
    fineCents: 5000,
    escalateAfterDays: 30,
    lateFeeCents: 2500,
    active: true,
  },
  {
    code: "PKG-004",
    name: "Parked within 10 feet of a fire hydrant",
    fineCents: 10000,
    escalateAfterDays: 21,
    lateFeeCents: 5000,
    active: true,
  },
  { code: "PKG-005", name: "Parked in a bus stop", fineCents: 7500, escalateAfterDays: 21, lateFeeCents: 3500, active: true },
  { code: "PKG-006", name: "Double parking", fineCents: 4000, escalateAfterDays: 30, lateFeeCents: 2000, active: true },
  { code: "PKG-099", name: "Warning only (no fine)", fineCents: 0, escalateAfterDays: null, lateFeeCents: 0, active: true },
];

/** Parkeon meters on A1 and B1, registered two days ago; B1-002 has never reported, so it shows offline. */
export const DEMO_METERS = [
  { id: "METER-A1-001", zone: "A1", address: "100 Main Street, Stamford, CT", latitude: 41.0534, longitude: -73.5387 },
  { id: "METER-A1-002", zone: "A1", address: "140 Main Street, Stamford, CT", latitude: 41.0539, longitude: -73.5391 },
  { id: "METER-B1-001", zone: "B1", address: "1 Harbor Point Road, Stamford, CT", latitude: 41.0398, longitude: -73.5412 },
  { id: "METER-B1-002", zone: "B1", address: "25 Harbor Point Road, Stamford, CT", latitude: 41.0391, longitude: -73.5405 },
];
export const DEMO_METERS_REGISTERED_AGO_MS = 2 * DAY_MS;

const status = (s: Partial<MeterReport["status"]>, now: number): MeterReport["status"] => ({
  operational: true,
  spaceOccupied: true,
  timeRemainingSeconds: 3600,
  lastPayment: { amountCents: 200, durationMinutes: 60, atMs: now - 5 * MIN, method: "CREDIT_CARD" },
  batteryPercent: 85,
  signalDbm: -65,
  temperatureC: 22,
  lastMaintenanceAtMs: now - 30 * DAY_MS,
  ...s,
});

/** What the reporting meters said a few minutes ago: the guide's example, a low battery, a free space. */
export const demoMeterReports = (now: number): MeterReport[] => [
  { meterId: "METER-A1-001", zone: "A1", reportedAtMs: now - 2 * MIN, status: status({}, now) },
  { meterId: "METER-A1-002", zone: "A1", reportedAtMs: now - 4 * MIN, status: status({ batteryPercent: 12 }, now) },
  {
    meterId: "METER-B1-001",
    zone: "B1",
    reportedAtMs: now - 3 * MIN,
    status: status({ spaceOccupied: false, timeRemainingSeconds: 0, lastPayment: null }, now),
  },
];

/** The Stamford guide's Teller routing: 95 % to parking revenue, 5 % to processing fees, daily batches cut at 18:00. */
export const DEMO_PAYMENT_ROUTING: PaymentRouting = {
  revenueAccount: "4100-PARKING-REVENUE",
  feeAccount: "5200-PROCESSING-FEES",
  feeMode: "percent",
  feeBasisPoints: 500,
  feeFixedMinor: 0,
  settlementAccount: "STAMFORD-OPERATING-001",
  cutoff: "18:00",
};
