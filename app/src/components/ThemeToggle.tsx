/** The navbar's light/dark switch (hooks/useTheme.ts): follows the OS until pressed. */
import { useTheme } from "../hooks/useTheme.ts";
import { MoonIcon, SunIcon } from "./Icons.tsx";

export function ThemeToggle() {
  const { theme, setTheme } = useTheme();
  const next = theme === "dark" ? "light" : "dark";
  return (
    <button type="button" className="btn btn-ghost btn-sm btn-square text-lg" aria-label={`Switch to ${next} theme`} title={`Switch to ${next} theme`} onClick={() => setTheme(next)} data-testid="theme-toggle">
      {theme === "dark" ? <SunIcon /> : <MoonIcon />}
    </button>
  );
}
