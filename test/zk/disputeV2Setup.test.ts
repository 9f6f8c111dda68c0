/**
 * The checked-in Groth16 setups of the v2 dispute circuits (docs/DISPUTES.md §5, build-plan steps
 * 4, 5, 7a and 7b; written by `npm run zk:setup -- refund_256 open_256 refund_1024 open_1024
 * contest_linear_4x3 contest_squaremlp_iris contest_linear_784x10`): every artifact matches its transcript entry and
 * the entry the current circuit sources (compile.ts's inputsHash), the zkey passed
 * verifyFromR1cs, and the verification key has the circuit's public signal count. Then, per
 * circuit, one real proof from a valid witness built with the SDK's input builders (Refund(N)
 * and Open(N, 16), N = 256 and 1,024, on random test sets; the contests on real Iris and MNIST samples and the
 * shipped models' quantized plans) verifies with snarkjs against the checked-in verification key
 * and not for another public signal, and on-chain with the generated Solidity verifier as Hardhat
 * compiled it. Nothing here reruns the setup.
 */
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { network } from "hardhat";
import * as snarkjs from "snarkjs";
import { encodeAbiParameters, keccak256 } from "viem";
import { compileOnnx } from "../../offchain-worker/src/he/compiler/index.ts";
import { loadIris } from "../../scripts/lib/datasets/iris.ts";
import { loadMnist } from "../../scripts/lib/datasets/mnist.ts";
import { CONTEST_CIRCUITS, ROOT, publicSignalCount, type ContestCircuitName } from "../../scripts/zk/compile.ts";
import { ARTIFACTS_DIR, readTranscript, setupTarget, sha256File, type SetupCircuit } from "../../scripts/zk/setup.ts";
import {
  ContestKind,
  CONTEST_LINEAR_CIRCUITS,
  contestLinearInput,
  provableContest,
  type ContestCircuitInput,
  type SampleOpening,
  CONTEST_SQUARE_MLP_CIRCUITS,
  contestSquareMlpInput,
  planCommitment,
} from "@modelbazaar/sdk/disputes";
import { argmaxScore, quantizePlan, quantizedScores, scoreScaleBits } from "@modelbazaar/sdk/he";
import {
  challengeIndices,
  openCircuitInput,
  openPublicSignals,
  provableShortfall,
  refundCircuitInput,
  type RefundWitnessSource,
  sampleSalt,
  featuresPath,
  featuresRoot,
  quantizeFeatures,
  sampleDigest,
} from "@modelbazaar/sdk/testDrives";
import { terminateSnarkjsWorkers, toMarketProof } from "@modelbazaar/sdk/prover";
import { seededField } from "../helpers/zk.ts";

const N = 256;
const { randInt, randBits, randField } = seededField(20261220);

/** A circuit's input signals; snarkjs flattens nested arrays (a contest's rows and paths), which its typing omits. */
type InputSignals = Record<string, string | readonly string[] | readonly (readonly string[])[]>;

/** A valid input of a circuit and the public signals a proof of it must carry, in order. */
interface ValidInput {
  input: InputSignals;
  publicSignals: bigint[];
}

/** What a contest proof's public signals are (§5.3): the contract assembles them from the opening. */
const contestPublicSignals = (input: ContestCircuitInput): bigint[] =>
  [input.planCommitment, input.featuresRoot, input.meta, input.sigma, ...input.siblings, ...input.featureWords].map(BigInt);

/** A test set of n samples with `correct` right predictions, claiming the largest provable shortfall. */
function refundSource(n: number, correct: number): RefundWitnessSource {
  const labels = Array.from({ length: n }, () => randInt(10));
  const predictions = labels.map((label, i) => (i < correct ? label : (label + 1 + randInt(9)) % 10));
  const fields = { claimedAccuracyBps: 9000, sampleCount: n, classCount: 10, featureBits: 8, featureCount: 784, shortfallBps: provableShortfall(correct, n, 9000) };
  return { labels, predictions, featuresRoot: randField(), salt: randField(), fields, tag: randBits(128) };
}

/** The SDK's shape of a contest main, from the table of its family. */
function shapeOf<S>(table: Readonly<Record<string, S>>, circuit: ContestCircuitName): S {
  const shape = table[circuit];
  if (shape === undefined) throw new Error(`the SDK's table of this plan family has no circuit ${circuit}`);
  return shape;
}

/**
 * A true-mismatch contest on the first of `rows` (real samples, quantized to `featureBits`) where
 * the buyer's worst-scoring class, opened as its prediction, loses to the plan's class by more
 * than τ: the input the seller's prover builds for `circuit`.
 */
