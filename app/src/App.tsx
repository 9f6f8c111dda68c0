/**
 * The dApp's pages by hash route, inside the shared layout. The audit page is loaded on first
 * visit: it brings snarkjs (proof verification), which the listings page does not need.
 */
import { lazy, Suspense, type ComponentType } from "react";
import { Layout, type NavLink } from "./components/Layout.tsx";
import { useHashRoute } from "./hooks/useHashRoute.ts";
import { ListingsPage } from "./pages/listings/ListingsPage.tsx";

const AuditPage = lazy(async () => ({ default: (await import("./pages/audit/AuditPage.tsx")).AuditPage }));

const PAGES: readonly (NavLink & { readonly Page: ComponentType })[] = [
  { route: "/", label: "Listings", Page: ListingsPage },
  { route: "/audit", label: "Audit", Page: AuditPage },
];

export function App() {
  const route = useHashRoute();
  const page = PAGES.find((p) => p.route === route);
  return (
    <Layout links={PAGES} route={route}>
      {page ? (
        <Suspense fallback={<p>Loading…</p>}>
          <page.Page />
        </Suspense>
      ) : (
        <main>
          <p>There is no page at #{route}.</p>
        </main>
      )}
    </Layout>
  );
}
