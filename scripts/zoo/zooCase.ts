/**
 * One model of the zoo, end to end, in a process of its own (zooCheck.ts runs one per model,
 * with a deadline): compile it as `model check` and the worker do (calibrated on 1,000
 * samples), compare the plan in plain floating point with onnxruntime, then encrypt one full
 * batch as a buyer would, evaluate it in a separate process (zooEvaluation.ts) and decrypt.
 * Prints one JSON line: the row of docs/benchmarks/zoo.md.
 *
 * Usage: node scripts/zoo/zooCase.ts <model> [--max-upload-gib=N]
 */
import { fork } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { agreement, argmax, BuyerSession, chooseParameters, evaluatePlanPlain, summarizePlan, testDriveTraffic, type HePlan } from "@modelbazaar/sdk/he";
import { compileOnnx, type CompileReport } from "../../offchain-worker/src/he/compiler/index.ts";
import { loadMnist } from "../lib/datasets/mnist.ts";
import { SeededRng } from "../lib/datasets/seededRng.ts";
import { FLOAT, runModel } from "../lib/onnxGraph.ts";
import type { EvaluationReply, EvaluationRequest } from "./zooEvaluation.ts";
import { zooModel, type ZooModel } from "./zooModels.ts";

/** Samples the plan and the encrypted run are compared with onnxruntime on (and the calibration's size). */
const SAMPLES = 1000;

export interface ZooRow {
  readonly name: string;
  readonly family: ZooModel["family"];
  readonly covers: string;
  readonly compile: { readonly seconds: number } & ({ readonly status: "refused"; readonly message: string } | CompiledFacts);
  readonly he?: HeRun;
}

interface CompiledFacts {
  readonly status: "compiled";
  readonly depth: number;
  readonly layers: number;
  readonly nonzeroWeights: number;
  readonly maxMagnitude: number;
  readonly notes: readonly string[];
  /** The plan in plain float64 against onnxruntime, argmax over each sample's outputs. */
  readonly planAgreement: number;
}

export type HeRun =
  | { readonly status: "no-parameters" | "skipped" | "failed"; readonly reason: string; readonly evaluationPeakRssMB?: number }
  | {
      readonly status: "ran";
      readonly polyModulusDegree: number;
      readonly coeffModulusBits: readonly number[];
      readonly samples: number;
      readonly uploadBytes: number;
      readonly seconds: { readonly encrypt: number; readonly evaluate: number; readonly decrypt: number };
      /** Evaluation time per 1,000 samples of a full batch. */
      readonly evaluateSecondsPer1000: number;
      /** The evaluation's thread CPU seconds (what it costs whatever else runs on the machine). */
      readonly evaluateCpuSeconds?: number;
      readonly evaluationPeakRssMB: number;
      /** Argmax of the decrypted scores against onnxruntime's, on the first SAMPLES samples. */
      readonly agreement: number;
      /** Largest |decrypted - plan in plain float64|: the CKKS error. */
      readonly maxAbsError: number;
    };

interface Samples {
  readonly calibration: Float64Array;
  readonly test: Float64Array;
}

function samplesFor(model: ZooModel, width: number): Samples {
  if (model.data === "mnist") {
    const { train, test } = loadMnist();
    return { calibration: train.features.slice(0, SAMPLES * width), test: test.features.slice(0, SAMPLES * width) };
  }
  const [low, high] = model.inputRange ?? [-1, 1];
  const rng = new SeededRng(width);
  const draw = () => Float64Array.from({ length: SAMPLES * width }, () => low + (high - low) * rng.uniform());
  return { calibration: draw(), test: draw() };
}

function planScores(plan: HePlan, features: Float64Array): Float64Array {
  const scores = new Float64Array(SAMPLES * plan.outputSize);
  for (let s = 0; s < SAMPLES; s++) scores.set(evaluatePlanPlain(plan, features.subarray(s * plan.inputSize, (s + 1) * plan.inputSize)), s * plan.outputSize);
  return scores;
}

function evaluateElsewhere(request: EvaluationRequest): Promise<EvaluationReply> {
  const child = fork(new URL("./zooEvaluation.ts", import.meta.url), { serialization: "advanced" });
  return new Promise((resolve, reject) => {
    child.once("message", (reply: EvaluationReply) => resolve(reply));
    child.once("exit", (code, signal) => reject(new Error(`the evaluation process ended (${signal ?? `exit code ${code}`}) without a reply`)));
    child.send(request);
  });
}

