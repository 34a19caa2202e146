// Plates the verify scenarios ask about: most have a live session, the rest are unknown.
import { settings } from "./settings.mjs";

export const HIT_PREFIX = "BV"; // imported plates: BV0000000 … (see POST /internal/dev/zones/:code/import)
const MISS_PREFIX = "MX"; // never imported, so these are NO_RECORD

const pad7 = (n) => String(n).padStart(7, "0");
export const hitPlate = (count) => `${HIT_PREFIX}${pad7(Math.floor(Math.random() * count))}`;
export const missPlate = () => `${MISS_PREFIX}${pad7(Math.floor(Math.random() * 10_000_000))}`;
export const somePlate = (count) => (Math.random() < settings.verifyHitRatio ? hitPlate(count) : missPlate());
