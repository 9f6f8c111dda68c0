/** The dApp's entry: providers (wagmi, TanStack Query) around the pages. */
import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { StrictMode } from "react";
import { createRoot } from "react-dom/client";
import { WagmiProvider } from "wagmi";
import { wagmiConfig } from "./marketConfig.ts";
import { ListingsPage } from "./pages/listings/ListingsPage.tsx";

const queryClient = new QueryClient();

createRoot(document.getElementById("root")!).render(
  <StrictMode>
    <WagmiProvider config={wagmiConfig}>
      <QueryClientProvider client={queryClient}>
        <ListingsPage />
      </QueryClientProvider>
    </WagmiProvider>
  </StrictMode>,
);
