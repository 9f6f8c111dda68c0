import { createRequire } from "node:module";
import hardhatToolboxViemPlugin from "@nomicfoundation/hardhat-toolbox-viem";
import { configVariable, defineConfig } from "hardhat/config";

// solc comes from the npm package `solc` (WASM), so compiling never downloads a compiler.
const require = createRequire(import.meta.url);
const solcVersion: string = require("solc/package.json").version;
const solcPath = require.resolve("solc/soljson.js");

export default defineConfig({
  plugins: [hardhatToolboxViemPlugin],
  solidity: {
    profiles: {
      default: {
        version: solcVersion,
        path: solcPath,
        settings: { optimizer: { enabled: true, runs: 10_000 }, evmVersion: "cancun" },
      },
      production: {
        version: solcVersion,
        path: solcPath,
        settings: { optimizer: { enabled: true, runs: 10_000 }, evmVersion: "cancun" },
      },
    },
  },
  paths: {
    tests: { nodejs: "test", solidity: "contracts" },
  },
  networks: {
    hardhatMainnet: { type: "edr-simulated", chainType: "l1" },
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
