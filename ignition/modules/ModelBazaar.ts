import { buildModule } from "@nomicfoundation/hardhat-ignition/modules";
import { DEFAULT_DISPUTE_WINDOWS } from "../../scripts/lib/disputesConfig.ts";
import { refundDisputeCircuitFutures } from "./RefundDisputeCircuits.ts";

/** Default fair-exchange deadlines (seconds): a day to deliver, accept and reveal, three to complain. */
export const DEFAULT_DELIVERY_WINDOWS = { delivery: 86_400, accept: 86_400, reveal: 86_400, complaint: 259_200 };

/**
 * Deploys ModelBazaar: the listing registry (owned by `owner`, who collects promotion fees)
 * and the market over the refund dispute's circuits (the market creates its `RefundDisputes`).
 *
 * Parameters (`ignition/parameters/*.json` or `--parameters`):
 * - `owner`: registry owner, defaults to the deploying account;
 * - `deliveryWindows`: `{ delivery, accept, reveal, complaint }` in seconds;
 * - `contestWindow`, `openWindow`, `proveWindow`: the refund dispute's windows, in seconds.
 */
export default buildModule("ModelBazaar", (m) => {
  const owner = m.getParameter("owner", m.getAccount(0));
  const windows = m.getParameter("deliveryWindows", DEFAULT_DELIVERY_WINDOWS);
  const registry = m.contract("ModelRegistry", [owner]);
  const disputes = {
    ...refundDisputeCircuitFutures(m),
    contestWindow: m.getParameter("contestWindow", DEFAULT_DISPUTE_WINDOWS.contestWindow),
    openWindow: m.getParameter("openWindow", DEFAULT_DISPUTE_WINDOWS.openWindow),
    proveWindow: m.getParameter("proveWindow", DEFAULT_DISPUTE_WINDOWS.proveWindow),
  };
  const market = m.contract("ModelMarket", [registry, windows, disputes]);
  return { registry, market };
});
