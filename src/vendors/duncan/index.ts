import type { Vendor } from "../types";
import { connector } from "./connector";

export const duncan: Vendor = {
  id: "duncan",
  name: "Duncan Solutions",
  category: "municipal",
  auth: "api_key",
  credentialFields: [{ name: "apiKey", label: "API key", secret: true, required: true }],
  effects: {},
  connector,
};
