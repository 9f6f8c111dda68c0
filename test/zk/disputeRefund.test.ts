/**
 * The dispute proof end to end, with the checked-in setup (circuits/artifacts/, written by
 * `npm run zk:setup`): the artifacts of every shipped circuit match their transcript and the
 * current circuit sources; a real proof of the digest-only circuit (N = 256) verifies off-chain
 * and on-chain and refunds the deposit of a listing with many features (784, so the router
 * sends it to the digest-only circuits); every way to misuse a proof is refused; the router's
 * dispatch. The feature circuit's flow is in featureDisputeRefund.test.ts. Nothing here reruns
 * the setup.
 */
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import * as snarkjs from "snarkjs";
import { toHex, type Address } from "viem";
import { DISPUTE_CIRCUIT_SIZES, DISPUTE_FEATURE_CIRCUIT } from "../../ignition/modules/DisputeVerifier.ts";
import { ROOT, inputsHash, variantKey, verifierContract, type CircuitVariant } from "../../scripts/zk/compile.ts";
import { ARTIFACTS_DIR, readTranscript, sha256File } from "../../scripts/zk/setup.ts";
import {
  bindingTag,
  dataCommitment,
  disputeCircuitInput,
  unpackDisputeContext,
  type DisputeWitnessSource,
} from "../../sdk/src/index.ts";
import { proveDispute, terminateSnarkjsWorkers, type MarketGroth16Proof } from "../../sdk/src/prover/disputeProof.ts";
import { exampleTestFee } from "../../scripts/lib/exampleListing.ts";
import { POLICY, TASK, TEST_PHASE, TEST_STATUS, WINDOWS, connectMarket, refundSharesFor } from "../helpers/market.ts";
import { seededRandom } from "../helpers/seededRandom.ts";
import { standInDisputesConfig } from "../../scripts/lib/disputesConfig.ts";

const N = 256;
const artifact = (file: string): string => join(ARTIFACTS_DIR, `dispute_${N}`, file);
const WASM = artifact(`dispute_${N}.wasm`);
const ZKEY = artifact(`dispute_${N}.zkey`);
const RESULT = toHex("encrypted scores digest", { size: 32 });
/** A listing whose samples have more features than the feature circuit holds (MNIST-like). */
const WIDE_TASK = { ...TASK, featureCount: 784, featureBits: 8, scaleBits: 0 };
const ZERO_ADDRESS = "0x0000000000000000000000000000000000000000";
/** The BN254 base field modulus q (contracts/libraries/Groth16Canonical.sol). */
const BASE_FIELD = 21888242871839275222246405745257275088696311157297823662689037894645226208583n;
/** Every circuit the deployment ships. */
const SHIPPED: CircuitVariant[] = [
  ...DISPUTE_CIRCUIT_SIZES.map((size) => ({ size })),
  { size: DISPUTE_FEATURE_CIRCUIT.size, features: DISPUTE_FEATURE_CIRCUIT.features },
];

const random = seededRandom(3);
const randInt = (below: number): number => Math.floor(random() * below);
const randField = (): bigint => BigInt(toHex(Uint8Array.from({ length: 31 }, () => randInt(256))));

/** The buyer's local test set: n labels over the example task's classes, `correct` predictions right. */
function buyerSet(n: number, correct: number) {
  const labels = Array.from({ length: n }, () => randInt(TASK.classCount));
  const predictions = labels.map((label, i) => (i < correct ? label : (label + 1) % TASK.classCount));
  return { labels, predictions, featuresDigest: randField(), salt: randField() };
}
type BuyerSet = ReturnType<typeof buyerSet>;

