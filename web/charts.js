// Two charts of the report, drawn as SVG: daily pain over time with the sessions marked,
// and the median change per technique.

import { s, words, signed } from './dom.js';

const DAY_MS = 86400000;

// The person's day of an entry: the date part of its time, which carries its own offset.
function dayOf(at) {
  return at.slice(0, 10);
}

function dayNumber(day) {
  return Math.round(Date.parse(`${day}T00:00:00Z`) / DAY_MS);
}

function dayText(n) {
  return new Date(n * DAY_MS).toISOString().slice(0, 10);
}

// Daily pain as the report computes it (docs/diary.md): the mean, per day, of each pain
// entry's peak intensity and each session's pain before. Returns [{day, pain, sessions}].
export function dailyPain(painEntries, sessions) {
  const days = new Map();
  const at = (day) => {
    if (!days.has(day)) days.set(day, { day, readings: [], sessions: [] });
    return days.get(day);
  };
  for (const e of painEntries) {
    if (e.deleted) continue;
    at(dayOf(e.at)).readings.push(Math.max(0, ...e.regions.map((r) => r.intensity)));
  }
  for (const e of sessions) {
    if (e.deleted) continue;
    const d = at(dayOf(e.at));
    d.readings.push(e.before);
    d.sessions.push(e);
  }
  return [...days.values()]
    .map((d) => ({ day: d.day, pain: d.readings.reduce((a, b) => a + b, 0) / d.readings.length, sessions: d.sessions }))
    .sort((a, b) => (a.day < b.day ? -1 : 1));
}

// The daily pain chart, `width` units wide (draw it at its pixel width so the text keeps
// its size). days: the output of dailyPain.
export function dailyChart(days, width = 640) {
  const W = Math.max(280, Math.round(width));
  const H = 260;
  const left = 38;
  const right = 14;
  const top = 14;
  const bottom = 54;
  const first = dayNumber(days[0].day);
  const last = dayNumber(days[days.length - 1].day);
  const span = Math.max(1, last - first);
  const x = (day) => (first === last ? (left + W - right) / 2 : left + ((dayNumber(day) - first) / span) * (W - left - right));
  const y = (pain) => top + (1 - pain / 10) * (H - top - bottom);
  const svg = s('svg', {
    viewBox: `0 0 ${W} ${H}`, class: 'chart chart-daily', role: 'img',
    'aria-label': `Daily pain from ${days[0].day} to ${days[days.length - 1].day}: ` +
      days.map((d) => `${d.day} ${d.pain.toFixed(1)}`).join(', '),
  });
  for (let v = 0; v <= 10; v += 2) {
    svg.append(
      s('line', { x1: left, x2: W - right, y1: y(v), y2: y(v), class: v === 0 ? 'axis' : 'grid' }),
      s('text', { x: left - 8, y: y(v), class: 'tick', 'text-anchor': 'end', 'dominant-baseline': 'central' }, String(v)));
  }
  const ticks = Math.max(1, Math.min(span, 5, Math.floor((W - left - right) / 64)));
  for (let i = 0; i <= ticks; i++) {
    const n = first + Math.round((span * i) / Math.max(1, ticks));
    const day = dayText(n);
    svg.append(s('text', { x: x(day), y: H - bottom + 40, class: 'tick', 'text-anchor': first === last ? 'middle' : i === 0 ? 'start' : i === ticks ? 'end' : 'middle' }, day.slice(5)));
    if (first === last) break;
  }
  const points = days.map((d) => `${x(d.day)},${y(d.pain)}`).join(' ');
  if (days.length > 1) svg.append(s('polyline', { points, class: 'line' }));
  for (const d of days) {
    svg.append(s('circle', { cx: x(d.day), cy: y(d.pain), r: 4.5, class: 'dot', 'data-day': d.day },
      s('title', null, `${d.day}: daily pain ${d.pain.toFixed(1)}`)));
    d.sessions.forEach((e, i) => {
      const cx = x(d.day);
      const cy = H - bottom + 12 + i * 9;
      svg.append(s('path', { d: `M${cx} ${cy - 5}L${cx + 5} ${cy + 4}L${cx - 5} ${cy + 4}Z`, class: 'session-mark', 'data-id': e.id },
        s('title', null, `${d.day}: ${words(e.technique)}, pain ${e.before} → ${e.after}`)));
    });
  }
  return svg;
}

// The median change per technique: bars left of zero are relief, right of zero are worse.
// On a narrow chart each technique's name goes above its bar instead of beside it.
export function medianChart(techniques, width = 640) {
  const W = Math.max(280, Math.round(width));
  const narrow = W < 460;
  const row = narrow ? 50 : 34;
  const labelW = narrow ? 0 : 150;
  const top = 24;
  const H = top + techniques.length * row + 26;
  const most = Math.max(3, ...techniques.map((t) => Math.ceil(Math.abs(t.median_change || 0))));
  const room = 64; // for the value written at the end of a bar
  const x0 = labelW + room + (W - labelW - 2 * room) / 2;
  const scale = (W - labelW - 2 * room) / 2 / most;
  const svg = s('svg', {
    viewBox: `0 0 ${W} ${H}`, class: 'chart chart-median', role: 'img',
    'aria-label': 'Median change in pain per technique: ' +
      techniques.map((t) => `${words(t.technique)} ${signed(t.median_change)}`).join(', '),
  });
  svg.append(
    s('text', { x: x0 - 6, y: 12, class: 'tick', 'text-anchor': 'end' }, '← less pain'),
    s('text', { x: x0 + 6, y: 12, class: 'tick' }, 'more pain →'));
  techniques.forEach((t, i) => {
    const cy = top + i * row + (narrow ? 32 : row / 2);
    const m = t.median_change || 0;
    const w = Math.abs(m) * scale;
    svg.append(
      narrow
        ? s('text', { x: 4, y: cy - 19, class: 'label', 'dominant-baseline': 'central' }, words(t.technique))
        : s('text', { x: labelW - 10, y: cy, class: 'label', 'text-anchor': 'end', 'dominant-baseline': 'central' }, words(t.technique)),
      s('rect', { x: m < 0 ? x0 - w : x0, y: cy - 9, width: Math.max(w, 1.5), height: 18, class: m < 0 ? 'bar relief' : 'bar worse', 'data-technique': t.technique },
        s('title', null, `${words(t.technique)}: median ${signed(t.median_change)} over ${t.sessions} sessions`)),
      s('text', { x: m < 0 ? x0 - w - 6 : x0 + w + 6, y: cy, class: 'value', 'text-anchor': m < 0 ? 'end' : 'start', 'dominant-baseline': 'central' },
        `${signed(t.median_change)} (${t.sessions})`));
  });
  svg.append(s('line', { x1: x0, x2: x0, y1: top - 4, y2: H - 22, class: 'axis' }));
  for (const v of [-most, 0, most]) {
    svg.append(s('text', { x: x0 + v * scale, y: H - 6, class: 'tick', 'text-anchor': 'middle' }, v > 0 ? `+${v}` : String(v)));
  }
  return svg;
}
