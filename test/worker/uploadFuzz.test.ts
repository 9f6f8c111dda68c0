/**
 * A property-based fuzzer of the upload container (fast-check), run against a live worker
 * whose upload inspection is the real one (fixtures/containerEvaluator.ts: the CKKS
 * evaluator's parser against the Iris plan; a container it accepts is evaluated by the
 * stand-in). Containers are generated field by field, each field either right for the model or
 * hostile (0, 2^32-1, off by one, random), with ciphertext length prefixes that lie, then cut
 * short, extended or bit-flipped. Every one, signed by the test's buyer, must be answered with
 * a 4xx or accepted (202), within a bound only a hang would break; afterwards the worker must
 * still answer /health and its memory must not have grown without bound. A bounded number of
 * cases with a fixed seed keeps it deterministic and fast enough for CI.
 */
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import fc from "fast-check";
import type { LocalAccount } from "viem";
import type { HeParameters } from "@modelbazaar/sdk/he";
import type { WorkerHandle } from "../../offchain-worker/src/startWorker.ts";
import { getJson, REAL_PARSER, workerFixture } from "./workerFixture.ts";

const CASES = 150;
const PAID_SAMPLES = 50;
/** Per answer: only a hang would take this long. */
const ANSWER_BOUND_MS = 15_000;
const MEMORY_GROWTH_BOUND = 256 * 2 ** 20;

interface Fields {
  version: number;
  kind: number;
  polyModulusDegree: number;
  scaleBits: number;
  maskScaleBits: number;
  chain: number[];
  relinKeys: { declared: number; bytes: Uint8Array };
  samples: number;
  features: number;
  slots: number;
  batchCount: number;
  ciphertexts: { declared: number; bytes: Uint8Array }[];
  tail: { kind: "none" } | { kind: "cut"; at: number } | { kind: "extend"; bytes: Uint8Array } | { kind: "flip"; at: number; bit: number };
}

/** A length-prefixed part whose prefix is usually its length, sometimes a lie. */
const part = (maxBytes: number) =>
  fc.uint8Array({ maxLength: maxBytes }).chain((bytes) =>
    fc.record({ declared: fc.oneof({ weight: 4, arbitrary: fc.constant(bytes.length) }, fc.constantFrom(0, bytes.length + 1, 0xffffffff), fc.nat()), bytes: fc.constant(bytes) }),
  );

/** A u32 field: right (`value`), at an edge, or anything. */
const u32 = (...right: number[]) =>
  fc.oneof({ weight: 6, arbitrary: fc.constantFrom(...right) }, fc.constantFrom(0, 1, 0x7fffffff, 0x80000000, 0xffffffff, ...right.map((v) => v + 1)), fc.nat({ max: 0xffffffff }));

function fieldsFor(p: HeParameters): fc.Arbitrary<Fields> {
  const u8 = (right: number) => fc.oneof({ weight: 6, arbitrary: fc.constant(right) }, fc.nat({ max: 255 }));
  return fc.record({
    version: fc.oneof({ weight: 8, arbitrary: fc.constant(1) }, fc.nat({ max: 0xffff })),
    kind: fc.oneof({ weight: 8, arbitrary: fc.constant(1) }, fc.constantFrom(0, 2, 0xffff)),
    polyModulusDegree: u32(p.polyModulusDegree),
    scaleBits: u8(p.scaleBits),
    maskScaleBits: u8(p.maskScaleBits),
    chain: fc.oneof({ weight: 6, arbitrary: fc.constant<number[]>([...p.coeffModulusBits]) }, fc.array(fc.nat({ max: 255 }), { maxLength: 8 })),
    relinKeys: part(64),
    samples: u32(1, 10, PAID_SAMPLES, PAID_SAMPLES + 1),
    features: u32(4, 0),
    slots: u32(p.polyModulusDegree / 2),
    batchCount: u32(1, 2),
    ciphertexts: fc.array(part(48), { maxLength: 10 }),
    tail: fc.oneof(
      { weight: 4, arbitrary: fc.constant({ kind: "none" as const }) },
      fc.record({ kind: fc.constant("cut" as const), at: fc.nat({ max: 400 }) }),
      fc.record({ kind: fc.constant("extend" as const), bytes: fc.uint8Array({ minLength: 1, maxLength: 32 }) }),
      fc.record({ kind: fc.constant("flip" as const), at: fc.nat({ max: 400 }), bit: fc.nat({ max: 7 }) }),
    ),
  });
}

