/**
 * The study's plots as plain SVG (no plotting package here): a bar chart with an optional
 * dashed reference line, and a line chart of several series. Text is escaped; sizes are fixed.
 */

const WIDTH = 720;
/** Bar charts leave room below for their slanted labels; line charts do not. */
const BAR_HEIGHT = 440;
const LINE_HEIGHT = 330;
const MARGIN = { left: 60, right: 120, top: 36 };
const BAR_BOTTOM = 180;
const LINE_BOTTOM = 70;
const COLOURS = ["#2563eb", "#dc2626", "#16a34a", "#9333ea", "#ea580c"];

const escape = (text: string) => text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
const frame = (title: string, height: number, body: string[]) =>
  [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${height}" viewBox="0 0 ${WIDTH} ${height}" font-family="sans-serif" font-size="11">`,
    `<rect width="${WIDTH}" height="${height}" fill="white"/>`,
    `<text x="${WIDTH / 2}" y="20" text-anchor="middle" font-size="14">${escape(title)}</text>`,
    ...body,
    "</svg>",
    "",
  ].join("\n");

function yAxis(max: number, label: string, height: number, bottom: number): { y: (value: number) => string; lines: string[] } {
  const plotHeight = height - MARGIN.top - bottom;
  const y = (value: number) => (MARGIN.top + plotHeight * (1 - value / max)).toFixed(1);
  const lines = [0, 0.25, 0.5, 0.75, 1].map((f) => {
    const value = f * max;
    return `<line x1="${MARGIN.left}" x2="${WIDTH - MARGIN.right}" y1="${y(value)}" y2="${y(value)}" stroke="#e5e7eb"/><text x="${MARGIN.left - 6}" y="${y(value)}" text-anchor="end" dominant-baseline="middle">${value.toFixed(2)}</text>`;
  });
  lines.push(`<text transform="translate(14 ${MARGIN.top + plotHeight / 2}) rotate(-90)" text-anchor="middle">${escape(label)}</text>`);
  return { y, lines };
}

export interface BarChart {
  readonly title: string;
  readonly yLabel: string;
  readonly bars: readonly { readonly label: string; readonly value: number }[];
  readonly max: number;
  readonly reference?: { readonly label: string; readonly value: number };
}

export function barChartSvg(chart: BarChart): string {
  const { y, lines } = yAxis(chart.max, chart.yLabel, BAR_HEIGHT, BAR_BOTTOM);
  const slot = (WIDTH - MARGIN.left - MARGIN.right) / chart.bars.length;
  const bars = chart.bars.map(({ label, value }, k) => {
    const x = MARGIN.left + k * slot + slot * 0.15;
    const top = Number(y(Math.min(value, chart.max)));
    const bottom = Number(y(0));
    const cx = x + slot * 0.35;
    return [
      `<rect x="${x.toFixed(1)}" y="${top.toFixed(1)}" width="${(slot * 0.7).toFixed(1)}" height="${(bottom - top).toFixed(1)}" fill="${COLOURS[0]}"/>`,
      `<text x="${cx.toFixed(1)}" y="${(top - 4).toFixed(1)}" text-anchor="middle">${value.toFixed(3)}</text>`,
      `<text transform="translate(${cx.toFixed(1)} ${bottom + 10}) rotate(35)" text-anchor="start">${escape(label)}</text>`,
    ].join("");
  });
  const reference = chart.reference
    ? [`<line x1="${MARGIN.left}" x2="${WIDTH - MARGIN.right}" y1="${y(chart.reference.value)}" y2="${y(chart.reference.value)}" stroke="${COLOURS[1]}" stroke-dasharray="6 4"/>`, `<text x="${WIDTH - MARGIN.right}" y="${Number(y(chart.reference.value)) - 4}" text-anchor="end" fill="${COLOURS[1]}">${escape(chart.reference.label)}</text>`]
    : [];
  return frame(chart.title, BAR_HEIGHT, [...lines, ...bars, ...reference]);
}

export interface LineChart {
  readonly title: string;
  readonly xLabel: string;
  readonly yLabel: string;
  readonly max: number;
  readonly xs: readonly number[];
  readonly series: readonly { readonly name: string; readonly values: readonly number[] }[];
}

export function lineChartSvg(chart: LineChart): string {
  const { y, lines } = yAxis(chart.max, chart.yLabel, LINE_HEIGHT, LINE_BOTTOM);
  const plotWidth = WIDTH - MARGIN.left - MARGIN.right;
  const x = (k: number) => (MARGIN.left + (plotWidth * (k + 0.5)) / chart.xs.length).toFixed(1);
  const ticks = chart.xs.map((value, k) => `<text x="${x(k)}" y="${Number(y(0)) + 16}" text-anchor="middle">${value}</text>`);
  ticks.push(`<text x="${MARGIN.left + plotWidth / 2}" y="${Number(y(0)) + 34}" text-anchor="middle">${escape(chart.xLabel)}</text>`);
  const series = chart.series.flatMap(({ name, values }, s) => [
    `<polyline fill="none" stroke="${COLOURS[s % COLOURS.length]}" stroke-width="2" points="${values.map((v, k) => `${x(k)},${y(Math.min(v, chart.max))}`).join(" ")}"/>`,
    ...values.map((v, k) => `<circle cx="${x(k)}" cy="${y(Math.min(v, chart.max))}" r="3" fill="${COLOURS[s % COLOURS.length]}"/>`),
    `<text x="${WIDTH - 130}" y="${MARGIN.top + 12 + 14 * s}" text-anchor="end" fill="${COLOURS[s % COLOURS.length]}">— ${escape(name)}</text>`,
  ]);
  return frame(chart.title, LINE_HEIGHT, [...lines, ...ticks, ...series]);
}
