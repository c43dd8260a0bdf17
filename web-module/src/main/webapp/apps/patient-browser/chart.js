// A line chart of measurements over time as inline SVG: one or more series on a shared time axis
// and value axis, round ticks on both, each point with its date and value as a tooltip.

import { svg } from './ui.js';
import { formatNumber } from './format.js';

const WIDTH = 900;
const HEIGHT = 300;
const MARGIN = { top: 24, right: 24, bottom: 48, left: 64 };
const DAY = 86_400_000;
const MAX_TICKS = 6;

/** Round value ticks (1, 2 or 5 times a power of ten) covering [min, max]. */
function valueScale(min, max) {
    const pad = min === max ? Math.max(Math.abs(min) * 0.1, 1) : (max - min) * 0.05;
    const low = min - pad;
    const high = max + pad;
    const rough = (high - low) / (MAX_TICKS - 1);
    const power = 10 ** Math.floor(Math.log10(rough));
    const step = [1, 2, 5, 10].map((m) => m * power).find((s) => s >= rough);
    const decimals = Math.max(0, -Math.floor(Math.log10(step)));
    const first = Math.floor(low / step) * step;
    const ticks = [];
    for (let v = first; v <= high + step * 1e-9; v += step) {
        ticks.push(Number(v.toFixed(decimals)));
    }
    if (ticks[ticks.length - 1] < high) {
        ticks.push(Number((ticks[ticks.length - 1] + step).toFixed(decimals)));
    }
    return { min: ticks[0], max: ticks[ticks.length - 1], ticks };
}

/** Calendar-aligned time ticks: years over a long span, months over a shorter one, else days. */
function timeTicks(min, max) {
    const span = max - min;
    const ticks = [];
    if (span > 2 * 365 * DAY) {
        const first = new Date(min).getFullYear() + 1;
        const last = new Date(max).getFullYear();
        const step = Math.max(1, Math.ceil((last - first + 1) / MAX_TICKS));
        for (let year = first; year <= last; year += step) {
            ticks.push({ t: new Date(year, 0, 1).getTime(), label: String(year) });
        }
    } else if (span > 60 * DAY) {
        const start = new Date(min);
        const months = Math.ceil(span / (30 * DAY));
        const step = Math.max(1, Math.ceil(months / MAX_TICKS));
        for (let d = new Date(start.getFullYear(), start.getMonth() + 1, 1); d.getTime() <= max; d = new Date(d.getFullYear(), d.getMonth() + step, 1)) {
            ticks.push({ t: d.getTime(), label: d.toLocaleDateString(undefined, { month: 'short', year: 'numeric' }) });
        }
    } else {
        const step = Math.max(1, Math.ceil(span / DAY / MAX_TICKS));
        const start = new Date(min);
        for (let d = new Date(start.getFullYear(), start.getMonth(), start.getDate() + 1); d.getTime() <= max; d = new Date(d.getFullYear(), d.getMonth(), d.getDate() + step)) {
            ticks.push({ t: d.getTime(), label: d.toLocaleDateString(undefined, { day: 'numeric', month: 'short' }) });
        }
    }
    return ticks;
}

/**
 * series: [{ label, points: [{ time: Date, value: number }] }], at least one point in all.
 * unit labels the value axis; title names the chart for assistive technology.
 */
export function lineChart({ series, unit, title }) {
    const points = series.flatMap((s) => s.points);
    const times = points.map((p) => p.time.getTime());
    const values = points.map((p) => p.value);
    let tMin = Math.min(...times);
    let tMax = Math.max(...times);
    if (tMin === tMax) {
        tMin -= 15 * DAY;
        tMax += 15 * DAY;
    }
    const scale = valueScale(Math.min(...values), Math.max(...values));
    const left = MARGIN.left;
    const right = WIDTH - MARGIN.right;
    const top = MARGIN.top;
    const bottom = HEIGHT - MARGIN.bottom;
    const x = (t) => left + ((t - tMin) / (tMax - tMin)) * (right - left);
    const y = (v) => bottom - ((v - scale.min) / (scale.max - scale.min)) * (bottom - top);

    const yAxis = scale.ticks.map((v) => [
        svg('line', { class: 'chart-grid', x1: left, x2: right, y1: y(v), y2: y(v) }),
        svg('text', { class: 'chart-tick', x: left - 8, y: y(v), 'text-anchor': 'end', 'dominant-baseline': 'middle' }, formatNumber(v)),
    ]);
    const xAxis = timeTicks(tMin, tMax).map((tick) => [
        svg('line', { class: 'chart-tick-mark', x1: x(tick.t), x2: x(tick.t), y1: bottom, y2: bottom + 5 }),
        svg('text', { class: 'chart-tick', x: x(tick.t), y: bottom + 20, 'text-anchor': 'middle' }, tick.label),
    ]);
    const lines = series.map((s, index) => {
        const sorted = [...s.points].sort((a, b) => a.time - b.time);
        const path = sorted.map((p, i) => `${i === 0 ? 'M' : 'L'}${x(p.time.getTime()).toFixed(1)},${y(p.value).toFixed(1)}`).join(' ');
        return svg('g', { class: `chart-series series-${index}`, 'data-series': s.label },
            svg('path', { class: 'chart-line', d: path }),
            sorted.map((p) => svg('circle', { class: 'chart-point', cx: x(p.time.getTime()), cy: y(p.value), r: 4, 'data-testid': 'chart-point' },
                svg('title', {}, `${p.time.toLocaleDateString(undefined, { dateStyle: 'medium' })}: ${formatNumber(p.value)} ${unit}${series.length > 1 ? ` (${s.label})` : ''}`))));
    });
    const legend = series.length > 1 ? series.map((s, index) => svg('g', { class: `chart-legend series-${index}` },
        svg('circle', { class: 'chart-point', cx: left + 10 + index * 140, cy: 10, r: 4 }),
        svg('text', { class: 'chart-tick', x: left + 20 + index * 140, y: 10, 'dominant-baseline': 'middle' }, s.label))) : null;

    return svg('svg', {
        class: 'chart', viewBox: `0 0 ${WIDTH} ${HEIGHT}`, role: 'img', 'aria-label': title,
        preserveAspectRatio: 'xMidYMid meet', 'data-testid': 'vital-chart',
    },
    svg('title', {}, title),
    yAxis, xAxis,
    svg('line', { class: 'chart-axis', x1: left, x2: right, y1: bottom, y2: bottom }),
    svg('line', { class: 'chart-axis', x1: left, x2: left, y1: top, y2: bottom }),
    svg('text', { class: 'chart-unit', 'data-testid': 'chart-unit', transform: `translate(16 ${(top + bottom) / 2}) rotate(-90)`, 'text-anchor': 'middle' }, unit),
    legend, lines);
}
