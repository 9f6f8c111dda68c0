/**
 * What a test-drive of N samples costs before anything is staked: the deposit and the fee as
 * the market prices them (the SDK's readTestPrice), the bytes it moves from the worker's plan
 * (the SDK's testDriveTraffic), and its time when an estimate is available. One component, so
 * the time can switch to the SDK's estimate when the worker publishes one.
 */
import { useQuery } from "@tanstack/react-query";
import { usePublicClient } from "wagmi";
import { readTestPrice } from "../../../../../sdk/src/actions/readTestPrice.ts";
import type { HePlanSummary } from "../../../../../sdk/src/he/plan.ts";
import { testDriveTraffic } from "../../../../../sdk/src/he/wireSizes.ts";
import { byteText } from "../../../../../sdk/src/labels/byteText.ts";
import { firstLine } from "../../../components/States.tsx";
import { ether } from "../../../format.ts";
import { deployment } from "../../../marketConfig.ts";
import { Facts } from "./Panel.tsx";

export interface TestDriveCostProps {
  readonly listingId: bigint;
  readonly policy: { readonly minSamples: number; readonly maxSamples: number };
  readonly sampleCount: number;
  /** The worker's plan (undefined while it is asked, or when the worker does not answer). */
  readonly plan: HePlanSummary | undefined;
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

export function TestDriveCost({ listingId, policy, sampleCount, plan }: TestDriveCostProps) {
  const price = useTestPrice(listingId, sampleCount, policy);
  const traffic = plan && sampleCount > 0 ? testDriveTraffic(plan, sampleCount) : undefined;
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
            ["time", "the worker does not publish an estimate"],
          ]}
        />
      )}
    </div>
  );
}
