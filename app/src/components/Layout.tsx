/**
 * The frame around every page: the navbar (brand, the pages with the current one marked for
 * screen readers, the network, the theme toggle, the wallet), the wrong-network banner, the
 * page, a footer and the transaction toasts. One <nav>: inline on wide screens, a second row
 * under 640 px.
 */
import type { ReactNode } from "react";
import { chain, deployment } from "../marketConfig.ts";
import { ThemeToggle } from "./ThemeToggle.tsx";
import { Toasts } from "./Toasts.tsx";
import { ConnectButton } from "./wallet/ConnectButton.tsx";
import { NetworkBadge } from "./wallet/NetworkBadge.tsx";
import { NetworkBanner } from "./wallet/NetworkBanner.tsx";

export interface NavLink {
  readonly route: string;
  readonly label: string;
}

/** A link is current on its own route and the routes under it (#/explorer/test/3 is under Explorer). */
const isCurrent = (linkRoute: string, route: string) => route === linkRoute || (linkRoute !== "/" && route.startsWith(`${linkRoute}/`));

export function Layout({ links, route, children }: { links: readonly NavLink[]; route: string; children: ReactNode }) {
  return (
    <div className="flex min-h-screen flex-col">
      <header className="sticky top-0 z-30 border-b border-base-300 bg-base-100/95 backdrop-blur">
        <div className="mx-auto flex w-full max-w-6xl flex-wrap items-center gap-x-4 gap-y-1 px-3 py-2 sm:px-6">
          <a href="#/" className="flex items-center gap-2 text-lg font-bold tracking-tight">
            <span className="grid size-8 place-items-center rounded-field bg-primary text-primary-content" aria-hidden="true">
              M
            </span>
            <span className="sr-only min-[400px]:not-sr-only">ModelBazaar</span>
          </a>
          <nav aria-label="Pages" className="order-last -mx-1 w-full overflow-x-auto sm:order-none sm:mx-0 sm:w-auto sm:flex-1">
            <ul className="menu menu-horizontal menu-sm flex-nowrap gap-1 p-0 sm:menu-md">
              {links.map((link) => (
                <li key={link.route}>
                  <a href={`#${link.route}`} aria-current={isCurrent(link.route, route) ? "page" : undefined} className={isCurrent(link.route, route) ? "menu-active" : undefined}>
                    {link.label}
                  </a>
                </li>
              ))}
            </ul>
          </nav>
          <div className="ml-auto flex items-center gap-1 sm:gap-2">
            <NetworkBadge />
            <ThemeToggle />
            <ConnectButton />
          </div>
        </div>
      </header>
      <NetworkBanner />
      <div className="mx-auto w-full max-w-6xl flex-1 px-3 py-6 sm:px-6 sm:py-8">{children}</div>
      <footer className="border-t border-base-300 bg-base-100">
        <div className="mx-auto flex w-full max-w-6xl flex-wrap justify-between gap-2 px-3 py-4 text-xs text-base-content/80 sm:px-6">
          <span>ModelBazaar reads {chain.name} directly: no server stands between you and the contracts.</span>
          <span className="font-mono" title={deployment.market}>
            chain id {chain.id}
          </span>
        </div>
      </footer>
      <Toasts />
    </div>
  );
}
