/**
 * `npm run deploy -- --network <name>`: deploys ModelBazaar with Ignition to the selected
 * network (see hardhat.config.ts; RPC URLs and keys come from configuration variables, set
 * with `npx hardhat keystore set SEPOLIA_RPC_URL` etc., never from the command line) and writes
 * deployments/<chainId>.json. Verify the sources afterwards with
 * `npx hardhat ignition verify chain-<chainId>` (Etherscan, Blockscout and Sourcify).
 */
import { network } from "hardhat";
import { deployModelBazaar } from "./lib/deploy.ts";

try {
  const connection = await network.create();
  const { deployment } = await deployModelBazaar(connection, { fresh: connection.networkName === "localhost" });
  console.log(JSON.stringify(deployment, null, 2));
} catch (error) {
  console.error(`deploy failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 1;
}
