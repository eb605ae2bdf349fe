// The body map: mark where it hurts, see at once which muscles may cause it, and draw a
// chosen muscle's referral zones and trigger points on the figures.

import { h, replace, regionName, SIDE_WORD } from './dom.js';
import { post, muscle, plainError } from './api.js';
import { createFigures, muscleMarks } from './figure.js';
import { state, changed, mapQuery, mapHasPain, symptomQuery } from './state.js';

const CYCLE = [3, 6, 9];
const LINK = {
  essential: 'essential zone',
  spillover: 'spillover zone',
  trigger_point: 'its trigger point lies here',
};

// The view's lasting choices: which region the slider works on, which candidate is drawn,
// the intensity a drag paints with.
let selectedRegion = null;
let shown = null; // {muscle, side}
let brush = 5;

// A symptom in plain words: its description, without what the spec adds in brackets.
let symptomInfo = new Map();
function symptomWords(name) {
  const sym = symptomInfo.get(name);
  const text = sym ? sym.description.replace(/ \(.*\)$/, '') : name.replace(/_/g, ' ');
  return text.charAt(0).toUpperCase() + text.slice(1);
}
function explainedWords(s) {
  const sym = symptomInfo.get(s.symptom);
  return sym && sym.sided ? `${symptomWords(s.symptom)}, ${SIDE_WORD[s.side]}` : symptomWords(s.symptom);
}
// A token of the map (a region or a symptom) in plain words.
function tokenWords(token) {
  const [name, side] = token.split('.');
  if (!symptomInfo.has(name)) return regionName(token);
  return side ? `${symptomWords(name)}, ${SIDE_WORD[side]}` : symptomWords(name);
}

