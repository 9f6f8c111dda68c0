/**
 * The market's audit, run in this browser: the SDK's auditMarket (the same code as
 * `bazaar audit`) over the wagmi public client, trusting the injected verification keys (loaded
 * here, on the audit's first run, not with the app).
 * It scans the whole history and re-verifies proofs, so it runs once per visit and again only
 * on request (refetch), never on focus or as a silent retry.
 */
import { useQuery } from "@tanstack/react-query";
import { usePublicClient } from "wagmi";
import { auditMarket } from "@modelbazaar/sdk/audit";
import { deployment } from "../marketConfig.ts";

export function useAudit() {
  const publicClient = usePublicClient();
  return useQuery({
    queryKey: ["audit", deployment.chainId, deployment.market],
    queryFn: async () => auditMarket(publicClient!, deployment, { verificationKeys: (await import("../verificationKeys.ts")).verificationKeys }),
    enabled: publicClient !== undefined,
    staleTime: Infinity,
    retry: false,
    refetchOnWindowFocus: false,
  });
}
