/** The frame around every page: the navigation between them, the current one marked for screen readers. */
import type { ReactNode } from "react";

export interface NavLink {
  readonly route: string;
  readonly label: string;
}

export function Layout({ links, route, children }: { links: readonly NavLink[]; route: string; children: ReactNode }) {
  return (
    <>
      <nav aria-label="Pages">
        <ul>
          {links.map((link) => (
            <li key={link.route}>
              <a href={`#${link.route}`} aria-current={link.route === route ? "page" : undefined}>
                {link.label}
              </a>
            </li>
          ))}
        </ul>
      </nav>
      {children}
    </>
  );
}
