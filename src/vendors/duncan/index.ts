import type { Provider } from "../types";

export const duncan: Provider = {
  id: "duncan",
  name: "Duncan Solutions",
  category: "municipal",
  auth: "api_key",
  credentialFields: [
    { name: "apiKey", label: "API key", secret: true, required: true },
  ],
  effects: {},
};
