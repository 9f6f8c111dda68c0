/**
 * The hostile client of bench:worker's flood phase (workerFlood.ts), as its own process so the
 * front's memory and file descriptors are measured without it: reads a {@link FloodPlan} as
 * JSON on stdin, floods the front with zero-feature containers declaring 2^32-1 batches and
 * with trickled and abandoned uploads (test/worker/hostileClient.ts), one lane per open test,
 * and writes the answers counted by kind and status as JSON on stdout.
 */
import { text } from "node:stream/consumers";
import type { Address, Hex } from "viem";
import { privateKeyToAccount } from "viem/accounts";
import type { HeParameters } from "@modelbazaar/sdk/he";
import { signUpload, type UploadAuthorizationContext } from "@modelbazaar/sdk/worker";
import { abandon, countsOnlyUpload, trickle } from "../../test/worker/hostileClient.ts";

/** One attacker's key and the tests it opened. */
export interface FloodAttacker {
  readonly key: Hex;
  readonly testIds: readonly string[];
}

export interface FloodPlan {
  readonly url: string;
  readonly context: UploadAuthorizationContext & { readonly market: Address };
  readonly encryption: HeParameters;
  /** Zero-feature containers in all, shared by the lanes (one lane per test of each attacker). */
  readonly zeroFeatureUploads: number;
  readonly zeroFeatureAttackers: readonly FloodAttacker[];
  /** Slow uploads per lane, alternately trickled (cut off for their rate) and abandoned. */
  readonly slowUploadsPerLane: number;
  readonly slowAttackers: readonly FloodAttacker[];
  /** Declared size of a slow upload, and what an abandoned one sends before dropping the connection. */
  readonly slowBytes: number;
  readonly abandonedAfterBytes: number;
}

const plan = JSON.parse(await text(process.stdin)) as FloodPlan;
const front = { url: plan.url };
const answers: Record<string, number> = {};
const count = (key: string) => (answers[key] = (answers[key] ?? 0) + 1);
const path = (testId: bigint) => `/tests/${testId}/evaluations`;
const lanes = (attackers: readonly FloodAttacker[]) => attackers.flatMap((a) => a.testIds.map((id) => ({ signer: privateKeyToAccount(a.key), testId: BigInt(id) })));

let zeroFeatureLeft = plan.zeroFeatureUploads;
const zeroFeature = lanes(plan.zeroFeatureAttackers).map(async ({ signer, testId }) => {
  while (zeroFeatureLeft-- > 0) {
    const body = countsOnlyUpload(plan.encryption);
    const response = await fetch(`${front.url}${path(testId)}`, {
      method: "POST",
      body: new Uint8Array(body),
      headers: { "content-type": "application/octet-stream", ...(await signUpload(signer, plan.context, testId, body)) },
    });
    await response.arrayBuffer();
    count(`zero-feature ${response.status}`);
  }
});

const slowBody = new Uint8Array(plan.slowBytes).fill(0x5a);
const slow = lanes(plan.slowAttackers).map(async ({ signer, testId }) => {
  for (let i = 0; i < plan.slowUploadsPerLane; i++) {
    const headers = await signUpload(signer, plan.context, testId, slowBody);
    if (i % 2 === 0) {
      const answer = await trickle(front, path(testId), headers, { total: plan.slowBytes, chunkBytes: 16, everyMs: 100 }).catch(() => undefined);
      count(answer ? `trickle ${answer.status}` : "trickle dropped unanswered");
    } else {
      await abandon(front, path(testId), headers, { total: plan.slowBytes, sent: plan.abandonedAfterBytes });
      count("abandoned");
    }
  }
});

await Promise.all([...zeroFeature, ...slow]);
process.stdout.write(`${JSON.stringify(answers)}\n`);