export function renderMap(root, ctx) {
  symptomInfo = ctx.symptoms;
  const figures = createFigures(ctx.bodymap, {
    interactive: true,
    onTap: tap,
    onPaint: paint,
    onAdjust: adjust,
    onClear: (region) => set(region, undefined),
  });

  const sliderLabel = h('label', { for: 'intensity', id: 'intensity-label' }, 'Pain');
  const slider = h('input', {
    id: 'intensity', type: 'range', min: 0, max: 10, step: 1, value: 5,
    'aria-describedby': 'intensity-help',
  });
  const sliderValue = h('output', { for: 'intensity', class: 'intensity-value', 'aria-live': 'off' }, '5');
  const regionTitle = h('p', { class: 'selected-name' });
  const regionHelp = h('p', { class: 'selected-help', id: 'intensity-help' });
  const removeButton = h('button', { type: 'button', class: 'secondary small', onclick: () => set(selectedRegion, undefined) }, 'Remove');
  slider.addEventListener('input', () => {
    if (!selectedRegion) return;
    brush = Number(slider.value) || brush;
    set(selectedRegion, Number(slider.value));
  });
  // On a phone this bar stays at the bottom of the screen: the chosen region's slider and
  // the best match, with a way down to the full list.
  const topMatch = h('p', { class: 'top-match' });
  const control = h('div', { class: 'region-control', role: 'group', 'aria-label': 'The chosen region' },
    h('div', { class: 'selected-text' }, regionTitle, regionHelp),
    h('div', { class: 'slider-row' }, sliderLabel, slider, sliderValue, removeButton),
    topMatch);

  const chips = h('ul', { class: 'chips', 'aria-label': 'Marked regions' });
  const clearButton = h('button', {
    type: 'button', class: 'secondary small', onclick: () => {
      state.map.clear();
      state.symptoms.clear();
      for (const box of symptomItems.querySelectorAll('input[type=checkbox]')) box.checked = false;
      for (const sel of symptomItems.querySelectorAll('select')) { sel.value = ''; sel.disabled = true; }
      selectedRegion = null;
      changed('map');
    },
  }, 'Clear the map');

  const legend = h('div', { class: 'legend', 'aria-hidden': 'true' },
    h('span', { class: 'legend-scale' }, 'Pain ',
      [1, 3, 5, 7, 9, 10].map((n) => h('i', { class: 'swatch', 'data-level': n, title: `${n} of 10` })), ' 10'),
    h('span', null, h('i', { class: 'swatch', 'data-level': 0 }), ' not painful'));

  const overlayNote = h('div', { class: 'overlay-note', hidden: true });

  // Symptoms besides pain, in plain words, searchable; a sided one may take its side.
  const symptomSearch = h('input', {
    type: 'search', id: 'symptom-search', class: 'symptom-search',
    placeholder: 'Search, e.g. ringing ear, weak grip', 'aria-label': 'Search the symptoms',
  });
  const symptomItems = h('ul', { class: 'symptom-list', 'aria-label': 'Symptoms besides pain' },
    [...ctx.symptoms.values()].map((sym) => symptomItem(sym)));
  symptomSearch.addEventListener('input', () => {
    const q = symptomSearch.value.trim().toLowerCase();
    for (const li of symptomItems.children)
      li.hidden = q !== '' && !li.dataset.words.includes(q);
  });
  const symptomPanel = h('section', { class: 'symptom-panel', 'aria-labelledby': 'symptom-title' },
    h('h3', { id: 'symptom-title' }, 'Anything else you notice?'),
    h('p', { class: 'hint' }, 'Tick what you notice besides pain; the list below the map takes it into account.'),
    symptomSearch, symptomItems);

  function symptomItem(sym) {
    const box = h('input', { type: 'checkbox', id: `symptom-${sym.name}`, 'data-symptom': sym.name });
    const side = sym.sided ? h('select', { 'aria-label': `Side: ${symptomWords(sym.name)}`, class: 'symptom-side' },
      h('option', { value: '' }, 'either side'), h('option', { value: 'l' }, 'left'), h('option', { value: 'r' }, 'right')) : null;
    box.checked = state.symptoms.has(sym.name);
    if (side) {
      side.value = state.symptoms.get(sym.name) || '';
      side.disabled = !box.checked;
    }
    const update = () => {
      if (box.checked) state.symptoms.set(sym.name, side ? side.value : '');
      else state.symptoms.delete(sym.name);
      if (side) side.disabled = !box.checked;
      changed('map');
    };
    box.addEventListener('change', update);
    if (side) side.addEventListener('change', update);
    return h('li', { class: 'symptom-item', 'data-words': `${sym.description} ${sym.name.replace(/_/g, ' ')}`.toLowerCase() },
      h('label', { for: box.id }, box, ' ', symptomWords(sym.name)), side);
  }

  const results = h('div', { class: 'results', 'aria-live': 'polite', 'aria-busy': 'false' });

  replace(root,
    h('div', { class: 'map-layout' },
      h('section', { class: 'panel map-panel', 'aria-labelledby': 'map-title' },
        h('h2', { id: 'map-title' }, 'Where does it hurt?'),
        h('p', { class: 'hint' },
          'Tap a region to mark it; tap again for stronger pain (3, 6, 9, then off). ',
          h('span', { class: 'pointer-hint' }, 'Drag with a mouse to mark several. Keyboard: Tab to a region, Enter marks it, + and − change the pain, Delete removes it.')),
        h('button', {
          type: 'button', class: 'skip-inline', onclick: () => {
            const heading = document.getElementById('results-title');
            heading.setAttribute('tabindex', '-1');
            heading.focus();
          },
        }, 'Skip the figures: go to the results'),
        figures.el,
        legend,
        overlayNote,
        control,
        h('div', { class: 'chips-row' }, chips, clearButton),
        symptomPanel),
      h('section', { class: 'panel results-panel', 'aria-labelledby': 'results-title' },
        h('h2', { id: 'results-title' }, 'Where it may come from'),
        results)));

  // --- changing the map

  function set(region, n) {
    if (!region) return;
    if (n === undefined) state.map.delete(region);
    else state.map.set(region, Math.max(0, Math.min(10, n)));
    selectedRegion = n === undefined ? null : region;
    changed('map');
  }

  function tap(region) {
    const now = state.map.get(region);
    let next;
    if (now === undefined || now === 0) next = CYCLE[0];
    else next = CYCLE.find((n) => n > now);
    if (next !== undefined) brush = next;
    set(region, next);
  }

  function paint(region) {
    const now = state.map.get(region);
    if (now === undefined || now === 0) set(region, brush);
    else { selectedRegion = region; drawControl(); figures.setSelected(region); }
  }

  function adjust(region, delta) {
    const now = state.map.get(region);
    if (now === undefined) {
      if (delta > 0) set(region, 1);
      return;
    }
    if (now + delta < 0) set(region, undefined);
    else { brush = Math.max(1, now + delta); set(region, now + delta); }
  }

  // --- drawing the map's state

  function drawControl() {
    const region = selectedRegion;
    control.toggleAttribute('data-region', !!region);
    if (!region) {
      regionTitle.textContent = 'No region chosen';
      regionHelp.textContent = 'Tap or select a region to set its pain from 0 (not painful) to 10.';
      slider.disabled = true;
      removeButton.disabled = true;
      sliderLabel.textContent = 'Pain';
      sliderValue.textContent = '–';
      return;
    }
    const [name] = region.split('.');
    const info = ctx.regions.get(name);
    const n = state.map.get(region);
    regionTitle.textContent = regionName(region);
    regionHelp.textContent = info ? info.description : '';
    slider.disabled = false;
    removeButton.disabled = n === undefined;
    slider.value = n === undefined ? brush : n;
    sliderLabel.textContent = `Pain in ${regionName(region)}`;
    sliderValue.textContent = n === undefined ? 'not marked' : n === 0 ? '0, not painful' : `${n} of 10`;
    slider.setAttribute('aria-valuetext', sliderValue.textContent);
  }

  function drawChips() {
    replace(chips, [...state.map].map(([region, n]) => h('li', { class: 'chip', 'data-level': n },
      h('button', { type: 'button', class: 'chip-main', onclick: () => { selectedRegion = region; drawAll(); } },
        regionName(region), h('b', null, n === 0 ? ' 0' : ` ${n}`)),
      h('button', { type: 'button', class: 'chip-remove', 'aria-label': `Remove ${regionName(region)}`, onclick: () => set(region, undefined) }, '×'))));
    clearButton.hidden = state.map.size === 0 && state.symptoms.size === 0;
  }

  function drawAll() {
    figures.setMap(state.map);
    figures.setSelected(selectedRegion);
    drawControl();
    drawChips();
  }

  // --- asking find, showing the answer

  let asked = 0;
  let timer = null;
  let lastFind = null;

  function scheduleFind() {
    clearTimeout(timer);
    timer = setTimeout(runFind, 60);
  }

  async function runFind() {
    const mine = ++asked;
    if (!mapHasPain() && state.symptoms.size === 0) {
      lastFind = null;
      drawResults();
      return;
    }
    results.setAttribute('aria-busy', 'true');
    try {
      const found = await post('/api/find', { regions: mapQuery(), symptoms: symptomQuery(), top: 10 });
      if (mine !== asked) return;
      lastFind = found;
      drawResults();
    } catch (err) {
      if (mine !== asked) return;
      lastFind = null;
      replace(results, h('div', { class: 'error', role: 'alert' }, plainError(err)));
      drawTopMatch();
      showOverlay(null);
    } finally {
      if (mine === asked) results.setAttribute('aria-busy', 'false');
    }
  }

  function drawTopMatch() {
    const best = lastFind && lastFind.candidates[0];
    control.toggleAttribute('data-match', !!best);
    if (!best) { topMatch.replaceChildren(); return; }
    replace(topMatch,
      h('span', null, 'Best match: ', h('strong', null, `${best.name}, ${SIDE_WORD[best.side]}`), ` ${best.score.toFixed(2)}`),
      h('button', {
        type: 'button', class: 'small secondary', onclick: () => {
          const heading = document.getElementById('results-title');
          heading.scrollIntoView({ block: 'start' });
        },
      }, 'See all'));
  }

  function drawResults() {
    drawTopMatch();
    if (!lastFind) {
      replace(results, h('p', { class: 'empty' },
        'Mark where it hurts on the figures. The muscles whose trigger points may cause that pain appear here at once, best match first.'));
      showOverlay(null);
      return;
    }
    const f = lastFind;
    const cautions = (f.cautions || []).map((c) => h('div', { class: 'caution', role: 'alert', 'data-code': c.code },
      h('strong', null, h('span', { 'aria-hidden': 'true' }, '⚠ '), 'Check this first. '), c.message));
    const explanation = f.explanation && f.explanation.length
      ? h('div', { class: 'explanation' },
        h('h3', null, f.explanation.length === 1 ? 'The one muscle that explains the whole map' : `The fewest muscles that explain the map (${f.explanation.length})`),
        h('ul', null, f.explanation.map((e) => h('li', null,
          h('a', { href: `#/muscle/${e.muscle}/${e.side}` }, e.name), `, ${SIDE_WORD[e.side]}: `,
          [...e.regions.map(regionName), ...(e.symptoms || []).map(explainedWords)].join('; ')))))
      : null;
    const unexplained = f.unexplained && f.unexplained.length
      ? h('p', { class: 'note' }, 'No muscle in the atlas explains: ', f.unexplained.map(tokenWords).join('; '), '.')
      : null;
    const list = h('ol', { class: 'candidates' }, f.candidates.map((c, i) => candidateItem(c, i)));
    const actions = h('div', { class: 'actions' },
      h('button', { type: 'button', onclick: () => { state.planFor = 'map'; changed('plan'); ctx.go('#/plan'); } }, 'Make a release plan for this map'),
      h('a', { class: 'button secondary', href: '#/diary' }, 'Log this pain in the diary'));
    replace(results, cautions, explanation, unexplained, actions,
      f.candidates.length ? h('h3', null, 'Ranked muscles') : h('p', { class: 'empty' }, 'No muscle in the atlas refers pain to this map.'),
      f.candidates.length ? h('p', { class: 'note' }, 'Score 0 to 1: how closely the map looks like the muscle\'s referral pattern. Choose one to draw it on the figures.') : null,
      list);
    if (shown && !f.candidates.some((c) => c.muscle === shown.muscle && c.side === shown.side)) showOverlay(null);
    else if (shown) showOverlay(shown);
  }

  function candidateItem(c, i) {
    const isShown = shown && shown.muscle === c.muscle && shown.side === c.side;
    const why = [...(c.why || []).map((w) => `${regionName(w.region)} (${LINK[w.link] || w.link})`),
      ...(c.symptoms || []).map(explainedWords)].join('; ');
    return h('li', { class: 'candidate' + (isShown ? ' shown' : ''), 'data-muscle': c.muscle, 'data-side': c.side },
      h('button', {
        type: 'button', class: 'candidate-main', 'aria-pressed': isShown ? 'true' : 'false',
        onclick: () => showOverlay(isShown ? null : { muscle: c.muscle, side: c.side, name: c.name }),
      },
        h('span', { class: 'rank' }, String(i + 1)),
        h('span', { class: 'candidate-name' }, c.name, h('span', { class: 'side-tag' }, SIDE_WORD[c.side])),
        h('span', { class: 'score', title: 'score' }, c.score.toFixed(2)),
        h('span', { class: 'score-bar', 'aria-hidden': 'true' }, h('span', { style: `width:${Math.round(c.score * 100)}%` }))),
      h('p', { class: 'why' }, 'Explains: ', why || 'nothing marked'),
      h('a', { class: 'more', href: `#/muscle/${c.muscle}/${c.side}` }, `${c.name}: trigger points and self-care`));
  }

  // Draws (or clears) a candidate's zones and trigger points.
  async function showOverlay(which) {
    shown = which;
    for (const item of results.querySelectorAll('.candidate')) {
      const on = !!which && item.dataset.muscle === which.muscle && item.dataset.side === which.side;
      item.classList.toggle('shown', on);
      item.querySelector('.candidate-main').setAttribute('aria-pressed', on ? 'true' : 'false');
    }
    if (!which) {
      figures.setOverlay([], []);
      overlayNote.hidden = true;
      return;
    }
    try {
      const m = await muscle(which.muscle);
      if (shown !== which) return;
      const marks = muscleMarks(m, which.side);
      figures.setOverlay(marks.zones, marks.points);
      replace(overlayNote,
        h('span', null, h('strong', null, `${m.name}, ${SIDE_WORD[which.side]}: `),
          h('i', { class: 'key key-essential' }), ' essential zone ',
          h('i', { class: 'key key-spillover' }), ' spillover zone ',
          h('b', { class: 'key-x' }, '✕'), ' trigger point'),
        h('button', { type: 'button', class: 'secondary small', onclick: () => showOverlay(null) }, 'Hide'));
      overlayNote.hidden = false;
    } catch (err) {
      replace(overlayNote, h('span', { class: 'error', role: 'alert' }, plainError(err)));
      overlayNote.hidden = false;
    }
  }

  drawAll();
  runFind();
  return ctx.listen((what) => {
    if (what !== 'map') return;
    drawAll();
    scheduleFind();
  });
}