async function contestInput(
  circuit: ContestCircuitName,
  model: string,
  rows: number[][],
  { featureBits, tauBits }: { featureBits: number; tauBits: number },
): Promise<ValidInput> {
  const { plan: floatPlan } = await compileOnnx(readFileSync(join(ROOT, "models", `${model}.onnx`)));
  const plan = quantizePlan(floatPlan, { scaleBits: 8 });
  const planSalt = randField();
  const salt = randField();
  const featureCount = plan.inputSize;
  const features = quantizeFeatures(rows, { featureCount, featureBits, scaleBits: 8 });
  const sigmas = features.map((_, i) => sampleSalt(salt, i));
  const digests = features.map((row, i) => sampleDigest(i, row, sigmas[i]!, { featureCount, featureBits }));
  const root = featuresRoot(digests);
  const terms = { featureBits, toleranceQ: 1n << BigInt(scoreScaleBits(plan) - tauBits) };
  for (let j = 0; j < features.length; j++) {
    const scores = quantizedScores(plan, features[j]!, featureBits);
    const lie = scores.reduce((worst, s, k) => (s < scores[worst]! ? k : worst), 0);
    const opening: SampleOpening = { index: j, features: features[j]!, sigma: sigmas[j]!, siblings: featuresPath(digests, j), prediction: lie };
    const contest = provableContest(plan, root, opening, terms);
    if (contest?.kind !== ContestKind.Mismatch) continue;
    assert.equal(contest.cls, argmaxScore(scores));
    const source = { planSalt, planCommitment: planCommitment(plan, planSalt), featuresRoot: root, opening, terms, ...contest };
    const input =
      plan.family === "linear"
        ? contestLinearInput({ ...source, plan }, shapeOf(CONTEST_LINEAR_CIRCUITS, circuit))
        : contestSquareMlpInput({ ...source, plan }, shapeOf(CONTEST_SQUARE_MLP_CIRCUITS, circuit));
    assert.equal(contestPublicSignals(input).length, CONTEST_CIRCUITS[circuit].publicInputs);
    return { input, publicSignals: contestPublicSignals(input) };
  }
  throw new Error(`no sample of ${model} allows a true-mismatch contest`);
}

const irisRows = (): number[][] => {
  const { test } = loadIris();
  return Array.from({ length: test.sampleCount }, (_, s) => Array.from(test.features.subarray(s * 4, s * 4 + 4)));
};

/** The v2 circuits set up and checked in, their public signal counts, and a valid input of each. */
const V2_SETUPS: readonly { circuit: SetupCircuit; publicSignals: number; valid: () => Promise<ValidInput> }[] = [
  {
    circuit: { size: N, statement: "refund" },
    publicSignals: publicSignalCount({ size: N, statement: "refund" }),
    valid: async () => {
      const input = refundCircuitInput(refundSource(200, 150), N);
      return { input, publicSignals: [input.context, input.dataCommitment, input.predictionCommitment].map(BigInt) };
    },
  },
  {
    circuit: { size: N, statement: "open" },
    publicSignals: publicSignalCount({ size: N, statement: "open" }),
    valid: async () => {
      const n = 200;
      const seed = keccak256(encodeAbiParameters([{ type: "uint256" }], [BigInt(randInt(1 << 30))]));
      const source = { ...refundSource(n, 150), indices: challengeIndices(seed, n) };
      const input = openCircuitInput(source, N);
      return { input, publicSignals: openPublicSignals(input) };
    },
  },
  {
    circuit: { size: 1024, statement: "refund" },
    publicSignals: publicSignalCount({ size: 1024, statement: "refund" }),
    valid: async () => {
      const input = refundCircuitInput(refundSource(300, 220), 1024);
      return { input, publicSignals: [input.context, input.dataCommitment, input.predictionCommitment].map(BigInt) };
    },
  },
  {
    circuit: { size: 1024, statement: "open" },
    publicSignals: publicSignalCount({ size: 1024, statement: "open" }),
    valid: async () => {
      const n = 300;
      const seed = keccak256(encodeAbiParameters([{ type: "uint256" }], [BigInt(randInt(1 << 30))]));
      const input = openCircuitInput({ ...refundSource(n, 220), indices: challengeIndices(seed, n) }, 1024);
      return { input, publicSignals: openPublicSignals(input) };
    },
  },
  {
    circuit: "contest_linear_4x3",
    publicSignals: CONTEST_CIRCUITS.contest_linear_4x3.publicInputs,
    // τ = 2^-8 score units (Iris 12-bit features), as test/circuits/contestLinear.test.ts.
    valid: () => contestInput("contest_linear_4x3", "iris-logreg", irisRows(), { featureBits: 12, tauBits: 8 }),
  },
  {
    circuit: "contest_squaremlp_iris",
    publicSignals: CONTEST_CIRCUITS.contest_squaremlp_iris.publicInputs,
    // τ = 2^-6 (the square makes errors grow), as test/circuits/contestSquareMlp.test.ts.
    valid: () => contestInput("contest_squaremlp_iris", "iris-square-mlp", irisRows(), { featureBits: 12, tauBits: 6 }),
  },
  {
    circuit: "contest_linear_784x10",
    publicSignals: CONTEST_CIRCUITS.contest_linear_784x10.publicInputs,
    valid: () => {
      const { test } = loadMnist();
      const rows = Array.from({ length: 32 }, (_, s) => Array.from(test.features.subarray(s * 784, (s + 1) * 784)));
      // MNIST listings encode 10-bit features (scale 2^8); τ = 2^-8 as test/sdk/quantizedPlan.test.ts.
      return contestInput("contest_linear_784x10", "mnist-logreg", rows, { featureBits: 10, tauBits: 8 });
    },
  },
];

