// The report: what each treatment does at once, how daily pain moves over weeks, fair and
// unfair comparisons, n-of-1 trials; with the two charts.

import { h, replace, words, signed, fixed } from './dom.js';
import { get, plainError } from './api.js';
import { dailyPain, dailyChart, medianChart } from './charts.js';

const VERDICT = {
  too_little_data: 'too little data (fewer than 5 sessions)',
  instant_relief: 'instant relief',
  builds_over_weeks: 'builds over weeks',
  not_helping_yet: 'not helping yet',
  cannot_tell_yet: 'cannot tell yet',
  A_better: 'first better',
  B_better: 'second better',
  no_meaningful_difference: 'no meaningful difference',
  inconclusive: 'inconclusive: log another block',
};

let since = '';

function interval(x, low, high, unit = '') {
  if (x === null || x === undefined) return 'not enough data';
  const range = low === null || low === undefined ? '' : ` (95% interval ${signed(low)} to ${signed(high)})`;
  return `${signed(x)}${unit}${range}`;
}

// A treatment's part in the course over weeks: its effect with the 90% interval, and the
// days behind it; the words say what it means.
function course(c) {
  if (!c || c.effect_per_week === null || c.effect_per_week === undefined) return 'no figure';
  return `${signed(c.effect_per_week)} a week (90% interval ${signed(c.low)} to ${signed(c.high)}), ${c.days} days`;
}

function soreness(s) {
  if (!s || !s.sessions) return '–';
  const m = `median ${fixed(s.median)}`;
  return s.flag ? `${m}; 5 or more after ${s.high} of ${s.sessions}` : m;
}

function percent(x) {
  return x === null || x === undefined ? '–' : `${Math.round(x * 100)}%`;
}

