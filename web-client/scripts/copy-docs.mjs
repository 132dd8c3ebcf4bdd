// Puts the API reference page (/docs) into the build: our page and initializer from docs/, and
// Swagger UI's bundle and stylesheet from swagger-ui-dist, so the API serves all of it itself.
import { copyFileSync, mkdirSync } from "node:fs";

const out = "dist/docs";
mkdirSync(out, { recursive: true });
for (const file of ["index.html", "init.js"]) copyFileSync(`docs/${file}`, `${out}/${file}`);
for (const file of ["swagger-ui-bundle.js", "swagger-ui.css", "LICENSE", "NOTICE"]) {
  copyFileSync(`node_modules/swagger-ui-dist/${file}`, `${out}/${file}`);
}
