// The diary: log the current pain map and a treatment session, and see the latest entries.

import { h, replace, words, regionName, SIDE_WORD, SESSION_TECHNIQUES } from './dom.js';
import { get, post, muscles, plainError } from './api.js';
import { state } from './state.js';

const QUALITIES = ['aching', 'burning', 'sharp', 'tingling', 'throbbing'];

// "2026-11-24T08:30" from a datetime-local field -> the same time with this browser's offset.
export function withOffset(local) {
  if (!local) return null;
  const when = new Date(local);
  if (Number.isNaN(when.getTime())) return local;
  const minutes = -when.getTimezoneOffset();
  const sign = minutes >= 0 ? '+' : '-';
  const abs = Math.abs(minutes);
  const offset = `${sign}${String(Math.floor(abs / 60)).padStart(2, '0')}:${String(abs % 60).padStart(2, '0')}`;
  return `${local.length === 16 ? local + ':00' : local}${offset}`;
}

function numberField(id, label, attrs = {}) {
  return h('div', { class: 'field' },
    h('label', { for: id }, label),
    h('input', { id, name: id, type: 'number', min: 0, max: 10, step: 1, inputmode: 'numeric', placeholder: '0-10', ...attrs }));
}

// One entry as a line of the list.
function entryLine(e) {
  const when = e.at.replace('T', ' ').slice(0, 16);
  if (e.kind === 'pain') {
    const peak = Math.max(0, ...e.regions.map((r) => r.intensity));
    return h('li', { class: 'entry entry-pain', 'data-id': e.id },
      h('span', { class: 'entry-when' }, when),
      h('span', { class: 'entry-kind' }, 'Pain'),
      h('span', { class: 'entry-text' }, `peak ${peak}: `,
        e.regions.map((r) => `${regionName(r.region)} ${r.intensity}${r.quality ? ` (${r.quality})` : ''}`).join('; '),
        e.note ? h('em', null, ` “${e.note}”`) : null));
  }
  const change = e.after - e.before;
  return h('li', { class: 'entry entry-session', 'data-id': e.id },
    h('span', { class: 'entry-when' }, when),
    h('span', { class: 'entry-kind' }, 'Session'),
    h('span', { class: 'entry-text' },
      `${words(e.technique)}${e.muscle ? ` on ${words(e.muscle)}${e.side ? `, ${SIDE_WORD[e.side]}` : ''}` : ''}`,
      e.minutes !== null ? `, ${e.minutes} min` : '',
      `: pain ${e.before} → ${e.after} (${change > 0 ? '+' : ''}${change})`,
      e.later !== null ? `, later ${e.later}` : '',
      e.soreness !== null ? `, soreness ${e.soreness}` : '',
      e.note ? h('em', null, ` “${e.note}”`) : null));
}

