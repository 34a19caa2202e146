// The independent signer for recipes without an official package: Node's own crypto module.
// The repo's tsconfig carries no @types/node (src must never touch Node APIs), so the module is
// loaded untyped and given just the shapes these tests use.
export interface NodeHmac {
  update(data: string | Uint8Array): NodeHmac;
  digest(encoding: "hex" | "base64"): string;
}
export interface NodeKeyObject {
  export(options: { type: "spki"; format: "der" }): Uint8Array;
  export(options: { type: "spki"; format: "pem" }): string;
}
export interface NodeSign {
  update(data: string | Uint8Array): NodeSign;
  sign(key: NodeKeyObject, encoding: "base64"): string;
}
export interface NodeCrypto {
  createHmac(algorithm: string, key: string | Uint8Array): NodeHmac;
  createHash(algorithm: string): { update(data: string | Uint8Array): { digest(encoding: "hex"): string } };
  generateKeyPairSync(type: "ec", options: { namedCurve: string }): { publicKey: NodeKeyObject; privateKey: NodeKeyObject };
  createSign(algorithm: string): NodeSign;
}

const moduleName: string = "node:crypto";
export const nodeCrypto = (await import(/* @vite-ignore */ moduleName)) as NodeCrypto;