/** The container's bytes (sdk/src/he/container.ts layout), every field as generated. */
function encode(fields: Fields): Uint8Array {
  const bytes: number[] = [...new TextEncoder().encode("MBHE")];
  const put = (value: number, size: 1 | 2 | 4) => {
    for (let i = 0; i < size; i++) bytes.push(Math.floor(value / 256 ** i) % 256);
  };
  put(fields.version, 2);
  put(fields.kind, 2);
  bytes.push(...new Uint8Array(32));
  put(fields.polyModulusDegree, 4);
  put(fields.scaleBits, 1);
  put(fields.maskScaleBits, 1);
  put(fields.chain.length, 1);
  bytes.push(...fields.chain);
  put(fields.relinKeys.declared, 4);
  bytes.push(...fields.relinKeys.bytes);
  for (const count of [fields.samples, fields.features, fields.slots, fields.batchCount]) put(count, 4);
  for (const ciphertext of fields.ciphertexts) {
    put(ciphertext.declared, 4);
    bytes.push(...ciphertext.bytes);
  }
  const out = Uint8Array.from(bytes);
  const { tail } = fields;
  if (tail.kind === "cut") return out.subarray(0, Math.min(tail.at, out.length));
  if (tail.kind === "extend") return Uint8Array.from([...out, ...tail.bytes]);
  if (tail.kind === "flip" && out.length > 0) out[tail.at % out.length]! ^= 1 << tail.bit;
  return out;
}

describe("upload container fuzzing against a live worker", async () => {
  const f = await workerFixture();
  let worker: WorkerHandle;
  let buyer: LocalAccount;
  let parameters: HeParameters;

  before(async () => {
    worker = await f.start({ evaluator: REAL_PARSER });
    buyer = await f.newBuyer();
    parameters = ((await getJson(worker, "/listings")).json.listings as { encryption: HeParameters }[])[0]!.encryption;
  });
  after(() => worker.close());

  it(`answers ${CASES} generated containers with a 4xx or 202, in time, and stays alive with bounded memory`, async () => {
    let testId = await f.openTest(buyer, PAID_SAMPLES);
    const statuses = new Map<number, number>();
    const rssBefore = process.memoryUsage().rss;
    await fc.assert(
      fc.asyncProperty(fieldsFor(parameters), async (fields) => {
        const body = encode(fields);
        const started = performance.now();
        const response = await f.upload(worker, testId, body, buyer);
        const took = performance.now() - started;
        statuses.set(response.status, (statuses.get(response.status) ?? 0) + 1);
        assert.ok(took < ANSWER_BOUND_MS, `a ${body.length}-byte container took ${Math.round(took)} ms`);
        assert.ok(response.status === 202 || (response.status >= 400 && response.status < 500), `${response.status} ${JSON.stringify(response.json)}`);
        if (response.status === 202) testId = await f.openTest(buyer, PAID_SAMPLES); // the test has its job: go on with a fresh one
      }),
      { numRuns: CASES, seed: 0x12, endOnFailure: true },
    );
    const health = await getJson(worker, "/health");
    assert.equal(health.status, 200, JSON.stringify(health.json));
    const grown = process.memoryUsage().rss - rssBefore;
    assert.ok(grown < MEMORY_GROWTH_BOUND, `memory grew by ${Math.round(grown / 2 ** 20)} MiB over the run`);
    assert.ok(statuses.size >= 2, `the generator reaches several answers: ${JSON.stringify([...statuses])}`);
  });
});
