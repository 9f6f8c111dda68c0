/**
 * Disputes of a listing with few features (the example task: 4 features of 12 bits), which
 * the router sends to the feature circuit (dispute_256_f8, checked-in setup): a real proof
 * over the buyer's quantized features refunds the deposit; a valid proof of the digest-only
 * circuit for the same commitment, which skips the range checks, is refused; features outside
 * the listing's range cannot be proven at all; test-drives no circuit can prove do not open.
 * The setup's integrity (transcript, sources) is checked in disputeRefund.test.ts.
 */
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import * as snarkjs from "snarkjs";
import { poseidon16 } from "poseidon-lite/poseidon16";
import { poseidon4 } from "poseidon-lite/poseidon4";
import { toHex } from "viem";
import { DISPUTE_FEATURE_CIRCUIT } from "../../ignition/modules/DisputeVerifier.ts";
import { ARTIFACTS_DIR } from "../../scripts/zk/setup.ts";
import { exampleTestFee } from "../../scripts/lib/exampleListing.ts";
import {
  FEATURES_DIGEST_DOMAIN,
  FeatureRangeError,
  dataCommitment,
  disputeCircuitInput,
  featureCircuitInput,
  featuresDigest,
  unpackDisputeContext,
} from "../../sdk/src/index.ts";
import { proveDispute, terminateSnarkjsWorkers } from "../../sdk/src/prover/disputeProof.ts";
import { POLICY, TASK, TEST_STATUS, WINDOWS, connectMarket, refundSharesFor } from "../helpers/market.ts";
import { seededRandom } from "../helpers/seededRandom.ts";
import { standInDisputesConfig } from "../../scripts/lib/disputesConfig.ts";

const { size: N, features: F, featureBits: MAX_BITS } = DISPUTE_FEATURE_CIRCUIT;
const FEATURE_NAME = `dispute_${N}_f${F}`;
const DIGEST_NAME = `dispute_${N}`;
const artifact = (name: string, file: string): string => join(ARTIFACTS_DIR, name, file);
const RESULT = toHex("encrypted scores digest", { size: 32 });

const random = seededRandom(38);
const randInt = (below: number): number => Math.floor(random() * below);
const randField = (): bigint => BigInt(toHex(Uint8Array.from({ length: 31 }, () => randInt(256))));

/** The buyer's local test set for the example task: quantized features, labels, `correct` predictions right. */
function buyerSet(n: number, correct: number) {
  const labels = Array.from({ length: n }, () => randInt(TASK.classCount));
  const predictions = labels.map((label, i) => (i < correct ? label : (label + 1) % TASK.classCount));
  const features = labels.map(() => Array.from({ length: TASK.featureCount }, () => randInt(2 ** TASK.featureBits)));
  return { labels, predictions, features, salt: randField() };
}
type BuyerSet = ReturnType<typeof buyerSet>;
const commitmentOf = (set: BuyerSet, digest = featuresDigest(set.features, TASK)) =>
  dataCommitment({ featuresDigest: digest, labels: set.labels, salt: set.salt });

