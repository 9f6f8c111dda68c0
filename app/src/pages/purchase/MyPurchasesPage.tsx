/** The connected account's purchases (#/purchases), newest first, each with its stage and the deadline it waits on, linked to its page. */
import { useAccount } from "wagmi";
import { PURCHASE_STATUSES, type PurchaseView } from "@modelbazaar/sdk/actions";
import { Countdown } from "../../components/Countdown.tsx";
import { DataTable } from "../../components/DataTable.tsx";
import { PageHeader } from "../../components/PageHeader.tsx";
import { EmptyState, ErrorState, LoadingState } from "../../components/States.tsx";
import { StatusBadge } from "../../components/StatusBadge.tsx";
import { ether } from "../../format.ts";
import { useMyPurchases } from "../../hooks/useMyPurchases.ts";

/** The deadline the purchase waits on now, if any. */
function nextDeadline(view: PurchaseView): bigint | undefined {
  const { deadlines } = view;
  switch (view.status) {
    case "AwaitingDelivery":
      return deadlines.delivery;
    case "AwaitingAcceptance":
      return deadlines.acceptance;
    case "AwaitingKey":
      return deadlines.key;
    case "ComplaintWindow":
      return deadlines.complaint;
    default:
      return undefined;
  }
}

export function MyPurchasesPage() {
  const { address } = useAccount();
  const { data, error, isLoading } = useMyPurchases(address);
  return (
    <main>
      <PageHeader title="My purchases">
        <p>Every model you bought, where its delivery stands, and what is due next.</p>
      </PageHeader>
      {address === undefined ? (
        <EmptyState title="No wallet connected">
          <p>Connect your wallet to see your purchases.</p>
        </EmptyState>
      ) : error ? (
        <ErrorState title="Cannot read your purchases" error={error} />
      ) : isLoading || !data ? (
        <LoadingState>Reading your purchases…</LoadingState>
      ) : data.length === 0 ? (
        <EmptyState title="No purchases yet">
          <p>
            Buy a model from its page. <a className="link" href="#/">Browse the listings</a>
          </p>
        </EmptyState>
      ) : (
        <DataTable
          header={["Purchase", "Listing", "Price", "Status", "Next deadline"]}
          rowKey={(i) => String(data[i]!.purchaseId)}
          rowTestId="my-purchase"
          rows={data.map((view) => {
            const deadline = nextDeadline(view);
            return [
              <a className="link" href={`#/purchase/${view.purchaseId}`}>
                #{String(view.purchaseId)}
              </a>,
              <a className="link" href={`#/model/${view.purchase.listingId}`}>
                #{view.purchase.listingId}
              </a>,
              ether(view.purchase.price),
              <StatusBadge enumName="PurchaseStatus" code={PURCHASE_STATUSES.indexOf(view.status)} />,
              deadline === undefined ? "—" : <Countdown deadline={deadline} />,
            ];
          })}
        />
      )}
    </main>
  );
}
