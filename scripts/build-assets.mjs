// Copies the interactive API reference (Swagger UI) into public/ so /docs works offline and on deploy.
import { cpSync, mkdirSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";

const require = createRequire(import.meta.url);
const from = dirname(require.resolve("swagger-ui-dist/package.json"));
const to = join(import.meta.dirname, "..", "public", "vendor", "swagger-ui");
mkdirSync(to, { recursive: true });
for (const file of ["swagger-ui-bundle.js", "swagger-ui.css", "favicon-32x32.png"]) cpSync(join(from, file), join(to, file));
console.log(`API reference assets copied to ${to}`);
