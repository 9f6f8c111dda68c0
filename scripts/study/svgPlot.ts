/**
 * A small SVG line chart: log-scaled x (queries), linear y in [0, 1] (fidelity), one polyline
 * with markers per series and a legend. Enough for the study's plots, with no dependency.
 */

export interface PlotSeries {
  readonly label: string;
  readonly points: readonly { readonly x: number; readonly y: number }[];
}

export interface PlotOptions {
  readonly title: string;
  readonly xLabel: string;
  readonly yLabel: string;
  /** Dashed horizontal guides, e.g. the 90 % and 95 % fidelity targets. */
  readonly guides?: readonly number[];
}

const COLOURS = ["#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b", "#e377c2", "#17becf", "#7f7f7f", "#bcbd22"];
const WIDTH = 720;
const HEIGHT = 420;
const MARGIN = { left: 60, right: 250, top: 40, bottom: 50 };

export function linePlotSvg(series: readonly PlotSeries[], options: PlotOptions): string {
  const xs = series.flatMap((s) => s.points.map((p) => p.x)).filter((x) => x > 0);
  if (xs.length === 0) throw new RangeError("A plot needs at least one point with x > 0.");
  const lo = Math.floor(Math.log10(Math.min(...xs)));
  const hi = Math.max(lo + 1, Math.ceil(Math.log10(Math.max(...xs))));
  const plotW = WIDTH - MARGIN.left - MARGIN.right;
  const plotH = HEIGHT - MARGIN.top - MARGIN.bottom;
  const px = (x: number): number => MARGIN.left + ((Math.log10(x) - lo) / (hi - lo)) * plotW;
  const py = (y: number): number => MARGIN.top + (1 - y) * plotH;
  const parts: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${HEIGHT}" viewBox="0 0 ${WIDTH} ${HEIGHT}" font-family="sans-serif" font-size="12">`,
    `<rect width="${WIDTH}" height="${HEIGHT}" fill="white"/>`,
    `<text x="${WIDTH / 2 - MARGIN.right / 2}" y="22" text-anchor="middle" font-size="14">${escapeXml(options.title)}</text>`,
  ];
  for (let e = lo; e <= hi; e++) {
    const x = px(10 ** e);
    parts.push(`<line x1="${x}" y1="${MARGIN.top}" x2="${x}" y2="${MARGIN.top + plotH}" stroke="#ddd"/>`, `<text x="${x}" y="${MARGIN.top + plotH + 18}" text-anchor="middle">${(10 ** e).toLocaleString("en-US")}</text>`);
  }
  for (let t = 0; t <= 10; t += 2) {
    const y = py(t / 10);
    parts.push(`<line x1="${MARGIN.left}" y1="${y}" x2="${MARGIN.left + plotW}" y2="${y}" stroke="#ddd"/>`, `<text x="${MARGIN.left - 8}" y="${y + 4}" text-anchor="end">${t * 10}%</text>`);
  }
  for (const guide of options.guides ?? []) {
    const y = py(guide);
    parts.push(`<line x1="${MARGIN.left}" y1="${y}" x2="${MARGIN.left + plotW}" y2="${y}" stroke="#888" stroke-dasharray="4 4"/>`);
  }
  parts.push(
    `<rect x="${MARGIN.left}" y="${MARGIN.top}" width="${plotW}" height="${plotH}" fill="none" stroke="#333"/>`,
    `<text x="${MARGIN.left + plotW / 2}" y="${HEIGHT - 10}" text-anchor="middle">${escapeXml(options.xLabel)}</text>`,
    `<text transform="translate(16 ${MARGIN.top + plotH / 2}) rotate(-90)" text-anchor="middle">${escapeXml(options.yLabel)}</text>`,
  );
  series.forEach((s, i) => {
    const colour = COLOURS[i % COLOURS.length]!;
    const points = s.points.filter((p) => p.x > 0).map((p) => `${px(p.x).toFixed(1)},${py(p.y).toFixed(1)}`);
    parts.push(`<polyline fill="none" stroke="${colour}" stroke-width="2" points="${points.join(" ")}"/>`);
    for (const point of points) {
      const [cx, cy] = point.split(",");
      parts.push(`<circle cx="${cx}" cy="${cy}" r="3" fill="${colour}"/>`);
    }
    const ly = MARGIN.top + 10 + i * 18;
    parts.push(`<line x1="${WIDTH - MARGIN.right + 15}" y1="${ly}" x2="${WIDTH - MARGIN.right + 35}" y2="${ly}" stroke="${colour}" stroke-width="2"/>`, `<text x="${WIDTH - MARGIN.right + 40}" y="${ly + 4}">${escapeXml(s.label)}</text>`);
  });
  parts.push("</svg>", "");
  return parts.join("\n");
}

function escapeXml(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}
