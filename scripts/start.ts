/**
 * `npm start`: the embedded default. Starts a local chain (Hardhat node), deploys ModelBazaar
 * with Ignition, prints where everything is, and runs until Ctrl-C.
 *
 * Environment: MODELBAZAAR_RPC_PORT (default 8545); MODELBAZAAR_EXIT_WHEN_READY=1 stops right
 * after printing (used by the tests).
 */
import { network } from "hardhat";
import { formatEther } from "viem";
import { DISPUTE_CIRCUIT_SIZES } from "../ignition/modules/DisputeVerifier.ts";
import { deployModelBazaar } from "./lib/deploy.ts";
import { startLocalNode } from "./lib/localNode.ts";

const port = Number(process.env.MODELBAZAAR_RPC_PORT ?? 8545);
if (!Number.isInteger(port) || port <= 0 || port > 65_535) {
  console.error(`MODELBAZAAR_RPC_PORT must be a TCP port, got "${process.env.MODELBAZAAR_RPC_PORT}"`);
  process.exit(2);
}

const node = await startLocalNode(port);
let stopping = false;
const shutdown = async (code: number) => {
  if (stopping) return;
  stopping = true;
  await node.stop();
  process.exit(code);
};
process.on("SIGINT", () => void shutdown(0));
process.on("SIGTERM", () => void shutdown(0));

try {
  const connection = await network.connect({ network: "localhost", override: { url: node.url } });
  const { deployment } = await deployModelBazaar(connection, { fresh: true });
  const publicClient = await connection.viem.getPublicClient();
  const wallets = await connection.viem.getWalletClients();
  const roles = ["registry owner", "seller", "buyer", "worker signer", "bidder", "bidder", "bidder"];
  const lines = await Promise.all(
    wallets.slice(0, roles.length).map(async (w, i) => {
      const balance = await publicClient.getBalance({ address: w.account.address });
      return `  #${i} ${w.account.address}  ${formatEther(balance)} ETH  (${roles[i]})`;
    }),
  );
  console.log(
    [
      "",
      "ModelBazaar is running on a local chain.",
      "",
      `  JSON-RPC        ${node.url}  (chain id ${deployment.chainId})`,
      `  ModelRegistry   ${deployment.registry}`,
      `  ModelMarket     ${deployment.market}`,
      `  DisputeVerifier ${deployment.disputeVerifier}  (Groth16, circuits of ${DISPUTE_CIRCUIT_SIZES.join(", ")} samples)`,
      `  Addresses       deployments/${deployment.chainId}.json`,
      "",
      "Dev accounts with test ETH (Hardhat's well-known keys; never use them elsewhere):",
      ...lines,
      "",
      "Press Ctrl-C to stop.",
    ].join("\n"),
  );
  if (process.env.MODELBAZAAR_EXIT_WHEN_READY === "1") await shutdown(0);
} catch (error) {
  console.error(`npm start failed: ${error instanceof Error ? error.message : String(error)}`);
  await shutdown(1);
}
