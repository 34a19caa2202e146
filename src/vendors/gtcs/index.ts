import type { Provider } from "../types";

export const gtcs: Provider = {
  id: "gtcs",
  name: "GTCS Municipal Systems",
  category: "municipal",
  auth: "api_key",
  credentialFields: [
    { name: "apiKey", label: "API key", secret: true, required: true },
  ],
  effects: {},
};
