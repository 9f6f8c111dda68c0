import { buildModule } from "@nomicfoundation/hardhat-ignition/modules";
import DisputeVerifierModule from "./DisputeVerifier.ts";

/** Default fair-exchange deadlines (seconds): a day to deliver, accept and reveal, three to complain. */
export const DEFAULT_DELIVERY_WINDOWS = { delivery: 86_400, accept: 86_400, reveal: 86_400, complaint: 259_200 };

/**
 * Deploys ModelBazaar: the listing registry (owned by `owner`, who collects promotion fees)
 * and the market over the dispute verifier.
 *
 * Parameters (`ignition/parameters/*.json` or `--parameters`):
 * - `owner`: registry owner, defaults to the deploying account;
 * - `deliveryWindows`: `{ delivery, accept, reveal, complaint }` in seconds.
 */
export default buildModule("ModelBazaar", (m) => {
  const owner = m.getParameter("owner", m.getAccount(0));
  const windows = m.getParameter("deliveryWindows", DEFAULT_DELIVERY_WINDOWS);
  const { disputeVerifier } = m.useModule(DisputeVerifierModule);
  const registry = m.contract("ModelRegistry", [owner]);
  const market = m.contract("ModelMarket", [registry, disputeVerifier, windows]);
  return { registry, market, disputeVerifier };
});