describe("dispute proofs (N = 256, checked-in setup)", () => {
  after(terminateSnarkjsWorkers);

  describe("the checked-in setup", () => {
    const transcript = readTranscript();

    it("has a transcript entry for every circuit the deployment ships", () => {
      assert.ok(transcript, "circuits/artifacts/transcript.json is missing: run npm run zk:setup");
      for (const variant of SHIPPED) assert.ok(transcript.sizes[variantKey(variant)], `no setup for ${variantKey(variant)}`);
    });

    for (const variant of SHIPPED) {
      const key = variantKey(variant);
      it(`${key}: artifacts match the transcript, and the transcript the circuit sources`, () => {
        const t = transcript!.sizes[key]!;
        for (const file of [t.wasm, t.zkey, t.verificationKey, t.verifier]) {
          assert.equal(sha256File(join(ROOT, file.path)), file.sha256, `${file.path} differs from the transcript: rerun npm run zk:setup -- ${key}`);
        }
        assert.equal(t.inputsHash, inputsHash(variant), `the circuit changed since the setup of ${key}: rerun npm run zk:setup -- ${key}`);
        assert.equal(t.verifyFromR1cs, true);
        assert.equal(t.features, variant.features);
        assert.equal(t.verifier.contract, verifierContract(variant));
        assert.match(readFileSync(join(ROOT, t.verifier.path), "utf8"), /GENERATED FILE - DO NOT EDIT/);
        assert.match(t.phase2.beacon.hash, /^[0-9a-f]{64}$/);
      });
    }
  });

  describe("proving and verifying", () => {
    let vkey: snarkjs.Groth16VerificationKey;
    before(() => {
      vkey = JSON.parse(readFileSync(artifact("verification_key.json"), "utf8")) as snarkjs.Groth16VerificationKey;
    });

    it("a real proof verifies off-chain, and not for other public signals", async () => {
      const set = buyerSet(100, 80);
      const fields = { claimedAccuracyBps: 9000, sampleCount: 100, classCount: 3, featureBits: WIDE_TASK.featureBits, featureCount: WIDE_TASK.featureCount };
      const input = disputeCircuitInput({ ...set, fields, tag: 12345n }, N);
      const started = performance.now();
      const { proof, publicSignals } = await proveDispute({ input, wasm: WASM, zkey: ZKEY });
      console.log(`      proved in ${((performance.now() - started) / 1000).toFixed(2)} s (n = 100, N = ${N})`);
      assert.deepEqual(publicSignals, [input.context, input.dataCommitment]);
      assert.equal(await snarkjs.groth16.verify(vkey, publicSignals, proof), true);
      assert.equal(await snarkjs.groth16.verify(vkey, [publicSignals[0]!, "1"], proof), false);
      assert.equal(await snarkjs.groth16.verify(vkey, [(BigInt(publicSignals[0]!) + 1n).toString(), publicSignals[1]!], proof), false);
      await terminateSnarkjsWorkers();
    });
  });

  describe("claimRefund with the Groth16 verifier", () => {
    let m: Awaited<ReturnType<typeof connectMarket>>;

    before(async () => {
      m = await connectMarket();
    });

    async function deploy() {
      const { viem, accounts } = m;
      const registry = await viem.deployContract("ModelRegistry", [accounts.deployer.account.address]);
      const verifier256 = await viem.deployContract(`DisputeVerifier${N}`);
      const { size, features, featureBits } = DISPUTE_FEATURE_CIRCUIT;
      const featureVerifier = await viem.deployContract(`DisputeVerifier${size}F${features}`);
      const featureCircuit = { maxSamples: size, maxFeatures: features, maxFeatureBits: featureBits, verifier: featureVerifier.address };
      const router = await viem.deployContract("DisputeVerifierRouter", [[N], [verifier256.address], featureCircuit]);
      const anyVerifier = await viem.deployContract("AnySignalsVerifier");
    const market = await viem.deployContract("ModelMarket", [registry.address, router.address, WINDOWS, standInDisputesConfig(anyVerifier.address)]);
      await registry.write.list([{ ...m.terms(), task: WIDE_TASK }, m.offer()], { account: accounts.seller.account });
      return { registry, verifier256, router, market, listingId: await registry.read.listingCount() };
    }
    const load = () => m.networkHelpers.loadFixture(deploy);
    type Contracts = Awaited<ReturnType<typeof deploy>>;

    /** Opens a test-drive of `set` as `buyer`, committed with the SDK, and records the worker's receipt. */
    async function evaluated(c: Contracts, set: BuyerSet, buyer = m.accounts.buyer) {
      const commitment = toHex(dataCommitment(set), { size: 32 });
      await c.market.write.openTest([c.listingId, commitment, set.labels.length], {
        account: buyer.account,
        value: POLICY.deposit + exampleTestFee(set.labels.length),
      });
      const testId = (await c.market.getEvents.TestOpened({}, { fromBlock: 0n })).at(-1)!.args.testId!;
      await c.market.write.recordReceipt([testId, RESULT], { account: m.accounts.worker.account });
      assert.equal(await c.market.read.testStatus([testId]), TEST_STATUS.Evaluated);
      return testId;
    }

    /** The circuit input for `set` against test `testId`'s on-chain context (optionally bound to another buyer). */
    async function inputFor(c: Contracts, testId: bigint, set: BuyerSet, boundTo?: Address) {
      const { tag, ...fields } = unpackDisputeContext(await c.market.read.disputeContext([testId]));
      const chainId = BigInt(await m.publicClient.getChainId());
      const source: DisputeWitnessSource = {
        ...set,
        fields,
        tag: boundTo === undefined ? tag : bindingTag(chainId, c.market.address, testId, boundTo),
      };
      return disputeCircuitInput(source, N);
    }

    async function prove(c: Contracts, testId: bigint, set: BuyerSet, boundTo?: Address): Promise<MarketGroth16Proof> {
      return (await proveDispute({ input: await inputFor(c, testId, set, boundTo), wasm: WASM, zkey: ZKEY })).calldata;
    }

    const claim = (c: Contracts, testId: bigint, proof: MarketGroth16Proof, account = m.accounts.buyer) =>
      c.market.write.claimRefund([testId, proof], { account: account.account });

    it("refunds the deposit, less the free samples' fee, for a real proof (and measures claimRefund's gas)", async () => {
      const c = await load();
      const set = buyerSet(100, 70); // 70% < the claimed 90%
      const testId = await evaluated(c, set);
      const proof = await prove(c, testId, set);
      assert.equal(await c.router.read.maxSampleCount([WIDE_TASK.featureCount, WIDE_TASK.featureBits]), N);

      const { buyer } = m.accounts;
      const before = await m.publicClient.getBalance({ address: buyer.account.address });
      const marketBefore = await m.publicClient.getBalance({ address: c.market.address });
      const hash = await claim(c, testId, proof);
      const receipt = await m.publicClient.waitForTransactionReceipt({ hash });
      assert.equal(receipt.status, "success");
      const gasCost = receipt.gasUsed * receipt.effectiveGasPrice;
      const { toBuyer, toSeller } = refundSharesFor(100);
      assert.equal(toSeller, 100n * POLICY.feePerExtraSample, "100 samples, all free: the seller is paid for each");
      assert.equal(await m.publicClient.getBalance({ address: buyer.account.address }), before + toBuyer - gasCost);
      assert.equal(await m.publicClient.getBalance({ address: c.market.address }), marketBefore - toBuyer);
      assert.equal(await c.market.read.owed([m.accounts.seller.account.address]), toSeller);
      assert.equal(await c.market.read.testStatus([testId]), TEST_STATUS.Closed);
      console.log(`      claimRefund with the Groth16 verifier (router + DisputeVerifier${N}): ${receipt.gasUsed} gas`);
    });

    it("a refund of a test within the free allowance pays the seller the fee of every sample (issue #10, always-fix 1)", async () => {
      const c = await load();
      const n = 60; // <= freeSamples: openTest charges no fee, the receipt pays none
      assert.ok(n <= POLICY.freeSamples);
      assert.equal(exampleTestFee(n), 0n);
      const set = buyerSet(n, 0); // a proof exists against any model: predictions are bound to nothing
      const testId = await evaluated(c, set);
      const { buyer, seller, mallory } = m.accounts;
      assert.equal(await c.market.read.owed([seller.account.address]), 0n, "the seller got nothing for the queries at the receipt");
      const proof = await prove(c, testId, set);
      const freeFee = BigInt(n) * POLICY.feePerExtraSample;
      assert.deepEqual(refundSharesFor(n), { freeSamplesFee: freeFee, toBuyer: POLICY.deposit - freeFee, toSeller: freeFee });
      const marketBefore = await m.publicClient.getBalance({ address: c.market.address });
      await claim(c, testId, proof, mallory); // anyone may submit the buyer's proof
      assert.equal(await c.market.read.owed([seller.account.address]), freeFee, "the seller is paid n * feePerExtraSample");
      assert.equal(await c.market.read.owed([buyer.account.address]), POLICY.deposit - freeFee, "the buyer gets the deposit less that fee");
      assert.equal(await c.market.read.owed([mallory.account.address]), 0n);
      assert.equal(await m.publicClient.getBalance({ address: c.market.address }), marketBefore, "both payouts credited, nothing sent");
      const [closed] = await c.market.getEvents.TestClosed({ testId }, { fromBlock: 0n });
      assert.equal(closed?.args.outcome, TEST_PHASE.Refunded);
      assert.equal(closed?.args.toBuyer, POLICY.deposit - freeFee);
      assert.equal(closed?.args.toSeller, freeFee);
    });

    it("has no witness when the accuracy reaches the claim", async () => {
      const c = await load();
      // circom's witness calculator reports the failed assert on the console before throwing.
      const consoleError = console.error;
      console.error = () => {};
      try {
        for (const correct of [90, 100]) {
          const set = buyerSet(100, correct);
          const testId = await evaluated(c, set);
          await assert.rejects(prove(c, testId, set), /Assert Failed/);
        }
      } finally {
        console.error = consoleError;
      }
    });

    it("refuses a proof made for another test-drive, another buyer or another commitment", async () => {
      const c = await load();
      const { alice, mallory } = m.accounts;
      const set = buyerSet(60, 30);
      const first = await evaluated(c, set);
      const second = await evaluated(c, set); // the same test set, committed again
      const byAlice = await evaluated(c, set, alice);
      // Another test id: the proof for `second`, sent for `first`.
      await m.viem.assertions.revertWithCustomErrorWithArgs(claim(c, first, await prove(c, second, set)), c.market, "TestDrivesInvalidProof", [first]);
      // Another buyer: a proof bound to mallory (or to alice's test) for the buyer's test.
      await m.viem.assertions.revertWithCustomErrorWithArgs(
        claim(c, first, await prove(c, first, set, mallory.account.address)),
        c.market,
        "TestDrivesInvalidProof",
        [first],
      );
      await m.viem.assertions.revertWithCustomErrorWithArgs(
        claim(c, byAlice, await prove(c, first, set), alice),
        c.market,
        "TestDrivesInvalidProof",
        [byAlice],
      );
      // Wrong public inputs: a valid proof for a different commitment (another salt), same context.
      const other = { ...set, salt: set.salt + 1n };
      await m.viem.assertions.revertWithCustomErrorWithArgs(claim(c, first, await prove(c, first, other)), c.market, "TestDrivesInvalidProof", [first]);
      // Each test-drive still refunds with its own proof.
      await claim(c, first, await prove(c, first, set));
      await claim(c, byAlice, await prove(c, byAlice, set), alice);
    });

    it("refuses a replayed proof", async () => {
      const c = await load();
      const set = buyerSet(50, 10);
      const testId = await evaluated(c, set);
      const proof = await prove(c, testId, set);
      await claim(c, testId, proof);
      await m.viem.assertions.revertWithCustomErrorWithArgs(claim(c, testId, proof), c.market, "TestDrivesInvalidStatus", [
        testId,
        TEST_STATUS.Closed,
      ]);
    });

    it("refuses a tampered proof", async () => {
      const c = await load();
      const set = buyerSet(80, 40);
      const testId = await evaluated(c, set);
      const proof = await prove(c, testId, set);
      const { a, b, c: pc } = proof;
      const tampered: MarketGroth16Proof[] = [
        { ...proof, a: [a[0] + 1n, a[1]] }, // not on the curve
        { ...proof, c: [pc[0], pc[1] + 1n] },
        { ...proof, b: [b[1], b[0]] },
        { ...proof, b: [[b[0][1], b[0][0]], b[1]] }, // snarkjs's coordinate order, unswapped
        { ...proof, a: pc, c: a }, // valid points, wrong roles
      ];
      for (const bad of tampered) {
        await assert.rejects(claim(c, testId, bad), /TestDrivesInvalidProof|revert/);
      }
      await claim(c, testId, proof);
    });

    it("refuses non-canonical encodings of a valid proof, which the generated verifier alone accepts", async () => {
      const c = await load();
      const set = buyerSet(80, 40);
      const testId = await evaluated(c, set);
      const proof = await prove(c, testId, set);
      const signals = [await c.market.read.disputeContext([testId]), BigInt(toHex(dataCommitment(set), { size: 32 }))] as const;
      const { a, b, c: pc } = proof;
      // snarkjs's verifier negates A with mod(sub(q, A.y), q) in 256-bit arithmetic: an A.y' ≥ q
      // with A.y' ≡ A.y + 2^256 (mod q) wraps to the same negation, so it is the same proof to
      // that verifier, while snarkjs.groth16.verify (and so the audit) rejects it.
      const wrap = 2n ** 256n % BASE_FIELD;
      const shifted = [0n, 1n, 2n, 3n, 4n, 5n]
        .map((t) => a[1] + wrap + t * BASE_FIELD)
        .filter((y) => y >= BASE_FIELD && y < 2n ** 256n)
        .map((y) => ({ ...proof, a: [a[0], y] as const }));
      assert.ok(shifted.length >= 4, `${shifted.length} non-canonical encodings`);
      for (const bad of shifted) {
        assert.equal(await c.verifier256.read.verifyProof([bad.a, bad.b, bad.c, signals]), true, "the attack works against the generated verifier");
        assert.equal(await c.router.read.verifyProof([bad.a, bad.b, bad.c, signals]), false);
        await m.viem.assertions.revertWithCustomErrorWithArgs(claim(c, testId, bad), c.market, "TestDrivesInvalidProof", [testId]);
      }
      // Every other coordinate at or above q is refused too.
      const others: MarketGroth16Proof[] = [
        { ...proof, a: [a[0] + BASE_FIELD, a[1]] },
        { ...proof, b: [[b[0][0] + BASE_FIELD, b[0][1]], b[1]] },
        { ...proof, b: [b[0], [b[1][0], b[1][1] + BASE_FIELD]] },
        { ...proof, c: [pc[0], pc[1] + BASE_FIELD] },
      ];
      for (const bad of others) assert.equal(await c.router.read.verifyProof([bad.a, bad.b, bad.c, signals]), false);
      await claim(c, testId, proof);
      assert.equal(await c.market.read.testStatus([testId]), TEST_STATUS.Closed);
    });

    it("refuses to open a test-drive larger than every circuit, whose deposit could never be refunded by proof", async () => {
      const c = await load();
      const set = buyerSet(N + 1, 0);
      assert.equal(await c.router.read.verifierFor([BigInt(N + 1), BigInt(WIDE_TASK.featureCount), BigInt(WIDE_TASK.featureBits)]), ZERO_ADDRESS);
      await m.viem.assertions.revertWithCustomErrorWithArgs(
        c.market.write.openTest([c.listingId, toHex(dataCommitment(set), { size: 32 }), N + 1], {
          account: m.accounts.buyer.account,
          value: POLICY.deposit + exampleTestFee(N + 1),
        }),
        c.market,
        "TestDrivesNotDisputable",
        [N + 1, N],
      );
      assert.equal(await c.market.read.testStatus([1n]), TEST_STATUS.None);
    });
  });

  describe("DisputeVerifierRouter", () => {
    let m: Awaited<ReturnType<typeof connectMarket>>;
    before(async () => {
      m = await connectMarket();
    });

    /** Stand-in verifiers: three digest-only sizes and a feature circuit of 50 samples of 8 features of 16 bits. */
    async function deployRouter() {
      const [v1, v2, v3, vf] = await Promise.all([1, 2, 3, 4].map(() => m.viem.deployContract("SignalBoundVerifier")));
      const featureCircuit = { maxSamples: 50, maxFeatures: 8, maxFeatureBits: 16, verifier: vf!.address };
      const router = await m.viem.deployContract("DisputeVerifierRouter", [[10, 100, 1000], [v1!.address, v2!.address, v3!.address], featureCircuit]);
      return { router, v1: v1!, v2: v2!, v3: v3!, vf: vf!, featureCircuit };
    }
    const context = (n: bigint, featureCount: bigint, featureBits: bigint): bigint => 9000n | (n << 16n) | (featureBits << 64n) | (featureCount << 72n);

    it("sends listings with many features to the smallest digest-only size that holds the sample count", async () => {
      const { router, v1, v2, v3 } = await deployRouter();
      const cases: [number, Address | undefined][] = [[0, v1.address], [1, v1.address], [10, v1.address], [11, v2.address], [100, v2.address], [101, v3.address], [1000, v3.address], [1001, undefined]];
      for (const [n, expected] of cases) {
        for (const [featureCount, featureBits] of [[9, 8], [784, 32]] as const) {
          const got = await router.read.verifierFor([BigInt(n), BigInt(featureCount), BigInt(featureBits)]);
          assert.equal(got.toLowerCase(), (expected ?? ZERO_ADDRESS).toLowerCase(), `n = ${n}, ${featureCount} features`);
        }
      }
      assert.equal(await router.read.maxSampleCount([9, 8]), 1000);
      assert.equal(await router.read.maxSampleCount([2 ** 32 - 1, 32]), 1000);
      const [sizes, verifiers] = await router.read.circuits();
      assert.deepEqual(sizes, [10, 100, 1000]);
      assert.deepEqual(verifiers.map((v) => v.toLowerCase()), [v1, v2, v3].map((v) => v.address.toLowerCase()));
      // The proof reaches the verifier of the chosen size with the signals unchanged.
      const signals = [context(50n, 784n, 8n), 7n] as const;
      const a0 = await v2.read.proofFor([signals]);
      const proof = [[a0, 0n], [[0n, 0n], [0n, 0n]], [0n, 0n]] as const;
      assert.equal(await router.read.verifyProof([...proof, signals]), true);
      assert.equal(await router.read.verifyProof([...proof, [context(5000n, 784n, 8n), 7n]]), false); // too large
    });

    it("sends every listing with few features to the feature circuit, and nowhere else", async () => {
      const { router, v1, vf, featureCircuit } = await deployRouter();
      const stored = await router.read.featureCircuit();
      assert.deepEqual({ ...stored, verifier: stored.verifier.toLowerCase() }, { ...featureCircuit, verifier: featureCircuit.verifier.toLowerCase() });
      for (const [n, featureCount, featureBits, expected] of [
        [1, 1, 1, vf.address],
        [10, 8, 16, vf.address], // 10 samples fit the digest-only size 10 too: the feature circuit still proves it
        [50, 4, 12, vf.address],
        [51, 4, 12, undefined], // more samples than the feature circuit holds
        [10, 8, 17, undefined], // features wider than it checks
        [10, 9, 16, v1.address],
      ] as const) {
        const got = await router.read.verifierFor([BigInt(n), BigInt(featureCount), BigInt(featureBits)]);
        assert.equal(got.toLowerCase(), (expected ?? ZERO_ADDRESS).toLowerCase(), `n = ${n}, ${featureCount} x ${featureBits} bits`);
      }
      assert.equal(await router.read.maxSampleCount([8, 16]), 50);
      assert.equal(await router.read.maxSampleCount([1, 1]), 50);
      assert.equal(await router.read.maxSampleCount([8, 17]), 0);
      // With the real feature verifier behind it, a stand-in proof the digest-only verifier
      // accepts is refused for a 4-feature listing, and still accepted for a 9-feature one.
      const real = await m.viem.deployContract(`DisputeVerifier${DISPUTE_FEATURE_CIRCUIT.size}F${DISPUTE_FEATURE_CIRCUIT.features}`);
      const strict = await m.viem.deployContract("DisputeVerifierRouter", [[10], [v1.address], { ...featureCircuit, verifier: real.address }]);
      for (const [featureCount, expected] of [[4n, false], [9n, true]] as const) {
        const signals = [context(10n, featureCount, 12n), 7n] as const;
        const digestProof = [[await v1.read.proofFor([signals]), 0n], [[0n, 0n], [0n, 0n]], [0n, 0n]] as const;
        assert.equal(await v1.read.verifyProof([...digestProof, signals]), true);
        assert.equal(await strict.read.verifyProof([...digestProof, signals]), expected, `${featureCount} features`);
      }
    });

    it("rejects bad constructor input", async () => {
      const v = await m.viem.deployContract("SignalBoundVerifier");
      const fc = { maxSamples: 1, maxFeatures: 1, maxFeatureBits: 16, verifier: v.address };
      const deploy = (sizes: number[], verifiers: Address[], feature = fc) => m.viem.deployContract("DisputeVerifierRouter", [sizes, verifiers, feature]);
      const router = await deploy([1], [v.address]);
      const five = [1, 2, 3, 4, 5];
      await m.viem.assertions.revertWithCustomErrorWithArgs(deploy([], []), router, "DisputeVerifierRouterBadCount", [0n]);
      await m.viem.assertions.revertWithCustomErrorWithArgs(deploy(five, five.map(() => v.address)), router, "DisputeVerifierRouterBadCount", [5n]);
      await m.viem.assertions.revertWithCustomErrorWithArgs(deploy([1, 2], [v.address]), router, "DisputeVerifierRouterLengthMismatch", [2n, 1n]);
      await m.viem.assertions.revertWithCustomErrorWithArgs(deploy([0], [v.address]), router, "DisputeVerifierRouterSizesNotAscending", [0n]);
      await m.viem.assertions.revertWithCustomErrorWithArgs(deploy([5, 5], [v.address, v.address]), router, "DisputeVerifierRouterSizesNotAscending", [1n]);
      await m.viem.assertions.revertWithCustomErrorWithArgs(deploy([5, 4], [v.address, v.address]), router, "DisputeVerifierRouterSizesNotAscending", [1n]);
      await m.viem.assertions.revertWithCustomErrorWithArgs(deploy([5], [m.accounts.alice.account.address]), router, "DisputeVerifierRouterNotAContract", [0n]);
      for (const bad of [{ maxSamples: 0 }, { maxFeatures: 0 }, { maxFeatureBits: 0 }, { verifier: m.accounts.alice.account.address }]) {
        const feature = { ...fc, ...bad };
        await assert.rejects(deploy([5], [v.address], feature), /DisputeVerifierRouterBadFeatureCircuit/);
      }
    });
  });
});
