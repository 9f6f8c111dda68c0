/**
 * Stands in for `@walletconnect/ethereum-provider` while it is not installed (app/vite.config.ts):
 * choosing WalletConnect then fails with this sentence instead of breaking the build.
 */
export const EthereumProvider = {
  init(): never {
    throw new Error("WalletConnect is configured but @walletconnect/ethereum-provider is not installed: npm install @walletconnect/ethereum-provider");
  },
};