describe(`feature dispute proofs (${FEATURE_NAME}, checked-in setup)`, () => {
  let m: Awaited<ReturnType<typeof connectMarket>>;
  before(async () => {
    m = await connectMarket();
  });
  after(terminateSnarkjsWorkers);

  async function deploy() {
    const { viem, accounts } = m;
    const registry = await viem.deployContract("ModelRegistry", [accounts.deployer.account.address]);
    const digestVerifier = await viem.deployContract(`DisputeVerifier${N}`);
    const featureVerifier = await viem.deployContract(`DisputeVerifier${N}F${F}`);
    const featureCircuit = { maxSamples: N, maxFeatures: F, maxFeatureBits: MAX_BITS, verifier: featureVerifier.address };
    const router = await viem.deployContract("DisputeVerifierRouter", [[N], [digestVerifier.address], featureCircuit]);
    const anyVerifier = await viem.deployContract("AnySignalsVerifier");
    const market = await viem.deployContract("ModelMarket", [registry.address, router.address, WINDOWS, standInDisputesConfig(anyVerifier.address)]);
    await registry.write.list([m.terms(), m.offer()], { account: accounts.seller.account });
    return { registry, digestVerifier, featureVerifier, router, market, listingId: await registry.read.listingCount() };
  }
  const load = () => m.networkHelpers.loadFixture(deploy);
  type Contracts = Awaited<ReturnType<typeof deploy>>;

  const openFee = (n: number) => ({ account: m.accounts.buyer.account, value: POLICY.deposit + exampleTestFee(n) });

  /** Opens a test-drive committed to `commitment` and records the worker's receipt. */
  async function evaluated(c: Contracts, commitment: bigint, n: number, listingId = c.listingId) {
    await c.market.write.openTest([listingId, toHex(commitment, { size: 32 }), n], openFee(n));
    const testId = (await c.market.getEvents.TestOpened({}, { fromBlock: 0n })).at(-1)!.args.testId!;
    await c.market.write.recordReceipt([testId, RESULT], { account: m.accounts.worker.account });
    return testId;
  }

  async function sourceFor(c: Contracts, testId: bigint, set: BuyerSet) {
    const { tag, ...fields } = unpackDisputeContext(await c.market.read.disputeContext([testId]));
    return { ...set, fields, tag };
  }

  it("refunds the deposit, less the free samples' fee, for a real proof over the buyer's features (and measures claimRefund's gas)", async () => {
    const c = await load();
    const set = buyerSet(120, 80); // 66.7% < the claimed 90%
    const testId = await evaluated(c, commitmentOf(set), 120);
    const input = featureCircuitInput(await sourceFor(c, testId, set), N, F);
    const started = performance.now();
    const { proof, publicSignals, calldata } = await proveDispute({
      input,
      wasm: artifact(FEATURE_NAME, `${FEATURE_NAME}.wasm`),
      zkey: artifact(FEATURE_NAME, `${FEATURE_NAME}.zkey`),
    });
    console.log(`      proved in ${((performance.now() - started) / 1000).toFixed(2)} s (n = 120, ${FEATURE_NAME})`);
    const vkey = JSON.parse(readFileSync(artifact(FEATURE_NAME, "verification_key.json"), "utf8")) as snarkjs.Groth16VerificationKey;
    assert.equal(await snarkjs.groth16.verify(vkey, publicSignals, proof), true);
    assert.equal(publicSignals[1], commitmentOf(set).toString(), "the circuit recomputed the commitment the buyer posted");
    await terminateSnarkjsWorkers();

    const { buyer } = m.accounts;
    const before = await m.publicClient.getBalance({ address: buyer.account.address });
    const hash = await c.market.write.claimRefund([testId, calldata], { account: buyer.account });
    const receipt = await m.publicClient.waitForTransactionReceipt({ hash });
    assert.equal(receipt.status, "success");
    const { toBuyer, toSeller } = refundSharesFor(120);
    assert.equal(await m.publicClient.getBalance({ address: buyer.account.address }), before + toBuyer - receipt.gasUsed * receipt.effectiveGasPrice);
    assert.equal(toBuyer, POLICY.deposit - BigInt(POLICY.freeSamples) * POLICY.feePerExtraSample);
    assert.equal(await c.market.read.owed([m.accounts.seller.account.address]), exampleTestFee(120) + toSeller, "the seller is paid the fee of all 120 samples");
    assert.equal(await c.market.read.testStatus([testId]), TEST_STATUS.Closed);
    console.log(`      claimRefund with the Groth16 verifier (router + DisputeVerifier${N}F${F}): ${receipt.gasUsed} gas`);
  });

  it("refuses a digest-only proof for the same commitment, which would skip the range checks", async () => {
    const c = await load();
    const set = buyerSet(60, 10);
    const testId = await evaluated(c, commitmentOf(set), 60);
    const { features: _features, ...rest } = await sourceFor(c, testId, set);
    const input = disputeCircuitInput({ ...rest, featuresDigest: featuresDigest(set.features, TASK) }, N);
    const { calldata } = await proveDispute({ input, wasm: artifact(DIGEST_NAME, `${DIGEST_NAME}.wasm`), zkey: artifact(DIGEST_NAME, `${DIGEST_NAME}.zkey`) });
    await terminateSnarkjsWorkers();
    const signals = [await c.market.read.disputeContext([testId]), commitmentOf(set)] as const;
    // A valid proof of the digest-only circuit, for exactly these public signals...
    assert.equal(await c.digestVerifier.read.verifyProof([calldata.a, calldata.b, calldata.c, signals]), true);
    // ...which the router does not accept for a listing with few features.
    assert.equal(await c.router.read.verifyProof([calldata.a, calldata.b, calldata.c, signals]), false);
    await m.viem.assertions.revertWithCustomErrorWithArgs(
      c.market.write.claimRefund([testId, calldata], { account: m.accounts.buyer.account }),
      c.market,
      "TestDrivesInvalidProof",
      [testId],
    );
  });

  it("cannot prove a dispute over features outside the listing's range", async () => {
    const c = await load();
    const set = buyerSet(30, 0);
    set.features[7]![2] = 2 ** TASK.featureBits; // one value too wide for 12 bits
    // The SDK refuses to digest it; a buyer who digests it by hand can commit and open...
    assert.throws(() => featuresDigest(set.features, TASK), FeatureRangeError);
    let h = poseidon4([FEATURES_DIGEST_DOMAIN, 30n, BigInt(TASK.featureCount), BigInt(TASK.featureBits)]);
    const rows = set.features.map((row) => row.reduce((w, v, f) => w + (BigInt(v) << BigInt(16 * f)), 0n));
    for (let at = 0; at < rows.length; at += 15) h = poseidon16([h, ...rows.slice(at, at + 15), ...Array<bigint>(15 - rows.slice(at, at + 15).length).fill(0n)]);
    const testId = await evaluated(c, commitmentOf(set, h), 30);
    const source = await sourceFor(c, testId, set);
    assert.throws(() => featureCircuitInput(source, N, F), /feature 2 of sample 7 is 4096/);
    // ...but has no witness for the feature circuit, and the digest-only proof is refused (above).
    const valid = featureCircuitInput({ ...source, features: set.features.map((row, i) => (i === 7 ? [0, 0, 0, 0] : row)) }, N, F);
    const forged = { ...valid, features: valid.features.map((v, k) => (k === 7 * F + 2 ? String(2 ** TASK.featureBits) : v)), dataCommitment: commitmentOf(set, h).toString() };
    const consoleError = console.error;
    console.error = () => {}; // circom reports the failed assert on the console before throwing
    try {
      await assert.rejects(
        proveDispute({ input: forged, wasm: artifact(FEATURE_NAME, `${FEATURE_NAME}.wasm`), zkey: artifact(FEATURE_NAME, `${FEATURE_NAME}.zkey`) }),
        /Assert Failed/,
      );
    } finally {
      console.error = consoleError;
    }
  });

  it("refuses to open test-drives no circuit can prove: more samples than the feature circuit holds, features too wide", async () => {
    const c = await load();
    assert.equal(await c.router.read.maxSampleCount([TASK.featureCount, TASK.featureBits]), N);
    const commitment = toHex(123n, { size: 32 });
    await m.viem.assertions.revertWithCustomErrorWithArgs(
      c.market.write.openTest([c.listingId, commitment, N + 1], openFee(N + 1)),
      c.market,
      "TestDrivesNotDisputable",
      [N + 1, N],
    );
    // A listing of 4 features of 20 bits: the feature circuit checks at most 16, and the
    // digest-only circuits may not prove it.
    const wide = { ...TASK, featureBits: 20, scaleBits: 8 };
    await c.registry.write.list([{ ...m.terms(), task: wide }, m.offer()], { account: m.accounts.seller.account });
    const wideListing = await c.registry.read.listingCount();
    assert.equal(await c.router.read.maxSampleCount([wide.featureCount, wide.featureBits]), 0);
    await m.viem.assertions.revertWithCustomErrorWithArgs(
      c.market.write.openTest([wideListing, commitment, 10], openFee(10)),
      c.market,
      "TestDrivesNotDisputable",
      [10, 0],
    );
  });
});
