// Copies the static placeholder page into dist/, where the API will serve it from.
import { mkdirSync, copyFileSync } from "node:fs";

mkdirSync("dist", { recursive: true });
copyFileSync("index.html", "dist/index.html");
console.log("web-client: dist/index.html");
