/**
 * `bazaar model plan-salt` (scripts/cli/commands/modelPlanSalt.ts), run as a seller runs it: the
 * salt it writes (owner-only file) is the one `bazaar list` commits the plan with under the same
 * key, so a worker configured with it (`listings[].planSaltFile`) reproduces the listing's plan
 * commitment; another key gives another salt; a missing model file or key is one sentence.
 */
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, it } from "node:test";
import { privateKeyToAccount } from "viem/accounts";
import { readConfigFile } from "../../offchain-worker/src/config.ts";
import { committedPlanOf, listingDisputePolicy } from "../../scripts/lib/listingDisputePolicy.ts";
import { devAccountKey, modelPath } from "../../scripts/lib/demoListings.ts";
import { ChunkTree, toChunks } from "@modelbazaar/sdk/delivery";
import { planCommitment } from "@modelbazaar/sdk/disputes";
import { runBazaar, type CliResult } from "../helpers/runBazaar.ts";

const TASK = { featureCount: 4, classCount: 3, scaleBits: 8, featureBits: 12 } as const;
const POLICY = { deposit: 10n ** 18n, feePerExtraSample: 10n ** 15n, freeSamples: 100, minSamples: 32, maxSamples: 256, serviceWindow: 3_600, disputeWindow: 86_400 };

/** `bazaar` with no key of this process's environment, only what `env` sets. */
function bazaar(args: string[], env: Record<string, string>): Promise<CliResult> {
  return runBazaar(args, { env: { MODELBAZAAR_PRIVATE_KEY: "", MODELBAZAAR_KEYSTORE: "", ...env } });
}

describe("bazaar model plan-salt", () => {
  const dir = mkdtempSync(join(tmpdir(), "bazaar-plan-salt-"));
  const model = modelPath("iris-logreg");
  const file = readFileSync(model);

  it("writes, for the worker's config, the salt bazaar list commits the plan with under the same key", async () => {
    const sellerKey = devAccountKey(1);
    const out = join(dir, "iris.salt");
    const run = await bazaar(["model", "plan-salt", model, "--out", out], { MODELBAZAAR_PRIVATE_KEY: sellerKey });
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stdout, /wrote the plan salt of .*iris-logreg\.onnx .* as signed by 0x70997970C51812dc3A010C7d01b50e0d17dc79C8 to .*iris\.salt/);
    assert.equal(statSync(out).mode & 0o777, 0o600, "only its owner may read the salt");
    assert.doesNotMatch(run.stdout, new RegExp(readFileSync(out, "utf8").trim().slice(2)), "the salt is not printed");

    const root = ChunkTree.fromChunks(toChunks(file)).root;
    const { policy } = await listingDisputePolicy(file, root, TASK, POLICY, privateKeyToAccount(sellerKey));
    const config = join(dir, "worker.json");
    const market = "0x5FbDB2315678afecb367f032d93F642f64180aa3";
    writeFileSync(config, JSON.stringify({ rpcUrl: "http://127.0.0.1:8545", market, registry: market, dataDir: "data", listings: [{ listingId: 1, modelId: "iris-logreg", planSaltFile: "iris.salt" }], evaluator: { module: "engine.ts" } }));
    const [served] = readConfigFile(config, devAccountKey(3)).listings;
    const plan = await committedPlanOf(file, TASK);
    assert.equal(planCommitment(plan, served!.planSalt!), BigInt(policy.planCommitment), "the worker reproduces the listing's commitment");

    const other = join(dir, "other.salt");
    assert.equal((await bazaar(["model", "plan-salt", model, "--out", other], { MODELBAZAAR_PRIVATE_KEY: devAccountKey(2) })).code, 0);
    assert.notEqual(readFileSync(other, "utf8"), readFileSync(out, "utf8"), "another key, another salt");
  });

  it("refuses a missing model file or a missing key in one sentence", async () => {
    const missing = await bazaar(["model", "plan-salt", join(dir, "nope.onnx"), "--out", join(dir, "x")], { MODELBAZAAR_PRIVATE_KEY: devAccountKey(1) });
    assert.notEqual(missing.code, 0);
    assert.match(missing.stderr, /cannot read .*nope\.onnx: ENOENT/);
    const keyless = await bazaar(["model", "plan-salt", model, "--out", join(dir, "y")], {});
    assert.notEqual(keyless.code, 0);
    assert.match(keyless.stderr, /set MODELBAZAAR_KEYSTORE to your encrypted key file/);
  });
});
