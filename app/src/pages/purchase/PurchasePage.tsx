/**
 * One purchase (#/purchase/<id>): what was paid and to whom, its stages with the current
 * deadline's countdown (read again at every block), and, for its buyer, the delivery: download,
 * verify, accept, decrypt, save the model and pay, or complain about a wrong chunk.
 */
import { isAddressEqual } from "viem";
import { useAccount } from "wagmi";
import { PURCHASE_STATUSES, type PurchaseView as PurchaseViewData } from "@modelbazaar/sdk/actions";
import { Address } from "../../components/Address.tsx";
import { PageHeader } from "../../components/PageHeader.tsx";
import { EmptyState, ErrorState, LoadingState } from "../../components/States.tsx";
import { StatusBadge } from "../../components/StatusBadge.tsx";
import { ether, modelName } from "../../format.ts";
import { useHashRoute } from "../../hooks/useHashRoute.ts";
import { useListing } from "../../hooks/useListing.ts";
import { usePurchase } from "../../hooks/usePurchase.ts";
import { Facts } from "../../components/Facts.tsx";
import { Panel } from "../../components/Panel.tsx";
import { DeliveryPanel } from "./_components/DeliveryPanel.tsx";
import { parseIdText } from "./_components/parseIdText.ts";
import { PurchaseTimeline } from "./_components/PurchaseTimeline.tsx";

export function PurchasePage() {
  const text = useHashRoute().split("/")[2];
  const purchaseId = parseIdText(text);
  if (purchaseId === undefined) {
    return (
      <main>
        <EmptyState title="Not a purchase">
          <p>
            "{text}" is not a purchase id. <a className="link" href="#/purchases">Your purchases</a>
          </p>
        </EmptyState>
      </main>
    );
  }
  return <Purchase purchaseId={purchaseId} />;
}

function Purchase({ purchaseId }: { purchaseId: bigint }) {
  const { data: view, error, isLoading } = usePurchase(purchaseId);
  if (error) {
    return (
      <main>
        <ErrorState title={`Cannot show purchase #${purchaseId}`} error={error} />
      </main>
    );
  }
  if (isLoading || !view) {
    return (
      <main>
        <LoadingState>Reading purchase #{String(purchaseId)}…</LoadingState>
      </main>
    );
  }
  return <PurchaseDetails view={view} />;
}

function PurchaseDetails({ view }: { view: PurchaseViewData }) {
  const purchaseId = view.purchaseId;
  const { data: listing } = useListing(BigInt(view.purchase.listingId));
  const { address } = useAccount();
  const name = listing ? modelName(listing.offer.metadataURI) : `listing-${view.purchase.listingId}`;
  const isBuyer = address !== undefined && isAddressEqual(address, view.purchase.buyer);
  return (
    <main>
      <PageHeader title={`Purchase #${purchaseId}`} actions={<a className="btn btn-ghost btn-sm" href="#/purchases">My purchases</a>}>
        <p className="flex flex-wrap items-center gap-2">
          <span data-testid="purchase-status">
            <StatusBadge enumName="PurchaseStatus" code={PURCHASE_STATUSES.indexOf(view.status)} />
          </span>
          of{" "}
          <a className="link" href={`#/model/${view.purchase.listingId}`}>
            {name} (listing #{view.purchase.listingId})
          </a>{" "}
          ·{" "}
          <a className="link" href={`#/explorer/purchase/${purchaseId}`}>
            timeline
          </a>
        </p>
      </PageHeader>
      <div className="grid gap-4 lg:grid-cols-2">
        <Panel id="purchase-facts-title" title="Purchase">
          <Facts
            rows={[
              ["Price", ether(view.purchase.price)],
              ["Escrow", ether(view.escrow)],
              ["Buyer", <Address address={view.purchase.buyer} />],
              ["Seller", <Address address={view.purchase.seller} />],
            ]}
          />
          <PurchaseTimeline view={view} />
        </Panel>
        <Panel id="delivery-title" title="Delivery">
          {isBuyer ? (
            <DeliveryPanel view={view} buyer={address} modelFile={`${name}.onnx`} />
          ) : (
            <p className="text-sm">{address === undefined ? "Connect the buyer's wallet to download, verify and accept the delivery." : "Only the buyer of this purchase receives its delivery."}</p>
          )}
        </Panel>
      </div>
    </main>
  );
}
