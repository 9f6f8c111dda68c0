/**
 * Issue #11, item 1, as it happened: `npm start` restarted between two test-drives must not
 * make the CLI lose a valid refund. The buyer's CLI runs with nothing but MODELBAZAAR_RPC_PORT
 * (no --rpc, no --deployment, from a directory of its own: it finds the stack and its
 * deployment by itself) and one MODELBAZAAR_HOME throughout:
 *  1. first chain: test-drive #1 of the Iris listing meets the claim (its record says so);
 *  2. `npm start` restarted on the same port: the same addresses, and test-drive #1 again, on
 *     purposely wrong labels, below the claim; the CLI recommends `bazaar dispute 1`;
 *  3. `bazaar dispute 1` claims the refund from the new record (the old one, 29 of 30 correct,
 *     would have refused it);
 *  4. a copy of the home taken before the restart (only the old chain's record) makes
 *     `bazaar dispute 1` say the record belongs to an earlier chain and is not used, sending nothing.
 * While each stack runs, its note for the CLI names its URL and market; it is gone after Ctrl-C.
 */
import assert from "node:assert/strict";
import { cpSync, existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { loadIris } from "../../scripts/lib/datasets/iris.ts";
import { testSetCsv } from "../../scripts/lib/datasets/testSetCsv.ts";
import { devAccountKey } from "../../scripts/lib/demoListings.ts";
import { PROJECT_ROOT } from "../../scripts/lib/runningStack.ts";
import { startLocalStack, type LocalStack } from "../browser/localStack.ts";
import { freePort } from "../../scripts/lib/freePort.ts";
import { runBazaar, type CliResult } from "../helpers/runBazaar.ts";

const BUYER_KEY = devAccountKey(2);

describe("a restarted npm start and the buyer's records", { timeout: 600_000 }, () => {
  const dir = mkdtempSync(join(tmpdir(), "bazaar-restart-"));
  const home = join(dir, "home");
  const homeBeforeRestart = join(dir, "home-before-restart");
  const cwd = mkdtempSync(join(tmpdir(), "bazaar-restart-cwd-"));
  /** The chain's port, the same across the restart (the CLI finds the stack there again). */
  let port: number;
  let stack: LocalStack | undefined;
  before(async () => {
    port = await freePort();
  });
  after(async () => {
    await stack?.stop();
  });

  /** `bazaar` as the buyer with home `homeDir`, finding the chain by MODELBAZAAR_RPC_PORT alone. */
  const bazaar = (args: string[], homeDir = home): Promise<CliResult> =>
    runBazaar(args, { env: { MODELBAZAAR_PRIVATE_KEY: BUYER_KEY, MODELBAZAAR_HOME: homeDir, MODELBAZAAR_RPC_PORT: String(port), MODELBAZAAR_RPC_URL: "" }, cwd, timeoutMs: 240_000 });
  const marketOf = (output: string): string => /ModelMarket\s+(0x[0-9a-fA-F]{40})/.exec(output)![1]!;
  const noteOf = (port: number) => join(PROJECT_ROOT, ".modelbazaar", "stacks", `${port}.json`);

  it("disputes the new chain's test-drive 1 from its own record, and reports the earlier chain's record instead of using it", async () => {
    const iris = loadIris().test;
    const honest = join(dir, "iris.csv");
    writeFileSync(honest, testSetCsv(iris));
    const mislabelled = join(dir, "iris-mislabelled.csv");
    writeFileSync(mislabelled, testSetCsv({ ...iris, labels: iris.labels.map((label, i) => (i < 3 ? (label + 1) % 3 : label)) }));

    stack = await startLocalStack({ port });
    const firstMarket = marketOf(stack.output());
    assert.equal((JSON.parse(readFileSync(noteOf(port), "utf8")) as { deployment: { market: string } }).deployment.market, firstMarket, "npm start leaves a note naming its deployment");
    const first = await bazaar(["test-drive", "1", honest]);
    assert.equal(first.code, 0, first.stderr);
    assert.match(first.stdout, /test-drive 1 of listing 1/);
    assert.match(first.stdout, /accuracy \d+\.\d\d% \((29|30)\/30\) vs claimed 96\.66%/, "the first chain's test-drive 1 met the claim");
    cpSync(home, homeBeforeRestart, { recursive: true });

    assert.equal(await stack.stop(), 0, "Ctrl-C stops npm start cleanly");
    assert.equal(existsSync(noteOf(port)), false, "the note goes with the stack");
    stack = await startLocalStack({ port });
    assert.equal(marketOf(stack.output()), firstMarket, "the restarted chain puts the market at the same address");

    const second = await bazaar(["test-drive", "1", mislabelled]);
    assert.equal(second.code, 0, second.stderr);
    assert.match(second.stdout, /test-drive 1 of listing 1/, "the new chain's test-drive has id 1 again");
    const correct = Number(/accuracy \d+\.\d\d% \((\d+)\/30\)/.exec(second.stdout)?.[1]);
    assert.ok(correct <= 27, `below the claim on purpose: ${correct}/30`);
    assert.match(second.stdout, /bazaar dispute 1/, "the CLI recommends the dispute");

    const stale = await bazaar(["dispute", "1"], homeBeforeRestart);
    assert.equal(stale.code, 1, stale.stdout);
    assert.match(
      stale.stderr,
      /^bazaar: this machine's record of test-drive 1 belongs to another chain that had the market at the same address, e\.g\. before npm start was restarted \(its first block \d+ with hash 0x[0-9a-f]{8}…; this chain's first block \d+ has hash 0x[0-9a-f]{8}…\), so it is not used; this machine keeps no record of this deployment's test-drive 1: a dispute needs the salt, labels and predictions bazaar test-drive kept/,
    );
    assert.doesNotMatch(stale.stderr, /no refund is due/, "the old record's 29 or 30 of 30 is not read");

    const claimed = await bazaar(["--json", "dispute", "1"]);
    assert.equal(claimed.code, 0, claimed.stderr);
    const claim = JSON.parse(claimed.stdout) as { phase: string; correct: number; refund: string };
    assert.equal(claim.phase, "Claimed");
    assert.equal(claim.correct, correct, "proved from the new chain's record");
    assert.ok(BigInt(claim.refund) > 0n);
  });
});
