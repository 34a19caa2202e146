// DocuSign hands out RSA keys as PKCS#1 ("BEGIN RSA PRIVATE KEY"); WebCrypto, and so jose, reads
// PKCS#8. One is the other inside a fixed DER envelope (RFC 5208 PrivateKeyInfo, version 0,
// algorithm rsaEncryption), so the key can be pasted as DocuSign shows it.
import { fromBase64, toBase64 } from "../../lib/bytes";

const VERSION_0 = [0x02, 0x01, 0x00];
const RSA_ENCRYPTION = [0x30, 0x0d, 0x06, 0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x01, 0x05, 0x00];

function derLength(n: number): number[] {
  if (n < 0x80) return [n];
  const bytes: number[] = [];
  for (; n > 0; n >>= 8) bytes.unshift(n & 0xff);
  return [0x80 | bytes.length, ...bytes];
}
const tlv = (tag: number, content: number[]) => [tag, ...derLength(content.length), ...content];

/** A PKCS#8 PEM for a PKCS#1 or PKCS#8 RSA private key PEM; other text is returned as given (and will not import). */
export function pkcs8Pem(pem: string): string {
  if (!pem.includes("BEGIN RSA PRIVATE KEY")) return pem;
  const pkcs1 = fromBase64(pem.replace(/-----[^-]+-----/g, "").replace(/\s+/g, ""), "padded");
  if (!pkcs1) return pem;
  const info = tlv(0x30, [...VERSION_0, ...RSA_ENCRYPTION, ...tlv(0x04, Array.from(pkcs1))]);
  const lines = toBase64(Uint8Array.from(info)).match(/.{1,64}/g) ?? [];
  return `-----BEGIN PRIVATE KEY-----\n${lines.join("\n")}\n-----END PRIVATE KEY-----\n`;
}
