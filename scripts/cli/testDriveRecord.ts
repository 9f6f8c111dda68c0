/**
 * What `bazaar test-drive` keeps on the buyer's machine for each test-drive (local state kind
 * "tests", keyed by the data commitment, since the record is written before `openTest` gives
 * an id): the secrets a dispute needs (quantized features, labels, salt, later the
 * predictions), the CKKS secret key (to decrypt a result fetched later), and how far the flow
 * got, so `bazaar status test <id>` can say what to do next. `nextStepOf` phrases that. The
 * record's shape, its check and its JSON are the SDK's (`KeptTestDrive`, shared with the dApp).
 */
import { modelMarketAbi } from "@modelbazaar/sdk/abis";
import { KeptRecordError } from "@modelbazaar/sdk/client";
import { parseKeptTestDrive, type FeatureEncoding, type KeptTestDrive } from "@modelbazaar/sdk/testDrives";
import { CliError } from "./cliError.ts";
import { notUsedSentence, readState, recordsElsewhere, stateHome, writeStateRecord, type RecordScope } from "./localState.ts";
import type { ReadSession } from "./session.ts";

/**
 * A test-drive record as `bazaar test-drive` writes it: the SDK's shared shape (KeptTestDrive,
 * also the dApp's), with the seller's worker and the listing's feature encoding, which resuming
 * the upload needs and which only the CLI keeps.
 */
export type TestDriveRecord = KeptTestDrive & { readonly workerEndpoint: string; readonly encoding: FeatureEncoding };

/** A stored record checked (parseKeptTestDrive) to be a whole test-drive record of `bazaar test-drive`; a sentence otherwise. */
function checkedRecord(value: unknown, source: string): TestDriveRecord {
  let record: KeptTestDrive;
  try {
    record = parseKeptTestDrive(value, source);
  } catch (error) {
    if (error instanceof KeptRecordError) throw new CliError(`${error.message}: the file was damaged or edited, so it is not used`);
    throw error;
  }
  if (record.workerEndpoint === undefined || record.encoding === undefined) throw new CliError(`${source} names no worker or feature encoding, so it was not kept by bazaar test-drive and is not used`);
  return { ...record, workerEndpoint: record.workerEndpoint, encoding: record.encoding };
}

/** The record among `records` kept for test `testId`, checked, or undefined. */
function recordOf(records: Record<string, unknown>, testId: bigint, source: string): TestDriveRecord | undefined {
  const found = Object.values(records).find((r) => typeof r === "object" && r !== null && (r as { testId?: unknown }).testId === testId.toString());
  return found === undefined ? undefined : checkedRecord(found, `${source}'s record of test-drive ${testId}`);
}

export function saveTestDrive(scope: RecordScope, record: TestDriveRecord): void {
  writeStateRecord("tests", scope, record.dataCommitment, record);
}

/** Every test-drive record kept for the deployment `scope` that parses; a damaged one is left out (the commands that need it say so). */
export function keptTestDrives(scope: RecordScope): KeptTestDrive[] {
  return Object.entries(readState<unknown>("tests", scope)).flatMap(([key, value]) => {
    try {
      return [parseKeptTestDrive(value, `this machine's test-drive record ${key}`)];
    } catch (error) {
      if (error instanceof KeptRecordError) return [];
      throw error;
    }
  });
}

/** The record of test `testId` kept for the deployment `scope`, checked to be one (keptTestDrive also checks it is the chain's). */
export function findTestDrive(scope: RecordScope, testId: bigint): TestDriveRecord | undefined {
  return recordOf(readState<unknown>("tests", scope), testId, "this machine");
}

/**
 * This machine's record of test-drive `testId` on the session's deployment, once the chain
 * confirms it is that test-drive: the chain's test `testId` commits to the record's test set
 * (a salted commitment, which no other test set shares). Otherwise one sentence, never the
 * record: it belongs to another deployment (an earlier chain at the same address, after a
 * restart), it does not match, or there is none. `need` says what the command needs it for.
 * A record kept before records were tied to a deployment is taken over when it matches.
 */
export async function keptTestDrive(session: Pick<ReadSession, "publicClient" | "deployment" | "recordScope">, testId: bigint, need: string): Promise<TestDriveRecord> {
  const scope = await session.recordScope();
  const market = { address: session.deployment.market, abi: modelMarketAbi, args: [testId] } as const;
  if ((await session.publicClient.readContract({ ...market, functionName: "testStatus" })) === 0) throw new CliError(`test-drive ${testId} does not exist on this market`);
  const onChain = (await session.publicClient.readContract({ ...market, functionName: "getTest" })).dataCommitment.toLowerCase();
  const matches = (record: TestDriveRecord) => record.dataCommitment.toLowerCase() === onChain;
  const what = `test-drive ${testId}`;
  const record = findTestDrive(scope, testId);
  if (record) {
    if (matches(record)) return record;
    throw new CliError(`this machine's record of ${what} commits to the test set ${record.dataCommitment}, but the chain's ${what} to ${onChain}: it is another test-drive's, so it is not used`);
  }
  const elsewhere = recordsElsewhere<unknown>("tests", scope)
    .map((where) => ({ where, record: recordOf(where.records, testId, where.file) }))
    .filter((found) => found.record !== undefined);
  const adoptable = elsewhere.find(({ where, record }) => where.legacy && matches(record!));
  if (adoptable) {
    saveTestDrive(scope, adoptable.record!);
    return adoptable.record!;
  }
  const none = `this machine keeps no record of this deployment's ${what}`;
  const why = elsewhere.length > 0 ? `${notUsedSentence(what, elsewhere[0]!.where, scope)}; ${none}` : none;
  throw new CliError(`${why}: ${need} (records live under MODELBAZAAR_HOME, now ${stateHome()})`);
}

/** One sentence: what the buyer can do next from this record's stage. */
export function nextStepOf(record: TestDriveRecord): string {
  const id = record.testId;
  switch (record.stage) {
    case "committed":
      return `openTest was not confirmed: look for a TestOpened event with data commitment ${record.dataCommitment}; if there is none, nothing was staked and you may run bazaar test-drive again`;
    case "opened":
    case "uploaded":
      return `finish with \`bazaar test-drive --resume ${id}\`; if the worker never records a receipt, \`bazaar withdraw\` returns the deposit and the fee after the service window`;
    case "evaluated":
      return `the result was decrypted but its receipt was not confirmed on-chain: \`bazaar test-drive --resume ${id}\` checks it (and submits the worker's signed receipt)`;
    case "receipted": {
      const worse = record.accuracyBps !== undefined && record.accuracyBps < record.claimedAccuracyBps;
      return worse
        ? `the model scored below its claim: \`bazaar dispute ${id}\` claims a refund graded by the shortfall within the dispute window (it stakes the listing's buyer bond and the free samples' fee); or buy it with this deposit (\`bazaar buy ${record.listingId} --test ${id}\`), or walk away`
        : `the model met its claim: buy it with this deposit (\`bazaar buy ${record.listingId} --test ${id}\`), or walk away (the deposit goes to the seller after the dispute window)`;
    }
    case "claimed":
    case "samples-opened":
      return `a refund is claimed: run \`bazaar dispute ${id}\` to see what the seller may still do, to open the drawn samples if it contests, and to collect when the dispute's window ends`;
    case "refunded":
      return "done: the refund and the bonds are yours to collect with `bazaar withdraw`";
    case "rejected":
      return "done: the seller won the refund dispute; the free samples' fee you staked is yours to collect with `bazaar withdraw`";
  }
}
