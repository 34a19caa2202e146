// Evidence bytes judged by what they are, not by what the sender says: the content type comes from the
// file's magic number, and anything that is not a photo (JPEG, PNG, HEIC) or a video (MP4/QuickTime)
// is refused. Pure; storage puts the bytes in R2 (src/storage/evidence.ts).

export type EvidenceKind = "PHOTO" | "VIDEO";
export type EvidenceType = "image/jpeg" | "image/png" | "image/heic" | "video/mp4" | "video/quicktime";

/** One photo or video may be at most this large (decoded bytes). */
export const MAX_EVIDENCE_BYTES = 10 * 1024 * 1024;

const startsWith = (b: Uint8Array, sig: readonly number[], at = 0) =>
  b.length >= at + sig.length && sig.every((v, i) => b[at + i] === v);

const ascii = (b: Uint8Array, from: number, to: number) => String.fromCharCode(...b.subarray(from, to));

// ISO base media files (HEIC, MP4, MOV) open with a box whose type is "ftyp", then the major brand.
const HEIC_BRANDS = new Set(["heic", "heix", "hevc", "hevx", "heim", "heis", "mif1", "msf1"]);
const MP4_BRANDS = new Set(["isom", "iso2", "iso4", "iso5", "iso6", "mp41", "mp42", "avc1", "M4V ", "dash", "3gp4", "3gp5"]);

/** The content type the bytes show, or null when they are none of the accepted kinds. */
export function sniffEvidenceType(b: Uint8Array): EvidenceType | null {
  if (startsWith(b, [0xff, 0xd8, 0xff])) return "image/jpeg";
  if (startsWith(b, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return "image/png";
  if (b.length >= 12 && ascii(b, 4, 8) === "ftyp") {
    const brand = ascii(b, 8, 12);
    if (HEIC_BRANDS.has(brand)) return "image/heic";
    if (MP4_BRANDS.has(brand)) return "video/mp4";
    if (brand === "qt  ") return "video/quicktime";
  }
  return null;
}

export const kindOf = (type: EvidenceType): EvidenceKind => (type.startsWith("image/") ? "PHOTO" : "VIDEO");

export type EvidenceCheck = { ok: true; contentType: EvidenceType } | { ok: false; status: 413 | 415; detail: string };

/**
 * Whether `bytes` may be kept as evidence of `kind`: within the size limit (413), and by their magic
 * number a photo for PHOTO or a video for VIDEO (415).
 */
export function checkEvidence(bytes: Uint8Array, kind: EvidenceKind, maxBytes = MAX_EVIDENCE_BYTES): EvidenceCheck {
  if (bytes.length > maxBytes)
    return { ok: false, status: 413, detail: `Evidence is limited to ${maxBytes} bytes; this is ${bytes.length}` };
  const type = sniffEvidenceType(bytes);
  if (!type)
    return {
      ok: false,
      status: 415,
      detail: "Evidence must be a JPEG, PNG or HEIC photo, or an MP4 or QuickTime video, by its bytes",
    };
  if (kindOf(type) !== kind) return { ok: false, status: 415, detail: `The bytes are ${type}, not a ${kind.toLowerCase()}` };
  return { ok: true, contentType: type };
}