export function renderReport(root, ctx) {
  const body = h('div', { class: 'report-body', 'aria-live': 'polite' }, h('p', { class: 'loading' }, 'Loading…'));
  const sinceInput = h('input', { id: 'since', type: 'date', value: since });
  const form = h('form', { class: 'since-form', onsubmit: (e) => { e.preventDefault(); since = sinceInput.value; load(); } },
    h('label', { for: 'since' }, 'Since'), sinceInput,
    h('button', { type: 'submit', class: 'small' }, 'Show'),
    h('button', { type: 'button', class: 'small secondary', onclick: () => { since = ''; sinceInput.value = ''; load(); } }, 'All'));

  replace(root, h('section', { class: 'panel report', 'aria-labelledby': 'report-title' },
    h('div', { class: 'report-head' }, h('h2', { id: 'report-title' }, 'What helps you'), form),
    body));

  async function load() {
    const q = since ? `?since=${encodeURIComponent(since)}` : '';
    try {
      const [report, pain, sessions] = await Promise.all([get(`/api/report${q}`), get(`/api/pain${q}`), get(`/api/sessions${q}`)]);
      draw(report, pain, sessions);
    } catch (err) {
      replace(body, h('div', { class: 'error', role: 'alert' }, plainError(err)));
    }
  }

  function draw(r, pain, sessions) {
    const days = dailyPain(pain, sessions);
    if (days.length === 0) {
      replace(body, h('p', { class: 'empty' }, 'Nothing logged yet. ', h('a', { href: '#/diary' }, 'Log pain and sessions in the diary'), ' and the figures appear here.'));
      return;
    }
    const t = r.trend;
    const techniques = r.techniques || [];
    const full = body.clientWidth || 640;
    const chartWidth = (window.innerWidth > 900 ? (full - 18) / 2 : full) - 22;
    replace(body,
      h('div', { class: 'charts' },
        h('figure', { class: 'chart-box' },
          h('figcaption', null, 'Daily pain (0-10), with sessions marked ▲ below the axis'),
          dailyChart(days, chartWidth)),
        techniques.length ? h('figure', { class: 'chart-box' },
          h('figcaption', null, 'Median change in pain just after each treatment (sessions in brackets)'),
          medianChart(techniques, chartWidth)) : null),
      h('section', null,
        h('h3', null, 'What each treatment does right away'),
        techniques.length ? h('div', { class: 'table-wrap' }, h('table', { class: 'techniques' },
          h('thead', null, h('tr', null, ['Technique', 'Sessions', 'Median change', 'Mean change', 'Meaningful drop', 'Verdict', 'Over weeks, apart from the course', 'Sore the next day']
            .map((c) => h('th', { scope: 'col' }, c)))),
          h('tbody', null, techniques.map((x) => h('tr', { 'data-technique': x.technique },
            h('th', { scope: 'row' }, words(x.technique)),
            h('td', { class: 'num', 'data-label': 'Sessions' }, String(x.sessions)),
            h('td', { class: 'num', 'data-label': 'Median change' }, signed(x.median_change)),
            h('td', { class: 'num', 'data-label': 'Mean change' }, signed(x.mean_change)),
            h('td', { class: 'num', 'data-label': 'Meaningful drop' }, percent(x.meaningful_share)),
            h('td', { 'data-label': 'Verdict' }, h('span', { class: `verdict verdict-${x.verdict}` }, VERDICT[x.verdict] || words(x.verdict))),
            h('td', { 'data-label': 'Over weeks', class: 'course' }, course(x.course)),
            h('td', { 'data-label': 'Sore the next day', class: x.soreness && x.soreness.flag ? 'sore-flag' : null }, soreness(x.soreness))))))) : h('p', { class: 'empty' }, 'No sessions logged yet.'),
        techniques.length ? h('ul', { class: 'course-meanings' }, techniques.map((x) => h('li', { 'data-technique': x.technique },
          h('strong', null, `${words(x.technique)}: `), x.course ? x.course.meaning : ''))) : null,
        h('p', { class: 'note' }, 'Change = pain just after minus just before; negative is relief. A meaningful drop is at least 2 points or 30%.')),
      h('section', null,
        h('h3', null, 'Over weeks'),
        h('dl', { class: 'figures-list' },
          h('dt', null, 'Trend'), h('dd', null, interval(t.slope_per_week, t.low, t.high, ' points a week')),
          h('dt', null, 'Days logged'), h('dd', null, `${t.days}${t.first_day ? `, ${t.first_day} to ${t.last_day}` : ''}`),
          h('dt', null, 'First week'), h('dd', null, `mean ${fixed(t.first_week_mean)}`),
          h('dt', null, 'Last week'), h('dd', null, `mean ${fixed(t.last_week_mean)}`),
          h('dt', null, 'Days to 30% less pain'), h('dd', null, t.days_to_30_percent === null ? 'not yet' : String(t.days_to_30_percent)),
          h('dt', null, 'Recurrences'), h('dd', null, r.recurrences.count === 0 ? 'none' : `${r.recurrences.count}: ` +
            r.recurrences.latest.map((x) => `${words(x.region)} back on ${x.back_on} after ${x.quiet_days} quiet days`).join('; ')))),
      h('section', null,
        h('h3', null, 'Treatment against treatment'),
        r.comparisons.length ? h('ul', { class: 'comparisons' }, r.comparisons.map((c) => h('li', null,
          h('span', { class: 'tag tag-unblinded' }, c.unblinded ? 'Unblinded' : 'Blinded'), ' ',
          h('strong', null, `${words(c.a)} vs ${words(c.b)}: `),
          `difference ${interval(c.difference, c.low, c.high)}`,
          c.better ? `; ${words(c.better).toLowerCase()} relieves more.` : '; no clear difference.',
          c.note ? h('span', { class: 'note block' }, c.note) : null)))
          : h('p', { class: 'empty' }, 'Needs two treatments with at least 5 sessions each.'),
        h('p', { class: 'note' }, 'Unblinded: the sessions were neither randomised nor blinded, so expectation and timing can make a difference appear. For a fair comparison, run a trial (trp trial start A B).')),
      h('section', null,
        h('h3', null, 'n-of-1 trials'),
        r.trials.length ? h('ul', { class: 'trials' }, r.trials.map((x) => h('li', null,
          h('strong', null, `${words(x.a)} vs ${words(x.b)}`),
          ` (${x.status}${x.current ? `; now: ${words(x.current)}` : ''}): ${x.blocks_complete} of ${x.blocks} blocks of ${x.days} days complete`,
          x.mean_effect !== null ? `; effect ${interval(x.mean_effect, x.low, x.high)}, chance of a meaningful difference ${percent(x.p_meaningful)}` : '',
          x.verdict ? h('span', { class: 'verdict' }, ` ${VERDICT[x.verdict] || words(x.verdict)}`) : null,
          x.note ? h('span', { class: 'note' }, ` ${x.note}`) : null)))
          : h('p', { class: 'empty' }, 'No trial. Start one with trp trial start A B.')));
  }

  load();
  return () => {};
}
