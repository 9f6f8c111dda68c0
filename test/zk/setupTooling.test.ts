/**
 * The setup's tooling around the checked-in artifacts: where a setup writes (the shipped layout,
 * or `--out` for circuits that do not ship), the verifier it renders, and zk:setup's refusals of
 * bad arguments. The setup itself is not rerun here.
 */
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, it } from "node:test";
import { promisify } from "node:util";
import { ROOT } from "../../scripts/zk/compile.ts";
import { ARTIFACTS_DIR, SHIPPED_LAYOUT, layoutUnder, readTranscript, solidityVerifier } from "../../scripts/zk/setup.ts";
import { terminateSnarkjsWorkers } from "@modelbazaar/sdk/prover";

const run = promisify(execFile);

describe("zk setup tooling", () => {
  const scratch = mkdtempSync(join(tmpdir(), "mb-setup-"));
  after(async () => {
    rmSync(scratch, { recursive: true, force: true });
    await terminateSnarkjsWorkers();
  });

  it("writes shipped setups into the repository and the others under --out", () => {
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
  });

  it("renders a verifier whose banner names how to regenerate it, --out included", async () => {
    const zkey = join(ARTIFACTS_DIR, "refund_256", "refund_256.zkey");
    const refund = { statement: "refund", size: 256 } as const;
    const shipped = await solidityVerifier(zkey, refund);
    assert.equal(shipped, readFileSync(join(ROOT, "contracts", "verifiers", "RefundVerifier256.sol"), "utf8"));
    const elsewhere = await solidityVerifier(zkey, refund, layoutUnder(scratch));
    assert.match(elsewhere, /`npm run zk:setup -- refund_256 --out [^`]+`/);
    assert.match(elsewhere, /^contract RefundVerifier256 \{/m);
  });

  for (const [args, message] of [
    [["foo"], /a circuit is refund_<N> or open_<N> .*, or a contest main \(contest_linear_4x3, /],
    [["256"], /a circuit is refund_<N> or open_<N>/],
    [["refund_256", "--ptau"], /--ptau needs a prepared powers-of-tau file/],
    [["refund_256", "--ptau", "/no/such.ptau"], /--ptau: no file \/no\/such\.ptau/],
    [["refund_256", "--out"], /--out needs a directory/],
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
