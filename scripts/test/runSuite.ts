/**
 * What `npm test` runs after the build and the typecheck: `hardhat test` (with any arguments
 * given, e.g. one test file) with MODELBAZAAR_LOG_DIR set to a fresh .test-logs/, so every worker
 * the suite starts writes its log there; then the log check of logRedaction.ts over all of them.
 * Exits non-zero when a test failed, when a log holds a secret, or when a whole-suite run
 * collected no worker log at all (the logs would then prove nothing).
 */
import { spawnSync } from "node:child_process";
import { mkdirSync, rmSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { LOG_DIR_ENV } from "../../offchain-worker/src/logging.ts";
import { findLeaks, logFiles, suiteSecrets } from "./logRedaction.ts";

const root = fileURLToPath(new URL("../../", import.meta.url));
const logDir = `${root}.test-logs`;
const args = process.argv.slice(2);

rmSync(logDir, { recursive: true, force: true });
mkdirSync(logDir, { recursive: true });
const suite = spawnSync(`${root}node_modules/.bin/hardhat`, ["test", ...args], { cwd: root, stdio: "inherit", env: { ...process.env, [LOG_DIR_ENV]: logDir } });
const testsPassed = suite.status === 0;

const files = logFiles(logDir);
const secrets = suiteSecrets(logDir);
const leaks = findLeaks(logDir, secrets);
let logsOk = leaks.length === 0;
if (files.length === 0 && args.length === 0) {
  console.error(`log redaction: no worker wrote a log into ${logDir}; ${LOG_DIR_ENV} is not honoured, so the check proves nothing`);
  logsOk = false;
} else if (leaks.length > 0) {
  console.error(`log redaction: ${leaks.length} log line(s) hold a secret:`);
  for (const leak of leaks.slice(0, 50)) console.error(`  ${leak.file}:${leak.line}: ${leak.label}`);
} else {
  console.log(`log redaction: ${files.length} worker log(s) in ${logDir} hold none of ${secrets.length} secret forms`);
}
process.exit(testsPassed && logsOk ? 0 : 1);
