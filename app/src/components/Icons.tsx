/** The few line icons the shell uses (24-unit stroke icons, decorative: labels carry the meaning). */
import type { SVGProps } from "react";

function Icon({ d, ...props }: { d: string } & SVGProps<SVGSVGElement>) {
  return (
    <svg viewBox="0 0 24 24" width="1em" height="1em" fill="none" stroke="currentColor" strokeWidth={2} strokeLinecap="round" strokeLinejoin="round" aria-hidden="true" focusable="false" {...props}>
      <path d={d} />
    </svg>
  );
}

export const CopyIcon = (p: SVGProps<SVGSVGElement>) => <Icon d="M9 9h10v10H9zM5 15H4a1 1 0 0 1-1-1V4a1 1 0 0 1 1-1h10a1 1 0 0 1 1 1v1" {...p} />;
export const CheckIcon = (p: SVGProps<SVGSVGElement>) => <Icon d="M20 6 9 17l-5-5" {...p} />;
export const SunIcon = (p: SVGProps<SVGSVGElement>) => <Icon d="M12 3v2M12 19v2M5.6 5.6 7 7M17 17l1.4 1.4M3 12h2M19 12h2M5.6 18.4 7 17M17 7l1.4-1.4M16 12a4 4 0 1 1-8 0 4 4 0 0 1 8 0z" {...p} />;
export const MoonIcon = (p: SVGProps<SVGSVGElement>) => <Icon d="M21 12.8A9 9 0 1 1 11.2 3a7 7 0 0 0 9.8 9.8z" {...p} />;
export const WalletIcon = (p: SVGProps<SVGSVGElement>) => <Icon d="M3 7a2 2 0 0 1 2-2h13v4M3 7v11a2 2 0 0 0 2 2h15V9H5a2 2 0 0 1-2-2zM16 14.5h.01" {...p} />;
export const CloseIcon = (p: SVGProps<SVGSVGElement>) => <Icon d="M18 6 6 18M6 6l12 12" {...p} />;
export const AlertIcon = (p: SVGProps<SVGSVGElement>) => <Icon d="M12 9v4M12 17h.01M10.3 3.9 1.8 18a2 2 0 0 0 1.7 3h17a2 2 0 0 0 1.7-3L13.7 3.9a2 2 0 0 0-3.4 0z" {...p} />;
