// Installs the web client's packages exactly as package-lock.json pins them (npm ci), but only when
// the lock file changed since the last install: the Maven build runs this on every build, and a
// full reinstall each time would cost half a minute for nothing.
import { createHash } from "node:crypto";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { execSync } from "node:child_process";

const [major, minor] = process.versions.node.split(".").map(Number);
if (major < 20 || (major === 20 && minor < 19)) {
  console.error(`web-client: Node ${process.versions.node} is too old; Vite needs 20.19 or newer`);
  process.exit(1);
}
const stamp = "node_modules/.herald-lock.sha256";
const lock = createHash("sha256").update(readFileSync("package-lock.json")).digest("hex");
if (existsSync(stamp) && readFileSync(stamp, "utf8") === lock) {
  process.exit(0);
}
console.log("web-client: installing packages (npm ci)");
execSync("npm ci --no-audit --no-fund", { stdio: "inherit" });
writeFileSync(stamp, lock);
