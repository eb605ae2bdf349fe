// One muscle of the atlas: where its trigger points are and how to find them, where they
// refer pain (drawn on the figures), what causes and keeps them, self-care and its limits.

import { h, replace, words, regionName, techniqueName, SIDE_WORD } from './dom.js';
import { muscle, perpetuatingFactors, plainError } from './api.js';
import { bodyFactors } from './view-plan.js';
import { createFigures, muscleMarks } from './figure.js';
import { state, changed } from './state.js';
import { experiencesSection } from './experiences.js';

const SIDE_RULE = { same: 'same side', opposite: 'opposite side', both: 'both sides' };

function section(title, body) {
  if (!body || (Array.isArray(body) && body.length === 0)) return null;
  return h('section', { class: 'muscle-section' }, h('h3', null, title), body);
}

function bullets(list) {
  return list && list.length ? h('ul', null, list.map((x) => h('li', null, x))) : null;
}

export async function renderMuscle(root, ctx, id, sideParam) {
  const side = sideParam === 'r' ? 'r' : 'l';
  replace(root, h('p', { class: 'loading' }, 'Loading…'));
  let m;
  let factors = [];
  try {
    m = await muscle(id);
  } catch (err) {
    replace(root, h('section', { class: 'panel' },
      h('h2', null, 'Muscle not found'),
      h('div', { class: 'error', role: 'alert' }, plainError(err)),
      h('p', null, h('a', { href: '#/' }, 'Back to the body map'))));
    return;
  }
  if (m.parts) {
    replace(root, h('section', { class: 'panel' },
      h('h2', null, `${words(m.family)}: a family of muscles`),
      h('p', null, 'Choose one part:'),
      h('ul', { class: 'link-list' }, m.parts.map((p) => h('li', null, h('a', { href: `#/muscle/${p.id}/${side}` }, p.name))))));
    return;
  }

  try {
    factors = await perpetuatingFactors();
  } catch (err) {
    factors = [];   /* the muscle's own page still shows */
  }
  const figures = createFigures(ctx.bodymap, { interactive: false });
  const marks = muscleMarks(m, side);
  figures.setOverlay(marks.zones, marks.points);

  const sideSwitch = h('div', { class: 'side-switch', role: 'group', 'aria-label': 'Which side to draw' },
    ['l', 'r'].map((sd) => h('a', {
      href: `#/muscle/${m.id}/${sd}`, class: 'button small' + (sd === side ? '' : ' secondary'),
      'aria-current': sd === side ? 'true' : null,
    }, `${SIDE_WORD[sd][0].toUpperCase()}${SIDE_WORD[sd].slice(1)} side`)));

  const byKind = (kind) => (m.referral || []).filter((r) => r.kind === kind)
    .map((r) => `${words(r.region)}${r.side === 'same' ? '' : ` (${SIDE_RULE[r.side]})`}`);

  const planButton = h('button', {
    type: 'button',
    onclick: () => {
      state.planFor = 'muscles';
      state.planMuscles = [`${m.id}.${side}`];
      changed('plan');
      ctx.go('#/plan');
    },
  }, `Make a release plan for the ${SIDE_WORD[side]} ${m.name.toLowerCase()}`);

  replace(root,
    h('article', { class: 'muscle-layout' },
      h('section', { class: 'panel muscle-figure' },
        h('h2', null, m.name),
        h('p', { class: 'meta' },
          `Group: ${words(m.group)}`, m.family ? ` · family: ${words(m.family)}` : '',
          m.aliases && m.aliases.length ? ` · also called ${m.aliases.map(words).join(', ').toLowerCase()}` : ''),
        sideSwitch,
        figures.el,
        h('p', { class: 'legend-inline' },
          h('i', { class: 'key key-essential' }), ' essential zone ',
          h('i', { class: 'key key-spillover' }), ' spillover zone ',
          h('b', { class: 'key-x' }, '✕'), ' trigger point'),
        h('div', { class: 'actions' }, planButton)),
      h('div', { class: 'panel muscle-text' },
        section('Trigger points', h('ol', { class: 'points' }, (m.trigger_points || []).map((tp) => h('li', null,
          h('h4', null, tp.name, h('span', { class: 'region-tag' }, regionName(`${tp.region}.${side}`))),
          h('p', null, h('strong', null, 'Where: '), tp.location),
          h('p', null, h('strong', null, 'Finding it: '), tp.palpation))))),
        section('Where it refers pain', h('div', null,
          h('p', null, h('strong', null, 'Essential zone: '), byKind('essential').join(', ') || 'none'),
          h('p', null, h('strong', null, 'Spillover zone: '), byKind('spillover').join(', ') || 'none'),
          h('p', { class: 'note' }, 'On the muscle\'s own side unless marked.'))),
        section('What it does', bullets(m.actions)),
        section('How it feels', bullets([...(m.symptoms || []), ...(m.functional_complaints || [])])),
        section('What causes them', bullets(m.causes)),
        section('What keeps them going', bullets(m.perpetuating_factors)),
        bodyFactors(factors, 'In any muscle, also'),
        section('Self-care', h('dl', { class: 'self-care' }, (m.self_care || []).map((c) => [
          h('dt', null, words(techniqueName(c.technique))), h('dd', null, c.how)]))),
        section('Cautions', (m.cautions || []).length ? h('ul', { class: 'caution-list' }, m.cautions.map((c) => h('li', null, c.text,
          c.techniques && c.techniques.length ? h('span', { class: 'note' }, ` (for ${c.techniques.map(techniqueName).join(', ')})`) : null))) : null),
        section('What a professional may offer', h('dl', { class: 'professional' }, (m.professional || []).map((p) => [
          h('dt', null, words(p.option)), h('dd', null, p.note)]))),
        h('div', { class: 'experiences-slot' }),
        section('Sources', h('ol', { class: 'sources' }, (m.sources || []).map((x) => h('li', null, x)))),
        h('div', { class: 'actions' }, h('a', { class: 'button secondary', href: '#/' }, 'Back to the body map')))));
  document.title = `${m.name} · trp`;
  // what helped a clinic's patients, when the server has a snapshot of them
  const slot = root.querySelector('.experiences-slot');
  experiencesSection(m.id).then((node) => { if (node && slot.isConnected) slot.replaceWith(node); });
}