describe("v2 dispute circuits: the checked-in Groth16 setups", () => {
  after(terminateSnarkjsWorkers);
  const transcript = readTranscript();

  describe("artifacts, transcript and circuit sources agree", () => {
    for (const { circuit, publicSignals } of V2_SETUPS) {
      const target = setupTarget(circuit);
      it(`${target.key}: artifacts match the transcript, the transcript the circuit sources; verifyFromR1cs ran`, () => {
        const t = transcript?.sizes[target.key];
        assert.ok(t, `no setup of ${target.key} in circuits/artifacts/transcript.json: run npm run zk:setup -- ${target.key}`);
        for (const file of [t.wasm, t.zkey, t.verificationKey, t.verifier]) {
          assert.equal(sha256File(join(ROOT, file.path)), file.sha256, `${file.path} differs from the transcript: rerun npm run zk:setup -- ${target.key}`);
        }
        assert.equal(t.zkey.path, `circuits/artifacts/${target.name}/${target.name}.zkey`);
        assert.equal(t.inputsHash, target.inputsHash(), `the circuit changed since the setup of ${target.key}: rerun npm run zk:setup -- ${target.key}`);
        assert.equal(t.verifyFromR1cs, true);
        assert.ok(2 ** t.ptau.power >= t.constraints + publicSignals + 1, `2^${t.ptau.power} powers for ${t.constraints} constraints`);
        assert.deepEqual(typeof circuit === "string" ? { contest: t.contest } : { size: t.size, statement: t.statement }, target.record);
        assert.equal(t.verifier.contract, target.contract);
        assert.equal(t.verifier.path, `contracts/verifiers/${target.contract}.sol`);
        const verifier = readFileSync(join(ROOT, t.verifier.path), "utf8");
        assert.match(verifier, /GENERATED FILE - DO NOT EDIT/);
        assert.match(verifier, new RegExp(`\`npm run zk:setup -- ${target.key}\``));
        assert.match(verifier, new RegExp(`^contract ${target.contract} \\{`, "m"));
        assert.match(verifier, new RegExp(`uint\\[${publicSignals}\\] calldata _pubSignals`));
        assert.match(t.phase2.beacon.hash, /^[0-9a-f]{64}$/);
        const vkey = JSON.parse(readFileSync(join(ROOT, t.verificationKey.path), "utf8")) as snarkjs.Groth16VerificationKey;
        assert.equal(vkey.protocol, "groth16");
        assert.equal(vkey.curve, "bn128");
        assert.equal(vkey.nPublic, publicSignals);
      });
    }
  });

  describe("a real proof of each verifies off-chain and on-chain", () => {
    let viem: Awaited<ReturnType<typeof network.create>>["viem"];
    before(async () => {
      ({ viem } = await network.create());
    });

    for (const { circuit, publicSignals, valid } of V2_SETUPS) {
      const target = setupTarget(circuit);
      it(`${target.key}: a proof from the SDK's input verifies, and not for another public signal`, async () => {
        const { input, publicSignals: expected } = await valid();
        assert.equal(expected.length, publicSignals);
        const dir = join(ARTIFACTS_DIR, target.name);
        const started = performance.now();
        const { proof, publicSignals: signals } = await snarkjs.groth16.fullProve(input as snarkjs.CircuitSignals, join(dir, `${target.name}.wasm`), join(dir, `${target.name}.zkey`));
        const seconds = (performance.now() - started) / 1000;
        assert.deepEqual(signals.map(BigInt), expected);

        const vkey = JSON.parse(readFileSync(join(dir, "verification_key.json"), "utf8")) as snarkjs.Groth16VerificationKey;
        assert.equal(await snarkjs.groth16.verify(vkey, signals, proof), true);
        const tampered = [...signals];
        tampered[0] = (BigInt(tampered[0]!) + 1n).toString();
        assert.equal(await snarkjs.groth16.verify(vkey, tampered, proof), false);
        await terminateSnarkjsWorkers();

        // The verifier contract as Hardhat built it from contracts/verifiers/.
        const verifier = await viem.deployContract(target.contract);
        const client = await viem.getPublicClient();
        const { a, b, c } = toMarketProof(proof);
        const verifies = (pub: readonly string[]): Promise<unknown> =>
          client.readContract({ address: verifier.address, abi: verifier.abi, functionName: "verifyProof", args: [a, b, c, pub.map(BigInt)] });
        assert.equal(await verifies(signals), true);
        assert.equal(await verifies(tampered), false);
        const gas = await client.estimateContractGas({ address: verifier.address, abi: verifier.abi, functionName: "verifyProof", args: [a, b, c, signals.map(BigInt)] });
        console.log(
          `      ${target.key}: proved in ${seconds.toFixed(2)} s (witness + proof, Node); ${target.contract} accepts its ${publicSignals} public signals, ${gas} gas as a transaction`,
        );
      });
    }
  });
});
