// A tenant's enforcement settings (schema.ts, enforcement_settings), with the defaults a tenant that
// never set them gets.
import { eq } from "drizzle-orm";
import { DEFAULT_METER_THRESHOLDS } from "../domain/meters";
import type { Db } from "./db";
import { enforcementSettings } from "./schema";

export interface EnforcementSettings {
  stayGapMinutes: number;
  collectionsAfterDays: number;
  meterOfflineMinutes: number;
  meterLowBatteryPercent: number;
}

export const DEFAULT_ENFORCEMENT_SETTINGS: EnforcementSettings = {
  stayGapMinutes: 30,
  collectionsAfterDays: 30,
  meterOfflineMinutes: DEFAULT_METER_THRESHOLDS.offlineMinutes,
  meterLowBatteryPercent: DEFAULT_METER_THRESHOLDS.lowBatteryPercent,
};

export async function enforcementSettingsOf(database: Db, tenantId: string): Promise<EnforcementSettings> {
  const [row] = await database.select().from(enforcementSettings).where(eq(enforcementSettings.tenantId, tenantId));
  if (!row) return { ...DEFAULT_ENFORCEMENT_SETTINGS };
  const { tenantId: _t, updatedAt: _u, ...settings } = row;
  return settings;
}

export async function putEnforcementSettings(database: Db, tenantId: string, s: EnforcementSettings, nowMs: number) {
  await database
    .insert(enforcementSettings)
    .values({ tenantId, ...s, updatedAt: nowMs })
    .onConflictDoUpdate({ target: enforcementSettings.tenantId, set: { ...s, updatedAt: nowMs } });
}