async function encryptedRun(plan: HePlan, test: Float64Array, onnxArgmax: Int32Array, plain: Float64Array, maxUploadBytes: number): Promise<HeRun> {
  const summary = summarizePlan(plan);
  let parameters;
  try {
    parameters = chooseParameters(summary);
  } catch (error) {
    return { status: "no-parameters", reason: error instanceof Error ? error.message : String(error) };
  }
  const traffic = testDriveTraffic(summary, 1);
  const samples = traffic.slots;
  if (traffic.uploadBytes > maxUploadBytes) {
    return { status: "skipped", reason: `one batch uploads ${(traffic.uploadBytes / 2 ** 30).toFixed(1)} GiB (${traffic.ciphertexts} ciphertexts, one per input feature), above the ${(maxUploadBytes / 2 ** 30).toFixed(0)} GiB this run allows` };
  }
  // A full batch: the test samples over and over (the cost of a batch does not depend on how many of its slots are used).
  const features = new Float64Array(samples * plan.inputSize);
  for (let s = 0; s < samples; s++) features.set(test.subarray((s % SAMPLES) * plan.inputSize, ((s % SAMPLES) + 1) * plan.inputSize), s * plan.inputSize);
  const session = await BuyerSession.create(summary);
  const directory = mkdtempSync(join(tmpdir(), "modelbazaar-zoo-"));
  try {
    const t0 = performance.now();
    const upload = session.encryptTestSet(features, samples);
    const encrypt = (performance.now() - t0) / 1000;
    const uploadPath = join(directory, "upload.bin");
    const resultPath = join(directory, "result.bin");
    writeFileSync(uploadPath, upload);
    const reply = await evaluateElsewhere({ plan, uploadPath, resultPath, paidSamples: samples });
    if ("error" in reply) return { status: "failed", reason: reply.error, evaluationPeakRssMB: reply.peakRssMB };
    const t1 = performance.now();
    const result = readFileSync(resultPath);
    const scores = session.decryptResult(new Uint8Array(result.buffer, result.byteOffset, result.byteLength)).scores.subarray(0, SAMPLES * plan.outputSize);
    const decrypt = (performance.now() - t1) / 1000;
    let maxAbsError = 0;
    scores.forEach((value, i) => (maxAbsError = Math.max(maxAbsError, Math.abs(value - plain[i]!))));
    return {
      status: "ran",
      polyModulusDegree: parameters.polyModulusDegree,
      coeffModulusBits: parameters.coeffModulusBits,
      samples,
      uploadBytes: upload.byteLength,
      seconds: { encrypt, evaluate: reply.seconds, decrypt },
      evaluateSecondsPer1000: (reply.seconds * 1000) / samples,
      evaluateCpuSeconds: reply.timings.reduce((sum, step) => sum + step.cpuMs, 0) / 1000,
      evaluationPeakRssMB: reply.peakRssMB,
      agreement: agreement(argmax(scores, plan.outputSize), onnxArgmax),
      maxAbsError,
    };
  } finally {
    session.delete();
    rmSync(directory, { recursive: true, force: true });
  }
}

function compiledFacts(plan: HePlan, report: CompileReport, planAgreement: number): CompiledFacts {
  return { status: "compiled", depth: plan.depth, layers: plan.layers.length, nonzeroWeights: report.nonzeroWeights, maxMagnitude: plan.maxMagnitude, notes: report.notes, planAgreement };
}

export async function runZooCase(name: string, maxUploadBytes: number): Promise<ZooRow> {
  const model = zooModel(name);
  const row = { name, family: model.family, covers: model.covers };
  const bytes = model.build();
  const width = model.sampleShape.reduce((n, d) => n * d, 1);
  const { calibration, test } = samplesFor(model, width);
  const started = performance.now();
  let compiled;
  try {
    compiled = await compileOnnx(bytes, { calibration });
  } catch (error) {
    return { ...row, compile: { seconds: (performance.now() - started) / 1000, status: "refused", message: error instanceof Error ? error.message : String(error) } };
  }
  const seconds = (performance.now() - started) / 1000;
  const { plan, report } = compiled;
  const onnxScores = await runModel(bytes, model.inputName, test, [SAMPLES, ...model.sampleShape], FLOAT);
  const onnxArgmax = argmax(onnxScores, onnxScores.length / SAMPLES);
  const plain = planScores(plan, test);
  const compile = { seconds, ...compiledFacts(plan, report, agreement(argmax(plain, plan.outputSize), onnxArgmax)) };
  return { ...row, compile, he: await encryptedRun(plan, test, onnxArgmax, plain, maxUploadBytes) };
}

if (import.meta.main) {
  const [name] = process.argv.slice(2).filter((arg) => !arg.startsWith("--"));
  const gib = Number(process.argv.find((arg) => arg.startsWith("--max-upload-gib="))?.split("=")[1] ?? 2);
  if (!name) {
    console.error("usage: node scripts/zoo/zooCase.ts <model> [--max-upload-gib=N]");
    process.exit(2);
  }
  console.log(JSON.stringify(await runZooCase(name, gib * 2 ** 30)));
}
