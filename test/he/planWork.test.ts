/**
 * The estimate prices linear layers on the path the engine takes (planWork.ts,
 * operationCosts.ts): on the residue kernel, a linear step counts the kernel's modular
 * multiply-adds (non-zero weights x ciphertext size x N x the level's primes), one read per
 * input it reads and one write per output, and no SEAL product or constant; on SEAL's
 * fallback, one product per weight as before. The two count the same terms: every SEAL
 * product (1.5 for a size-3 input) is 2 N L multiply-adds of the kernel. The costs are
 * measured for the operations the runtime will run. Structural: counts, never a clock.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { BuyerSession, chooseParameters, denseLinearLayer, summarizePlan } from "@modelbazaar/sdk/he";
import { priceBatch } from "../../offchain-worker/src/he/engine/batchEstimate.ts";
import { measureOperationCosts } from "../../offchain-worker/src/he/engine/operationCosts.ts";
import { planWork, type Operation, type WorkStep } from "../../offchain-worker/src/he/engine/planWork.ts";
import { createEngineRuntime } from "../../offchain-worker/src/he/engine/runtime.ts";
import { planOf, squares } from "./planFixtures.ts";

/**
 * 6 -> 4 with zero weights and a row of zeros (a constant output), its squares (lazily
 * relinearized: the next layer reads only them, so they reach it as size-3 ciphertexts), 8 -> 3.
 */
function sparseSquareNet() {
  const first = [0.5, 0, -0.25, 0, 0, 0.75, 0, 0, 0, 0, 0, 0, 1, 0.5, 0, 0, 0, -1, 0, 0, 0.25, 0, 0, 0];
  const second = [0, 0, 0, 0, 1, 0.5, 0, -1, 0, 0, 0, 0, 0.25, 0, 0.5, 0, 0, 0, 0, 0, 0, 0, 0, 1];
  return planOf(
    [denseLinearLayer(["first"], 6, 4, Float64Array.from(first), Float64Array.from([0.1, 0.2, 0, 0.3])), squares(4), denseLinearLayer(["second"], 8, 3, Float64Array.from(second), Float64Array.from([0, 0, 0.5]))],
    16,
  );
}

const total = (step: WorkStep, operation: Operation, level?: number): number =>
  step.operations.filter((o) => o.operation === operation && (level === undefined || o.level === level)).reduce((sum, o) => sum + o.count, 0);

describe("planWork: linear layers on the engine's path", () => {
  const plan = sparseSquareNet();
  const parameters = chooseParameters(summarizePlan(plan));
  const n = parameters.polyModulusDegree;
  const top = parameters.coeffModulusBits.length - 2;
  const kernel = planWork(plan, parameters, "residues");
  const seal = planWork(plan, parameters, "seal");
  const step = (steps: WorkStep[], name: string): WorkStep => steps.find((s) => s.step === name)!;

  it("counts the kernel's multiply-adds, one read per input read and one write per output, and no SEAL product", () => {
    const first = step(kernel, "linear 0");
    // 7 non-zero weights and the constant output's unit term, on size-2 inputs at the top level.
    assert.equal(total(first, "multiplyAdd", top), 8 * 2 * n * (top + 1));
    assert.equal(total(first, "readResidues", top), 4, "inputs 0, 1, 2, 5 read by weights (input 0 also carries the constant output), 3 and 4 by none");
    assert.equal(total(first, "writeResidues", top), 4);
    for (const operation of ["product", "constant"] as const) assert.equal(total(first, operation), 0, operation);
    assert.match(first.description, /^linear 6 -> 4, 8 products on the residue kernel$/);

    const second = step(kernel, "linear 2");
    const level = second.operations.find((o) => o.operation === "multiplyAdd")!.level;
    assert.equal(total(second, "multiplyAdd", level), 6 * 3 * n * (level + 1), "6 weights on size-3 squares: 3 polynomials each");
    assert.equal(total(second, "readResidues", level), 4 * 1.5, "each square read once, whatever its outputs");
    assert.equal(total(second, "writeResidues", level), 3 * 1.5);
  });

  it("keeps SEAL's per-weight products for the fallback, the same terms as the kernel's multiply-adds", () => {
    assert.deepEqual(
      seal.map((s) => s.description.replace(" on the residue kernel", "")),
      kernel.map((s) => s.description.replace(" on the residue kernel", "")),
    );
    const first = step(seal, "linear 0");
    assert.equal(total(first, "product", top), 8);
    assert.equal(total(first, "constant", top), 8 + 3, "one constant per product and per non-zero bias");
    for (const s of seal) for (const operation of ["multiplyAdd", "readResidues", "writeResidues"] as const) assert.equal(total(s, operation), 0, `${s.step}: ${operation}`);
    for (const name of ["linear 0", "linear 2"]) {
      const products = step(seal, name).operations.filter((o) => o.operation === "product");
      assert.equal(total(step(kernel, name), "multiplyAdd"), products.reduce((sum, o) => sum + o.count * 2 * n * (o.level + 1), 0), name);
    }
    const others = (steps: WorkStep[]) => steps.filter((s) => !s.step.startsWith("linear"));
    assert.deepEqual(others(kernel), others(seal), "only the linear steps differ");
  });
});

describe("operation costs: the operations of the runtime's linear path are measured", { timeout: 120_000 }, () => {
  it("times the kernel's operations at every level on the kernel, SEAL's products alone on the fallback", async () => {
    const plan = sparseSquareNet();
    const summary = summarizePlan(plan);
    const session = await BuyerSession.create(summary);
    for (const linearKernel of ["residues", "seal"] as const) {
      const runtime = await createEngineRuntime({ linearKernel });
      try {
        const engine = runtime.contextFor(chooseParameters(summary));
        const { cpuMs } = measureOperationCosts(session, engine);
        for (let level = 0; level <= engine.topLevel; ++level) {
          for (const operation of ["multiplyAdd", "readResidues", "writeResidues"] as const) {
            const cost = cpuMs[operation][level];
            if (linearKernel === "residues") assert.ok(cost !== undefined && cost > 0, `${operation} at level ${level}: ${cost}`);
            else assert.equal(cost, undefined, `${operation} at level ${level}`);
          }
          assert.ok(cpuMs.product[level]! > 0, "the mask is a SEAL product on both paths");
        }
        const linear = priceBatch(plan, engine, session).steps.find((s) => s.step === "linear 0")!;
        assert.equal(linear.description.endsWith("on the residue kernel"), linearKernel === "residues");
        assert.ok(linear.cpuSeconds > 0);
      } finally {
        runtime.delete();
      }
    }
    session.delete();
  });
});
