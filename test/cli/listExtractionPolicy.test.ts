/**
 * `bazaar list` prints the listing policy suggestion against model extraction
 * (sdk/src/listings/extractionPolicy.ts) and whether the seller's terms meet it, without
 * blocking the listing: against a real local chain (test/helpers/cliStack.ts), the CLI a child
 * process with a dev key. An auction has no price to weigh the cost against, and says so.
 */
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { formatEther } from "viem";
import { CLI_MODEL, CLI_TERMS, ROLES, startCliStack, type CliStack } from "../helpers/cliStack.ts";

describe("bazaar list: the extraction policy suggestion (local chain)", { timeout: 600_000 }, () => {
  let stack: CliStack;
  before(async () => {
    stack = await startCliStack();
  });
  after(async () => stack?.stop());

  it("prints the suggestion and that terms with a low fee do not meet it, and lists all the same", async () => {
    const listed = await stack.bazaar(["list", CLI_MODEL, "--terms", stack.termsFile("cheap.json", CLI_TERMS)], ROLES.seller);
    assert.equal(listed.code, 0, listed.stderr);
    assert.match(listed.stdout, /^listed iris-logreg .* as listing #1 for 0\.5 ETH/);
    assert.match(listed.stdout, /\n {2}extraction: a copy agreeing with this model on 90% of inputs took at least [\d,]+ test-drive queries \(measured on iris-logreg \(docs\/studies\/extraction\.md, [\d-]+\)\); under these terms they cost [\d.]+ ETH in \d+ test-drives? \(gas aside\), less than the price of 0\.5 ETH: the terms do not meet the suggestion\n/);
    assert.match(listed.stdout, /\n {2}suggested: fee per extra sample at least [\d.]+ ETH, deposit at least [\d.]+ ETH, no cap helps \(your minSamples, 10, already allows a copy in one test-drive: the fee alone prices it\), worker perturbationSigma [\d.]+ \(adds [\d.]+ points RMS to an honest buyer's accuracy estimate at [\d,]+ samples\)\n/);
    assert.equal(await stack.registry.read.listingCount(), 1n, "the suggestion does not block the listing");
  });

  it("terms that follow the suggestion meet it (--json carries it); an auction says there is no price to compare", async () => {
    const first = JSON.parse((await stack.bazaar(["--json", "list", CLI_MODEL, "--terms", stack.termsFile("again.json", CLI_TERMS)], ROLES.seller)).stdout) as {
      extractionPolicy: { feePerExtraSample: string; deposit: string; maxSamples: number; meets: boolean };
    };
    assert.equal(first.extractionPolicy.meets, false);
    const { feePerExtraSample, deposit, maxSamples } = first.extractionPolicy;
    const following = { ...CLI_TERMS, testPolicy: { ...CLI_TERMS.testPolicy, feePerExtraSample: formatEther(BigInt(feePerExtraSample)), deposit: formatEther(BigInt(deposit)), maxSamples } };
    const listed = await stack.bazaar(["list", CLI_MODEL, "--terms", stack.termsFile("following.json", following)], ROLES.seller);
    assert.equal(listed.code, 0, listed.stderr);
    assert.match(listed.stdout, /more than the price of 0\.5 ETH: the terms meet the suggestion\n/);
    const auction = await stack.bazaar(["list", CLI_MODEL, "--terms", stack.termsFile("auction.json", { ...CLI_TERMS, sale: { mode: "auction" } })], ROLES.seller);
    assert.equal(auction.code, 0, auction.stderr);
    assert.match(auction.stdout, /\n {2}extraction: sold by auction, so there is no price to weigh the extraction cost against \(docs\/studies\/extraction\.md\)\n/);
  });
});
