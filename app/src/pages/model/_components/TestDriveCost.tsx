/**
 * What a test-drive of N samples costs before anything is staked: the deposit and the fee as
 * the market prices them (the SDK's readTestPrice), and the upload, batches and wait as the
 * SDK's estimateTestDrive works them out from the worker's plan and published speed (the same
 * figures `bazaar test-drive` prints before it stakes).
 */
import { useQuery } from "@tanstack/react-query";
import { usePublicClient } from "wagmi";
import { readTestPrice } from "@modelbazaar/sdk/actions";
import { testDriveTraffic } from "@modelbazaar/sdk/he";
import { byteText, durationText } from "@modelbazaar/sdk/labels";
import { estimateTestDrive, TestDriveEstimateError } from "@modelbazaar/sdk/testDrives";
import type { ServedListing } from "@modelbazaar/sdk/worker";
import { firstLine } from "../../../components/States.tsx";
import { ether } from "../../../format.ts";
import { deployment } from "../../../marketConfig.ts";
import { Facts } from "../../../components/Facts.tsx";

export interface TestDriveCostProps {
  readonly listingId: bigint;
  readonly policy: { readonly minSamples: number; readonly maxSamples: number };
  readonly sampleCount: number;
  /** What the listing's worker serves (undefined while it is asked, or when the worker does not answer). */
  readonly served: ServedListing | undefined;
}

export function useTestPrice(listingId: bigint, sampleCount: number, policy: TestDriveCostProps["policy"]) {
  const publicClient = usePublicClient();
  return useQuery({
    queryKey: ["test-price", deployment.chainId, deployment.market, listingId.toString(), sampleCount],
    queryFn: () => readTestPrice(publicClient!, deployment, { listingId, sampleCount, policy }),
    enabled: publicClient !== undefined && Number.isInteger(sampleCount) && sampleCount > 0,
    retry: false,
    staleTime: 30_000,
  });
}

export function TestDriveCost({ listingId, policy, sampleCount, served }: TestDriveCostProps) {
  const price = useTestPrice(listingId, sampleCount, policy);
  const traffic = served && sampleCount > 0 ? testDriveTraffic(served.plan, sampleCount) : undefined;
  const estimate = served && price.data && Number.isInteger(sampleCount) && sampleCount > 0 ? estimateOrUnknownWait(sampleCount, served, price.data) : undefined;
  return (
    <div data-testid="test-drive-cost">
      {price.error ? (
        <p role="alert" className="text-sm text-error">
          {firstLine(price.error)}
        </p>
      ) : (
        <Facts
          rows={[
            ["deposit", price.data ? ether(price.data.deposit) : "…"],
            ["fee", price.data ? `${ether(price.data.fee)}${price.data.fee === 0n ? " (free samples)" : ""}` : "…"],
            ["you send", <strong key="total">{price.data ? ether(price.data.deposit + price.data.fee) : "…"}</strong>],
            ["upload", traffic ? `${byteText(traffic.uploadBytes)} encrypted (${traffic.batches} batch${traffic.batches === 1 ? "" : "es"} of ${traffic.slots} slots)` : "asking the worker…"],
            ["result", traffic ? byteText(traffic.resultBytes) : "…"],
            ["time", !estimate ? "…" : estimate.waitSeconds === undefined ? "unknown: the worker publishes no speed" : `about ${durationText(estimate.waitSeconds)} of evaluation`],
          ]}
        />
      )}
    </div>
  );
}

/** The SDK's estimate; a worker whose published speed contradicts its own plan gets an unknown wait rather than a broken page. */
function estimateOrUnknownWait(samples: number, served: ServedListing, price: { readonly deposit: bigint; readonly fee: bigint }) {
  try {
    return estimateTestDrive({ samples, plan: served.plan, ...price, speed: served.evaluation });
  } catch (error) {
    if (error instanceof TestDriveEstimateError) return estimateTestDrive({ samples, plan: served.plan, ...price });
    throw error;
  }
}
