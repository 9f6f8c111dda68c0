/**
 * The seller's dashboard (#/sell) for the connected account: what the market owes it, each
 * credit named by its source, and the withdrawal; its listings with their status, price,
 * test-drives served, sales and disputes, each with its worker's status and the registry's
 * pause, resume, reprice and delist; and a new listing from an ONNX file, its terms checked
 * against the model in this browser (the SDK's prepareListing, the checks `bazaar list` makes)
 * before anything is sent.
 */
import { useConnection } from "wagmi";
import { PageHeader } from "../../components/PageHeader.tsx";
import { EmptyState } from "../../components/States.tsx";
import { ConnectButton } from "../../components/wallet/ConnectButton.tsx";
import { CreateListingPanel } from "./_components/CreateListingPanel.tsx";
import { EarningsPanel } from "./_components/EarningsPanel.tsx";
import { SellerListingsPanel } from "./_components/SellerListingsPanel.tsx";

export function SellPage() {
  const { address } = useConnection();
  return (
    <main>
      <PageHeader title="Sell">Your listings, your worker, your earnings, and a new listing from an ONNX file.</PageHeader>
      {address ? (
        <div className="grid items-start gap-4 lg:grid-cols-3">
          <SellerListingsPanel seller={address} />
          <EarningsPanel account={address} />
          <CreateListingPanel seller={address} />
        </div>
      ) : (
        <EmptyState title="Connect a wallet to sell">
          <p className="mb-3">The dashboard shows the listings, earnings and worker of the account you connect.</p>
          <ConnectButton />
        </EmptyState>
      )}
    </main>
  );
}