export function renderDiary(root, ctx) {
  const painBox = h('div');
  const sessionMessage = h('div', { class: 'form-message', 'aria-live': 'polite' });
  const recent = h('div', { class: 'recent', 'aria-live': 'polite' });

  // --- the pain form: the map as marked on the body map

  function drawPainForm() {
    const marked = [...state.map];
    if (marked.length === 0) {
      replace(painBox, h('p', { class: 'empty' }, 'Nothing marked. ', h('a', { href: '#/' }, 'Mark where it hurts on the body map'), ', then log it here.'));
      return;
    }
    const message = h('div', { class: 'form-message', 'aria-live': 'polite' });
    const form = h('form', { id: 'pain-form', onsubmit: async (e) => {
      e.preventDefault();
      const body = {
        regions: marked.map(([region, n]) => {
          const q = form.elements[`q-${region}`].value;
          return q ? { region, intensity: n, quality: q } : { region, intensity: n };
        }),
      };
      const note = form.elements['pain-note'].value.trim();
      if (note) body.note = note;
      const at = withOffset(form.elements['pain-at'].value);
      if (at) body.at = at;
      try {
        const saved = await post('/api/pain', body);
        replace(message, h('p', { class: 'ok', role: 'status' }, `Saved pain entry ${saved.id}.`));
        loadRecent();
      } catch (err) {
        replace(message, h('div', { class: 'error', role: 'alert' }, plainError(err)));
      }
    } },
    h('table', { class: 'pain-table' },
      h('thead', null, h('tr', null, h('th', { scope: 'col' }, 'Region'), h('th', { scope: 'col' }, 'Pain'), h('th', { scope: 'col' }, 'Feels'))),
      h('tbody', null, marked.map(([region, n]) => h('tr', null,
        h('th', { scope: 'row' }, regionName(region)),
        h('td', null, n === 0 ? '0 (not painful)' : `${n} of 10`),
        h('td', null, h('select', { name: `q-${region}`, 'aria-label': `How ${regionName(region)} feels` },
          h('option', { value: '' }, '—'), QUALITIES.map((q) => h('option', { value: q }, q)))))))),
    h('p', { class: 'note' }, 'Change the map on the ', h('a', { href: '#/' }, 'body map'), '.'),
    h('div', { class: 'field' }, h('label', { for: 'pain-note' }, 'Note (optional)'), h('input', { id: 'pain-note', name: 'pain-note', maxlength: 500 })),
    h('div', { class: 'field' }, h('label', { for: 'pain-at' }, 'When (optional; now if empty)'), h('input', { id: 'pain-at', name: 'pain-at', type: 'datetime-local' })),
    h('button', { type: 'submit' }, 'Log this pain'),
    message);
    replace(painBox, form);
  }

  // --- the session form

  const draft = state.sessionDraft || {};
  state.sessionDraft = null;
  const technique = h('select', { id: 's-technique', name: 's-technique', required: true },
    SESSION_TECHNIQUES.map(([code, label]) => h('option', { value: code, selected: code === draft.technique }, label)));
  const muscleInput = h('input', { id: 's-muscle', name: 's-muscle', list: 'diary-muscles', autocomplete: 'off', placeholder: 'e.g. trapezius_upper', value: draft.muscle || '' });
  const side = h('select', { id: 's-side', name: 's-side' },
    h('option', { value: '' }, '—'),
    h('option', { value: 'l', selected: draft.side === 'l' }, 'left'),
    h('option', { value: 'r', selected: draft.side === 'r' }, 'right'));
  const sessionForm = h('form', { id: 'session-form', onsubmit: async (e) => {
    e.preventDefault();
    const f = sessionForm.elements;
    const body = { technique: f['s-technique'].value, before: Number(f['s-before'].value), after: Number(f['s-after'].value) };
    const m = f['s-muscle'].value.trim();
    if (m) body.muscle = m;
    if (f['s-side'].value) body.side = f['s-side'].value;
    for (const [field, key] of [['s-minutes', 'minutes'], ['s-later', 'later'], ['s-soreness', 'soreness']])
      if (f[field].value !== '') body[key] = Number(f[field].value);
    const note = f['s-note'].value.trim();
    if (note) body.note = note;
    const at = withOffset(f['s-at'].value);
    if (at) body.at = at;
    try {
      const saved = await post('/api/sessions', body);
      replace(sessionMessage, h('p', { class: 'ok', role: 'status' }, `Saved session ${saved.id}.`));
      loadRecent();
    } catch (err) {
      replace(sessionMessage, h('div', { class: 'error', role: 'alert' }, plainError(err)));
    }
  } },
  h('div', { class: 'field-grid' },
    h('div', { class: 'field' }, h('label', { for: 's-technique' }, 'Technique'), technique),
    h('div', { class: 'field' }, h('label', { for: 's-muscle' }, 'Muscle (optional)'), muscleInput),
    h('div', { class: 'field' }, h('label', { for: 's-side' }, 'Side'), side),
    h('div', { class: 'field' }, h('label', { for: 's-minutes' }, 'Minutes'), h('input', { id: 's-minutes', name: 's-minutes', type: 'number', min: 0, max: 1440, inputmode: 'numeric' })),
    numberField('s-before', 'Pain just before', { required: true }),
    numberField('s-after', 'Pain just after', { required: true }),
    numberField('s-later', 'Pain later', { 'aria-describedby': 'later-help' }),
    numberField('s-soreness', 'Soreness next day')),
  h('p', { class: 'note', id: 'later-help' }, 'Pain later (an hour on, or the next morning) and soreness are optional; they can be added later with trp edit.'),
  h('div', { class: 'field' }, h('label', { for: 's-note' }, 'Note (optional)'), h('input', { id: 's-note', name: 's-note', maxlength: 500 })),
  h('div', { class: 'field' }, h('label', { for: 's-at' }, 'When (optional; now if empty)'), h('input', { id: 's-at', name: 's-at', type: 'datetime-local' })),
  h('datalist', { id: 'diary-muscles' }),
  h('button', { type: 'submit' }, 'Log this session'),
  sessionMessage);

  // --- the latest entries

  async function loadRecent() {
    try {
      const [pain, sessions] = await Promise.all([get('/api/pain'), get('/api/sessions')]);
      const all = [...pain, ...sessions].sort((a, b) => Date.parse(b.at) - Date.parse(a.at) || b.id - a.id).slice(0, 20);
      replace(recent, all.length ? h('ol', { class: 'entries' }, all.map(entryLine)) : h('p', { class: 'empty' }, 'No entries yet.'));
    } catch (err) {
      replace(recent, h('div', { class: 'error', role: 'alert' }, plainError(err)));
    }
  }

  replace(root, h('div', { class: 'diary-layout' },
    h('section', { class: 'panel', 'aria-labelledby': 'pain-title' }, h('h2', { id: 'pain-title' }, 'Log pain'), painBox),
    h('section', { class: 'panel', 'aria-labelledby': 'session-title' }, h('h2', { id: 'session-title' }, 'Log a session'), sessionForm),
    h('section', { class: 'panel wide', 'aria-labelledby': 'recent-title' }, h('h2', { id: 'recent-title' }, 'Recent entries'), recent)));

  drawPainForm();
  loadRecent();
  muscles().then((all) => replace(sessionForm.querySelector('#diary-muscles'), all.map((m) => h('option', { value: m.id }, m.name)))).catch(() => {});
  return ctx.listen((what) => { if (what === 'map') drawPainForm(); });
}
