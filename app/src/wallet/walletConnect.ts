/**
 * WalletConnect, offered when the server injects a WalletConnect Cloud project id
 * (MODELBAZAAR_WALLETCONNECT_PROJECT_ID for `npm start`). wagmi's connector loads
 * `@walletconnect/ethereum-provider` on first use; that package (and its relay, which needs
 * the internet) is not installed here, so app/vite.config.ts points it at a stub that says so
 * unless it is installed: `npm install @walletconnect/ethereum-provider` turns it on.
 */
import { walletConnect } from "wagmi/connectors";

export function walletConnectConnector(projectId: string) {
  return walletConnect({ projectId, showQrModal: true, metadata: { name: "ModelBazaar", description: "Test-drive ML models before buying them", url: window.location.origin, icons: [] } });
}
