/**
 * Where an evaluation's memory goes, step by step (issue #14's 4 GB target): one batch of a
 * model evaluated in this process, with, at the start of every step (and at the end), the
 * process's resident memory, the resident part of each WebAssembly memory (SEAL's heap, the
 * residue kernel's: read from /proc/self/smaps, as neither module exports its memory's size
 * but the kernel) and the kernel memory's size. A WebAssembly memory never shrinks, so its
 * resident size at a step's start is its high-water mark up to there.
 *
 * Usage: node scripts/bench/heMemory.ts <model> [--budget-mib=N]  (a bench model of heModels.ts,
 * e.g. mnist-cryptonets; --budget-mib: the engine's memory budget, EvaluateOptions.memoryBudgetBytes)
 * Linux only (smaps). Prints one line per step; writes nothing.
 */
import { readFileSync } from "node:fs";
import { BuyerSession, summarizePlan } from "@modelbazaar/sdk/he";
import { evaluateUpload, type LayerTiming } from "../../offchain-worker/src/he/engine/evaluateUpload.ts";
import { createEngineRuntime } from "../../offchain-worker/src/he/engine/runtime.ts";
import { loadBenchModel } from "./heModels.ts";

const MIB = 2 ** 20;

/**
 * Resident MiB of each WebAssembly memory: V8 maps a memory's accessible pages read-write and
 * reserves the rest of its 8 GiB and more right after them, inaccessible.
 */
function wasmResidentMiB(): number[] {
  const mappings: { start: bigint; end: bigint; access: string; rss: number }[] = [];
  for (const line of readFileSync("/proc/self/smaps", "utf8").split("\n")) {
    const range = /^([0-9a-f]+)-([0-9a-f]+) (\S+) /.exec(line);
    if (range) mappings.push({ start: BigInt(`0x${range[1]}`), end: BigInt(`0x${range[2]}`), access: range[3]!, rss: 0 });
    const rss = /^Rss:\s+(\d+) kB/.exec(line);
    if (rss) mappings.at(-1)!.rss = Number(rss[1]);
  }
  return mappings.flatMap((m, i) => {
    const next = mappings[i + 1];
    return m.access.startsWith("rw") && next?.start === m.end && next.access === "---p" && next.end - next.start > 4n * 2n ** 30n ? [Math.round(m.rss / 1024)] : [];
  });
}

const [name] = process.argv.slice(2).filter((arg) => !arg.startsWith("--"));
if (!name) {
  console.error("usage: node scripts/bench/heMemory.ts <model> [--budget-mib=N]");
  process.exit(2);
}
const budget = process.argv.find((arg) => arg.startsWith("--budget-mib="))?.split("=")[1];
const model = await loadBenchModel(name, 1);
const session = await BuyerSession.create(summarizePlan(model.plan));
const slots = session.he.parameters.polyModulusDegree / 2;
const features = new Float64Array(slots * model.plan.inputSize);
for (let s = 0; s < slots; ++s) features.set(model.data.features.subarray((s % model.data.sampleCount) * model.plan.inputSize, ((s % model.data.sampleCount) + 1) * model.plan.inputSize), s * model.plan.inputSize);
const upload = session.encryptTestSet(features, slots);
session.delete();
const runtime = await createEngineRuntime();
const kernelMiB = () => Math.round((runtime.contextFor(session.he.parameters).kernel?.view().byteLength ?? 0) / MIB);
const report = (step: string) =>
  console.log(`${step.padEnd(12)} rss ${Math.round(process.memoryUsage().rss / MIB)} MiB, wasm memories resident ${wasmResidentMiB().join(" + ")} MiB, kernel memory ${kernelMiB()} MiB`);
console.log(`${name}: one batch of ${slots} samples, upload ${Math.round(upload.length / MIB)} MiB, N=${session.he.parameters.polyModulusDegree}, [${session.he.parameters.coeffModulusBits.join(", ")}]`);
report("before");
const started = performance.now();
const timings: LayerTiming[] = [];
evaluateUpload(runtime, model.plan, upload, { paidSamples: slots, timings, onStep: (step) => report(step), ...(budget ? { memoryBudgetBytes: Number(budget) * MIB } : {}) });
report("end");
console.log(`thread CPU s per step: ${timings.map((t) => `${t.step} ${(t.cpuMs / 1000).toFixed(1)}`).join(", ")}`);
console.log(`evaluated in ${((performance.now() - started) / 1000).toFixed(1)} s; peak rss ${Math.round(process.resourceUsage().maxRSS / 1024)} MiB`);
