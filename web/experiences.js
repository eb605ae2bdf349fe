// What helped a clinic's patients with one muscle (GET /api/experiences?muscle=ID): in clinic
// mode the clinic's latest snapshot, at home a snapshot given to trp serve --experiences.
// Every figure carries noise that protects the people in it (docs/clinic.md), and the page
// says how much, and what these figures cannot tell.

import { h, techniqueName } from './dom.js';
import { api } from './api.js';

function percent(x) {
  return `${Math.round(100 * x)}%`;
}

// The noise's 95% half-width on a share in a group of `people`, in points, from the
// snapshot's figure for 100 people (it shrinks as 1 / people).
function margin(m100, people) {
  return Math.max(1, Math.round(100 * m100 * 100 / Math.max(people, 1)));
}

function group(t, privacy) {
  const m = privacy && privacy.margin_100 ? privacy.margin_100 : {};
  const parts = [
    `${techniqueName(t.technique)}: ${t.people} people, ${t.sessions} sessions.`,
    ` A meaningful drop (2 points or 30%) in ${percent(t.meaningful_share)} of sessions`,
    m.meaningful_share ? ` (give or take about ${margin(m.meaningful_share, t.people)} points).` : '.',
    ` ${t.better_4w} of them were 30% better within 4 weeks`,
    t.better_8w !== undefined ? `, ${t.better_8w} within 8 weeks.` : '.',
  ];
  if (t.instant_relief !== undefined) {
    parts.push(` By their own diaries: instant relief for ${t.instant_relief}, relief that built over weeks for ${t.builds_over_weeks}.`);
  }
  return h('li', null, parts.join(''));
}

// A section for the muscle, or null when there is nothing to show (no snapshot, or the
// server has none to give).
export async function experiencesSection(muscleId) {
  let e;
  try {
    e = await api('GET', `/api/experiences?muscle=${encodeURIComponent(muscleId)}`);
  } catch (err) {
    return null;
  }
  if (!e) return null;
  const where = e.clinic ? `${e.clinic}` : 'this clinic';
  const when = e.period ? ` (${e.period.from} to ${e.period.to})` : '';
  const list = (e.techniques || []).map((t) => group(t, e.privacy));
  return h('section', { class: 'muscle-section experiences', 'aria-label': 'What helped others' },
    h('h3', null, `What helped others in ${where}`),
    list.length
      ? h('ul', null, list)
      : h('p', null, 'Not enough people who shared their outcomes for this muscle yet.'),
    e.withheld ? h('p', { class: 'note' }, 'Some smaller groups are not shown: too few people to show without telling about one of them.') : null,
    h('p', { class: 'note' },
      `From patients${when} who agreed to share their outcomes. The figures carry deliberate noise that keeps each person private. ` +
      'They describe those patients, not a trial: they cannot say what will help you.'));
}
