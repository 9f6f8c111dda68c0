import { createRequire } from "node:module";
import hardhatToolboxViemPlugin from "@nomicfoundation/hardhat-toolbox-viem";
import { configVariable, defineConfig } from "hardhat/config";

// solc comes from the npm package `solc` (WASM), so compiling never downloads a compiler.
const require = createRequire(import.meta.url);
const solcSettings = { optimizer: { enabled: true, runs: 200 }, evmVersion: "cancun" };
const compiler = {
  version: require("solc/package.json").version as string,
  path: require.resolve("solc/soljson.js"),
  settings: solcSettings,
};

/** How often `npm start`'s chain mines a block when no transaction comes (milliseconds). */
export const LOCAL_DEV_BLOCK_INTERVAL_MS = 2_000;

export default defineConfig({
  plugins: [hardhatToolboxViemPlugin],
  solidity: {
    profiles: {
      // One profile for tests and deployment, so the gas table measures what ships.
      // 200 runs keeps ModelMarket well under the 24 KiB code-size limit.
      default: compiler,
      production: compiler,
    },
  },
  paths: {
    tests: { nodejs: "test", solidity: "contracts" },
  },
  networks: {
    hardhatMainnet: { type: "edr-simulated", chainType: "l1" },
    // `npm start`'s chain (scripts/lib/localNode.ts runs `hardhat node --network localDev`):
    // each transaction is mined at once, and an empty block every 2 s keeps the chain's clock,
    // which every deadline follows, moving with the wall clock when nobody transacts.
    // `bazaar dev advance <duration>` moves it further (evm_increaseTime).
    localDev: { type: "edr-simulated", chainType: "l1", mining: { auto: true, interval: LOCAL_DEV_BLOCK_INTERVAL_MS } },
    localhost: { type: "http", chainType: "l1", url: "http://127.0.0.1:8545" },
    sepolia: {
      type: "http",
      chainType: "l1",
      url: configVariable("SEPOLIA_RPC_URL"),
      accounts: [configVariable("SEPOLIA_PRIVATE_KEY")],
    },
  },
  verify: {
    etherscan: { apiKey: configVariable("ETHERSCAN_API_KEY") },
  },
});
