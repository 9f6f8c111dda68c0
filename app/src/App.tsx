/**
 * The dApp's pages by hash route, inside the shared layout. The audit page is loaded on first
 * visit: it brings snarkjs (proof verification), which the listings page does not need.
 * Other pages join PAGES the same way (route, label, Page; lazy pages welcome).
 */
import { lazy, Suspense, type ComponentType } from "react";
import { Layout, type NavLink } from "./components/Layout.tsx";
import { EmptyState, LoadingState } from "./components/States.tsx";
import { useHashRoute } from "./hooks/useHashRoute.ts";
import { ListingsPage } from "./pages/listings/ListingsPage.tsx";

const AuditPage = lazy(async () => ({ default: (await import("./pages/audit/AuditPage.tsx")).AuditPage }));
const ExplorerPage = lazy(async () => ({ default: (await import("./pages/explorer/ExplorerPage.tsx")).ExplorerPage }));
const AddressPage = lazy(async () => ({ default: (await import("./pages/explorer/AddressPage.tsx")).AddressPage }));
const TxPage = lazy(async () => ({ default: (await import("./pages/tx/TxPage.tsx")).TxPage }));
const ModelPage = lazy(async () => ({ default: (await import("./pages/model/ModelPage.tsx")).ModelPage }));
const AuctionPage = lazy(async () => ({ default: (await import("./pages/auction/AuctionPage.tsx")).AuctionPage }));
const BuyPage = lazy(async () => ({ default: (await import("./pages/purchase/BuyPage.tsx")).BuyPage }));
const PurchasePage = lazy(async () => ({ default: (await import("./pages/purchase/PurchasePage.tsx")).PurchasePage }));
const MyPurchasesPage = lazy(async () => ({ default: (await import("./pages/purchase/MyPurchasesPage.tsx")).MyPurchasesPage }));
const SellPage = lazy(async () => ({ default: (await import("./pages/sell/SellPage.tsx")).SellPage }));
const DebugPage = lazy(async () => ({ default: (await import("./pages/debug/DebugPage.tsx")).DebugPage }));

const PAGES: readonly (NavLink & { readonly Page: ComponentType })[] = [
  { route: "/", label: "Listings", Page: ListingsPage },
  { route: "/sell", label: "Sell", Page: SellPage },
  { route: "/audit", label: "Audit", Page: AuditPage },
  { route: "/purchases", label: "Purchases", Page: MyPurchasesPage },
  { route: "/explorer", label: "Explorer", Page: ExplorerPage },
  { route: "/debug", label: "Debug", Page: DebugPage },
];

/** Pages reached by links, not from the navigation: a model, a transaction, an account. */
const LINKED_PAGES: readonly { readonly route: string; readonly Page: ComponentType }[] = [
  { route: "/model", Page: ModelPage },
  { route: "/auction", Page: AuctionPage },
  { route: "/tx", Page: TxPage },
  { route: "/address", Page: AddressPage },
  { route: "/buy", Page: BuyPage },
  { route: "/purchase", Page: PurchasePage },
];

/** A page's route matches itself and the routes under it (#/explorer/test/3, #/tx/0x…). */
const matches = (pageRoute: string, route: string) => route === pageRoute || (pageRoute !== "/" && route.startsWith(`${pageRoute}/`));

export function App() {
  const route = useHashRoute();
  const page = [...PAGES, ...LINKED_PAGES].find((p) => matches(p.route, route));
  return (
    <Layout links={PAGES} route={route}>
      {page ? (
        <Suspense fallback={<LoadingState>Loading the page…</LoadingState>}>
          <page.Page />
        </Suspense>
      ) : (
        <main>
          <EmptyState title="Page not found">
            <p>
              There is no page at #{route}. <a className="link" href="#/">Back to the listings</a>
            </p>
          </EmptyState>
        </main>
      )}
    </Layout>
  );
}
