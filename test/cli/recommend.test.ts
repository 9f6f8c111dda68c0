/**
 * `bazaar recommend` against a real local chain (test/helpers/cliStack.ts) and a real
 * aggregator (aggregator/src/startAggregator.ts) started by the test:
 *  - an account with no history gets a cold start, said so, ranked by public on-chain signals;
 *  - the buyer's picks are personal without any aggregator, ranked against item factors learned
 *    on its machine from everyone's public purchases (a listing bought by someone who bought what
 *    the buyer bought comes first), explained from the buyer's own purchases, leaving out what it
 *    bought; a hostile aggregator serving garbage factors changes nothing and is not even asked;
 *  - `--participate` takes part in a secure round with two other buyers' clients: it sends an
 *    enrolment (client id, public key) and one masked contribution (client id, values), seen on
 *    the wire by a recording relay in front of the aggregator, whose values are ring elements no
 *    clamped contribution has (the mask hides them); the round is applied, and the month's ε is
 *    printed in both readings; the profile file holds the history, the ranking's user factor and
 *    the round ledger (round, time, noise multipliers) only, none of the uploaded values;
 *  - an aggregator run on its own (aggregator/src/main.ts) against this chain serves its public
 *    factors as round 0, and refuses half a chain setting or a dimension they lack in a sentence;
 *  - `--forget` deletes the history and the user factor but keeps the ledger of the round taken
 *    part in (so its ε still counts), and deletes the record of an account that never took part;
 *    bad input is one sentence with exit code 1.
 */
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { once } from "node:events";
import { createInterface } from "node:readline";
import { existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { fileURLToPath } from "node:url";
import type { PublicClient } from "viem";
import { collectEvents } from "@modelbazaar/sdk/audit";
import { parseDeployment } from "@modelbazaar/sdk/client";
import {
  epsilonSpent,
  factorsBody,
  fetchItemFactors,
  FIXED_POINT_CLAMP,
  FIXED_POINT_FRACTION_BITS,
  MARKET_FACTORS,
  marketItemFactors,
  parseMaskedUploadBody,
  PARTICIPATION,
  randomItemFactors,
  memoryLedger,
  seededRandom,
  takePartInRound,
} from "@modelbazaar/sdk/recommend";
import { AGGREGATOR_DEFAULTS } from "../../aggregator/src/aggregatorConfig.ts";
import { startAggregator, type AggregatorHandle } from "../../aggregator/src/startAggregator.ts";
import { privateKeyToAccount } from "viem/accounts";
import { devAccountKey } from "../../scripts/lib/demoListings.ts";
import { CLI_MODEL, CLI_TERMS, ROLES, startCliStack, type CliResult, type CliStack } from "../helpers/cliStack.ts";

const ROOT = fileURLToPath(new URL("../..", import.meta.url));
const BUYER = privateKeyToAccount(devAccountKey(ROLES.buyer)).address;
/** A dev account of no other role, one more buyer. */
const OTHER = 6;

function assertSentence(r: CliResult, pattern: RegExp): void {
  assert.equal(r.code, 1, `exit code (stdout: ${r.stdout}, stderr: ${r.stderr})`);
  assert.match(r.stderr, /^bazaar: [^\n]+\n$/, `one line: ${r.stderr}`);
  assert.match(r.stderr, pattern);
}

/** The CLI's profile records of chain 31337's one deployment (scripts/cli/localState.ts). */
function profiles(home: string): Record<string, unknown> {
  const chain = join(home, "31337");
  const scope = readdirSync(chain).find((entry) => existsSync(join(chain, entry, "scope.json")))!;
  const file = join(chain, scope, "profiles.json");
  return existsSync(file) ? (JSON.parse(readFileSync(file, "utf8")) as Record<string, unknown>) : {};
}

/** The listing ids of the ranked list, in order. */
function picks(stdout: string): string[] {
  return [...stdout.matchAll(/^ *\d+\. #(\d+) /gm)].map((m) => m[1]!);
}

async function listen(server: Server): Promise<string> {
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

describe("bazaar recommend (local chain, real aggregator)", { timeout: 600_000 }, () => {
  let stack: CliStack;
  let aggregator: AggregatorHandle;
  /** The raw bodies the CLI posted, recorded on the way to the aggregator. */
  const bodies: Record<string, unknown>[] = [];
  let relay: Server;
  let relayUrl: string;
  /** An aggregator serving huge random factors, and every request it got. */
  let hostile: Server;
  let hostileUrl: string;
  const hostileRequests: string[] = [];
  const noAggregator = { MODELBAZAAR_AGGREGATOR_URL: "" };
  before(async () => {
    stack = await startCliStack();
    const terms = join(stack.dir, "terms.json");
    writeFileSync(terms, JSON.stringify(CLI_TERMS));
    for (let k = 0; k < 5; k++) assert.equal((await stack.bazaar(["list", CLI_MODEL, "--terms", terms], ROLES.seller)).code, 0);
    // the buyer bought listings 1 and 2; another account bought those and 3; two others bought 4 and 5 (5 twice)
    const purchases = [["1", ROLES.buyer], ["2", ROLES.buyer], ["1", ROLES.cheat], ["2", ROLES.cheat], ["3", ROLES.cheat], ["4", ROLES.worker], ["5", ROLES.worker], ["5", OTHER]] as const;
    for (const [listing, role] of purchases) {
      const bought = await stack.bazaar(["buy", listing], role);
      assert.equal(bought.code, 0, bought.stderr);
    }
    aggregator = await startAggregator({ ...AGGREGATOR_DEFAULTS, port: 0, itemCount: 16, dimension: 4, seed: 5, participantsPerRound: 3, corsOrigins: [] });
    relay = createServer(async (request, response) => {
      const chunks: Buffer[] = [];
      for await (const chunk of request) chunks.push(chunk as Buffer);
      const body = Buffer.concat(chunks).toString("utf8");
      if (request.method === "POST") bodies.push(JSON.parse(body) as Record<string, unknown>);
      const answer = await fetch(new URL(request.url!, aggregator.url), { method: request.method, headers: { "content-type": "application/json" }, body: request.method === "POST" ? body : undefined });
      response.writeHead(answer.status, { "content-type": "application/json" }).end(await answer.text());
    });
    relayUrl = await listen(relay);
    const garbage = factorsBody({ round: 0, factors: randomItemFactors(16, 4, seededRandom(9), 1e6) });
    hostile = createServer((request: IncomingMessage, response) => {
      hostileRequests.push(`${request.method} ${request.url}`);
      response.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify(garbage));
    });
    hostileUrl = await listen(hostile);
  });
  after(async () => {
    relay?.close();
    hostile?.close();
    await aggregator?.close();
    await stack?.stop();
  });

  it("an account with no history: a cold start, said so, ranked by public signals", async () => {
    const r = await stack.bazaar(["recommend"], ROLES.owner, noAggregator);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /cold start: no history of yours yet, so these are the most test-driven and bought listings/);
    assert.deepEqual(picks(r.stdout), ["1", "2", "5", "3", "4"], "bought twice first, then once; ties in listing order");
    assert.match(r.stdout, /nothing was sent/);
    assert.match(r.stdout, /privacy spent in \d{4}-\d\d: ε = 0\.00 over 0 rounds/);
  });

  it("personal without an aggregator, from everyone's public purchases, explained by the buyer's own; a hostile aggregator changes nothing; --participate takes part in a secure round, sends one masked contribution and prints ε", async () => {
    const ranked = await stack.bazaar(["recommend"], ROLES.buyer, noAggregator);
    assert.equal(ranked.code, 0, ranked.stderr);
    assert.doesNotMatch(ranked.stdout, /cold start/);
    assert.equal(picks(ranked.stdout)[0], "3", `the listing bought by the account that bought what the buyer bought comes first:\n${ranked.stdout}`);
    assert.deepEqual([...picks(ranked.stdout)].sort(), ["3", "4", "5"], "what the buyer bought is left out");
    assert.match(ranked.stdout, /^ 1\. #3 iris-logreg\n {4}because you bought #[12] iris-logreg/m);
    const json = JSON.parse((await stack.bazaar(["--json", "recommend"], ROLES.buyer, noAggregator)).stdout) as { recommendations: { source: string }[] };
    assert.ok(json.recommendations.every((r) => r.source === "personal"), JSON.stringify(json.recommendations));

    const withHostile = await stack.bazaar(["recommend", "--aggregator", hostileUrl], ROLES.buyer);
    assert.equal(withHostile.code, 0, withHostile.stderr);
    assert.equal(withHostile.stdout, ranked.stdout, "the same list, word for word");
    assert.deepEqual(hostileRequests, [], "ranking asks no aggregator");
    assert.equal(bodies.length, 0, "ranking alone sends nothing");

    // Two other buyers' clients take part beside the CLI: a secure round needs at least three.
    const published = await fetchItemFactors(aggregator.url);
    const others = [1, 2].map((seed) =>
      takePartInRound(aggregator.url, { factor: [], history: [{ itemId: seed, kind: "buy", timestamp: seed }] }, published, memoryLedger(), Math.floor(Date.now() / 1000), seededRandom(seed)),
    );
    const round = await stack.bazaar(["recommend", "--aggregator", relayUrl, "--participate"], ROLES.buyer);
    assert.equal(round.code, 0, round.stderr);
    await Promise.all(others);
    assert.match(round.stdout, /took part in round 0 with 3 participants: sent one masked contribution \(clipped, noised updates of every listing, so which ones you touched does not show\); the aggregator learns only the round's sum/);
    const spent = epsilonSpent([{ round: 0, at: 0, sumNoiseMultiplier: PARTICIPATION.sumNoiseMultiplier, uploadNoiseMultiplier: PARTICIPATION.sumNoiseMultiplier / Math.sqrt(3) }], "1970-01");
    assert.ok(round.stdout.includes(`ε = ${spent.epsilon.toFixed(2)} over 1 round against anyone reading the factors and an aggregator that follows the protocol; ε = ${spent.uploadEpsilon.toFixed(2)} if the aggregator fabricated every other participant`), round.stdout);
    assert.equal((await fetchItemFactors(aggregator.url)).round, 1, "the round was applied");
    assert.deepEqual(bodies.map((body) => Object.keys(body).sort()), [["clientId", "publicKey"], ["clientId", "values"]], "an enrolment and one masked contribution, nothing else");
    const masked = parseMaskedUploadBody(bodies[1], 16 * 4);
    const hidden = [...masked.values].filter((value) => Math.abs((value | 0) / 2 ** FIXED_POINT_FRACTION_BITS) > FIXED_POINT_CLAMP).length;
    assert.ok(hidden >= 60, `${hidden} of 64 masked values lie outside what any clamped contribution encodes`);

    const kept = profiles(join(stack.dir, "home"))[BUYER.toLowerCase()] as { profile: { factor: number[]; history: unknown[] }; rounds: unknown[] };
    assert.deepEqual(Object.keys(kept).sort(), ["profile", "rounds"]);
    assert.deepEqual(Object.keys(kept.profile).sort(), ["factor", "history"]);
    assert.equal(kept.profile.factor.length, MARKET_FACTORS.dimension, "the user factor of the ranking, against the market's factors");
    assert.deepEqual(kept.rounds.map((r) => Object.keys(r as object).sort()), [["at", "round", "sumNoiseMultiplier", "uploadNoiseMultiplier"]]);
    assert.ok(!JSON.stringify(kept).includes(bodies[1]!.values as string), "the profile holds nothing uploaded");
  });

  it("an aggregator run on its own with AGGREGATOR_RPC_URL and AGGREGATOR_DEPLOYMENT starts from the chain's public factors; either alone, or a dimension the factors lack, is one sentence and exit code 2", async () => {
    const env = { AGGREGATOR_PORT: "0", AGGREGATOR_ITEMS: "16", AGGREGATOR_RPC_URL: stack.node.url, AGGREGATOR_DEPLOYMENT: stack.deploymentFile };
    const child = spawn(process.execPath, [join(ROOT, "aggregator/src/main.ts")], { env: { ...process.env, ...env }, stdio: ["ignore", "pipe", "pipe"] });
    try {
      const [line] = (await once(createInterface({ input: child.stdout! }), "line")) as [string];
      const match = /^Recommendation aggregator at (http:\/\/\S+) \(round 0: the chain's public factors\)$/.exec(line);
      assert.ok(match, line);
      const publicFactors = marketItemFactors((await collectEvents(stack.publicClient as PublicClient, parseDeployment(stack.deployment))).market)!;
      const served = await fetchItemFactors(match[1]!);
      assert.deepEqual(served.factors.values.subarray(0, publicFactors.values.length), Float64Array.from(Float32Array.from(publicFactors.values)));
    } finally {
      child.kill();
    }
    const refused = async (extra: Record<string, string | undefined>, pattern: RegExp) => {
      const run = spawn(process.execPath, [join(ROOT, "aggregator/src/main.ts")], { env: { ...process.env, ...env, ...extra }, stdio: ["ignore", "ignore", "pipe"] });
      let stderr = "";
      run.stderr!.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
      const [code] = (await once(run, "exit")) as [number];
      assert.equal(code, 2, stderr);
      assert.match(stderr.trim(), pattern);
    };
    await refused({ AGGREGATOR_DEPLOYMENT: undefined }, /^AGGREGATOR_RPC_URL and AGGREGATOR_DEPLOYMENT go together/);
    await refused({ AGGREGATOR_DEPLOYMENT: join(stack.dir, "missing.json") }, /^AGGREGATOR_DEPLOYMENT: cannot read a deployment record from /);
    await refused({ AGGREGATOR_DIMENSION: "8" }, /^cannot start from the chain's public factors \(AGGREGATOR_RPC_URL http:\/\/127\.0\.0\.1:\d+\): the public factors have dimension 16, the aggregator's 8$/);
  });

  it("--forget deletes the history and the user factor, keeping the ledger of rounds; bad input is one sentence", async () => {
    const home = join(stack.dir, "home");
    assert.ok(profiles(home)[BUYER.toLowerCase()]);
    const forgot = await stack.bazaar(["recommend", "--forget"], ROLES.buyer, noAggregator);
    assert.equal(forgot.code, 0, forgot.stderr);
    assert.match(forgot.stdout, /^forgot 0x[0-9a-fA-F]{40}'s recommendation history and user factor on this machine \(kept: the 1 round it took part in, so their ε still counts\)$/m);
    const kept = profiles(home)[BUYER.toLowerCase()] as { profile: unknown; rounds: unknown[] };
    assert.deepEqual(kept.profile, { factor: [], history: [] });
    assert.equal(kept.rounds.length, 1);
    const other = privateKeyToAccount(devAccountKey(ROLES.cheat)).address;
    assert.equal((await stack.bazaar(["recommend"], ROLES.cheat, noAggregator)).code, 0);
    assert.ok(profiles(home)[other.toLowerCase()], "a run keeps the profile");
    assert.equal((await stack.bazaar(["recommend", "--forget"], ROLES.cheat, noAggregator)).code, 0);
    assert.equal(profiles(home)[other.toLowerCase()], undefined, "a profile that never took part is deleted");
    assertSentence(await stack.bazaar(["recommend", "--top", "0"], ROLES.buyer, noAggregator), /--top must be a whole number from 1 to 100, not "0"/);
    assertSentence(await stack.bazaar(["recommend", "--participate"], ROLES.buyer, noAggregator), /--participate needs an aggregator/);
    assertSentence(await stack.bazaar(["recommend", "--aggregator", "ftp://x"], ROLES.buyer), /the aggregator must be an http\(s\) URL/);
    assertSentence(await stack.bazaar(["recommend"], null, noAggregator), /recommend needs an account/);
  });
});
