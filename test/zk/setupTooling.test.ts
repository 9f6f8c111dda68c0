/**
 * The setup's tooling around the checked-in artifacts: where a setup writes (the shipped layout,
 * or `--out` for benchmark-only circuits), the verifier it renders, the solc compilation bench:zk
 * deploys from, and zk:setup's refusals of bad arguments. The setup itself is not rerun here.
 */
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, it } from "node:test";
import { promisify } from "node:util";
import { ROOT } from "../../scripts/zk/compile.ts";
import { ARTIFACTS_DIR, BENCH_SETUP_LAYOUT, SHIPPED_LAYOUT, layoutUnder, readTranscript, solidityVerifier } from "../../scripts/zk/setup.ts";
import { compileVerifier } from "../../scripts/lib/compileVerifier.ts";
import { terminateSnarkjsWorkers } from "../../sdk/src/prover/disputeProof.ts";

const run = promisify(execFile);
/** Runtime bytecode without solc's CBOR metadata tail (its length is the last two bytes). */
const withoutMetadata = (hex: string): string => hex.slice(0, hex.length - 2 * (Number.parseInt(hex.slice(-4), 16) + 2));

describe("zk setup tooling", () => {
  const scratch = mkdtempSync(join(tmpdir(), "mb-setup-"));
  after(async () => {
    rmSync(scratch, { recursive: true, force: true });
    await terminateSnarkjsWorkers();
  });

  it("writes shipped setups into the repository and benchmark-only ones under --out", () => {
    assert.equal(SHIPPED_LAYOUT.artifactsDir, ARTIFACTS_DIR);
    assert.equal(SHIPPED_LAYOUT.verifiersDir, join(ROOT, "contracts", "verifiers"));
    assert.equal(SHIPPED_LAYOUT.transcriptFile, join(ARTIFACTS_DIR, "transcript.json"));
    const out = layoutUnder(scratch);
    assert.deepEqual(out, {
      artifactsDir: join(scratch, "artifacts"),
      verifiersDir: join(scratch, "verifiers"),
      transcriptFile: join(scratch, "artifacts", "transcript.json"),
    });
    assert.equal(readTranscript(out), undefined);
    // The bench-only setups stay in the gitignored build directory, out of Hardhat's sources.
    assert.ok(BENCH_SETUP_LAYOUT.artifactsDir.startsWith(join(ROOT, "circuits", "build")));
  });

  it("renders a verifier whose banner names how to regenerate it, --out included", async () => {
    const zkey = join(ARTIFACTS_DIR, "dispute_256", "dispute_256.zkey");
    const shipped = await solidityVerifier(zkey, 256);
    assert.equal(shipped, readFileSync(join(ROOT, "contracts", "verifiers", "DisputeVerifier256.sol"), "utf8"));
    const benchOnly = await solidityVerifier(zkey, 256, layoutUnder(scratch));
    assert.match(benchOnly, /`npm run zk:setup -- 256 --out [^`]+`/);
    assert.match(benchOnly, /^contract DisputeVerifier256 \{/m);
  });

  it("compiles each shipped verifier to the code Hardhat deploys", () => {
    const transcript = readTranscript();
    assert.ok(transcript);
    for (const setup of Object.values(transcript.sizes)) {
      const { abi, bytecode } = compileVerifier(join(ROOT, setup.verifier.path), setup.verifier.contract);
      const artifact = JSON.parse(
        readFileSync(join(ROOT, "artifacts", setup.verifier.path, `${setup.verifier.contract}.json`), "utf8"),
      ) as { bytecode: string; abi: unknown };
      assert.equal(withoutMetadata(bytecode), withoutMetadata(artifact.bytecode), setup.verifier.contract);
      assert.deepEqual(abi, artifact.abi);
    }
    assert.throws(() => compileVerifier(join(ROOT, "contracts/verifiers/DisputeVerifier256.sol"), "NoSuchVerifier"), /does not define contract NoSuchVerifier/);
  });

  for (const [args, message] of [
    [["foo"], /a circuit is a size N, N_f<F> or refund_<N>, or open_<N> .*, or a contest main \(contest_linear_4x3, /],
    [["256", "--ptau"], /--ptau needs a prepared powers-of-tau file/],
    [["256", "--ptau", "/no/such.ptau"], /--ptau: no file \/no\/such\.ptau/],
    [["256", "--out"], /--out needs a directory/],
  ] as const) {
    it(`zk:setup ${args.join(" ")} exits 1 with a sentence`, async () => {
      await assert.rejects(run(process.execPath, [join(ROOT, "scripts/zk/setup.ts"), ...args], { cwd: ROOT }), (error: { code?: number; stderr?: string }) => {
        assert.equal(error.code, 1);
        assert.match(error.stderr ?? "", /^zk:setup: /);
        assert.match(error.stderr ?? "", message);
        return true;
      });
    });
  }
});
