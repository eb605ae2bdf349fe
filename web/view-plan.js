// Safety screening, then a release plan: steps by day with their doses and a hold timer,
// cautions, what was left out and why, what a professional may offer, or a refusal.

import { h, replace, words, regionName, techniqueName, SIDE_WORD, PLAN_TO_DIARY } from './dom.js';
import { get, post, muscle, muscles, plainError } from './api.js';
import { createTimer, pageSpeed } from './timer.js';
import { state, changed, mapQuery, mapHasPain } from './state.js';

const GROUP = {
  emergency: 'Emergency sign',
  see_doctor: 'See a doctor first',
  precaution: 'Precaution',
};

const OUTCOME = {
  emergency: { title: 'Call your emergency number now', tone: 'danger' },
  see_doctor: { title: 'See a doctor before treating this yourself', tone: 'warn' },
  precautions: { title: 'Self-care with precautions', tone: 'notice' },
  clear: { title: 'No warning sign in your answers', tone: 'ok' },
};

// The one-at-a-time walk through the questions: where it is and what was answered.
let walk = null; // {index, answers}
let mode = 'one';
let lastPlan = null;

export function renderPlan(root, ctx) {
  const screenBox = h('div', { class: 'screen-box' });
  const planForm = h('div', { class: 'plan-form' });
  const planOut = h('div', { class: 'plan-out', 'aria-live': 'polite' });
  let questions = null;

  replace(root, h('div', { class: 'plan-layout' },
    h('section', { class: 'panel', 'aria-labelledby': 'screen-title' },
      h('h2', { id: 'screen-title' }, '1. Safety questions'),
      h('p', { class: 'hint' }, 'Before you treat trigger points yourself, answer these. Each is asked so that "yes" is the warning sign.'),
      screenBox),
    h('section', { class: 'panel', 'aria-labelledby': 'plan-title' },
      h('h2', { id: 'plan-title' }, '2. Release plan'),
      planForm,
      planOut)));

  // --- screening

  async function loadQuestions() {
    if (questions) return questions;
    questions = await get('/api/screen/questions');
    return questions;
  }

  async function drawScreen(moveFocus = false) {
    if (state.screen && !walk) return drawOutcome();
    let qs;
    try {
      qs = await loadQuestions();
    } catch (err) {
      replace(screenBox, h('div', { class: 'error', role: 'alert' }, plainError(err)));
      return;
    }
    const modeSwitch = h('div', { class: 'mode-switch', role: 'group', 'aria-label': 'How to answer' },
      h('button', { type: 'button', class: 'small' + (mode === 'one' ? '' : ' secondary'), 'aria-pressed': String(mode === 'one'), onclick: () => { mode = 'one'; drawScreen(); } }, 'One at a time'),
      h('button', { type: 'button', class: 'small' + (mode === 'list' ? '' : ' secondary'), 'aria-pressed': String(mode === 'list'), onclick: () => { mode = 'list'; drawScreen(); } }, 'All as a list'));
    if (!walk) walk = { index: 0, answers: {} };
    if (mode === 'one') {
      const q = qs[walk.index];
      const answer = (yes) => {
        walk.answers[q.code] = yes;
        if (yes && q.group === 'emergency') return submit(walk.answers);
        walk.index++;
        if (walk.index >= qs.length) return submit(walk.answers);
        drawScreen(true);
      };
      const yesButton = h('button', { type: 'button', class: 'answer-yes', onclick: () => answer(true) }, 'Yes');
      replace(screenBox, modeSwitch,
        h('div', { class: 'question-card', 'data-code': q.code },
          h('p', { class: 'question-count' }, `Question ${walk.index + 1} of ${qs.length}`,
            h('span', { class: `group-tag group-${q.group}` }, GROUP[q.group])),
          h('p', { class: 'question', id: 'question-text' }, q.question),
          h('div', { class: 'answer-row', role: 'group', 'aria-labelledby': 'question-text' },
            yesButton,
            h('button', { type: 'button', class: 'answer-no', onclick: () => answer(false) }, 'No'),
            h('button', { type: 'button', class: 'secondary', disabled: walk.index === 0, onclick: () => { walk.index--; drawScreen(true); } }, 'Back'))),
        h('progress', { class: 'screen-progress', max: qs.length, value: walk.index, 'aria-label': 'Questions answered' }));
      if (moveFocus) screenBox.querySelector('.answer-no').focus({ preventScroll: true });
    } else {
      const form = h('form', { class: 'question-list', onsubmit: (e) => {
        e.preventDefault();
        const answers = {};
        for (const q of qs) answers[q.code] = form.elements[q.code].value === 'yes';
        submit(answers);
      } },
      qs.map((q, i) => h('fieldset', { class: 'question-item', 'data-code': q.code },
        h('legend', null, h('span', { class: `group-tag group-${q.group}` }, GROUP[q.group]), `${i + 1}. ${q.question}`),
        h('label', null, h('input', { type: 'radio', name: q.code, value: 'yes', checked: walk.answers[q.code] === true }), ' Yes'),
        h('label', null, h('input', { type: 'radio', name: q.code, value: 'no', checked: walk.answers[q.code] !== true }), ' No'))),
      h('button', { type: 'submit' }, 'Check my answers'));
      replace(screenBox, modeSwitch, form);
    }
  }

  async function submit(answers) {
    try {
      const reply = await post('/api/screen', answers);
      state.answers = answers;
      state.screen = reply;
      walk = null;
      changed('answers');
      drawOutcome();
      drawPlanForm();
    } catch (err) {
      screenBox.prepend(h('div', { class: 'error', role: 'alert' }, plainError(err)));
    }
  }

  function drawOutcome() {
    const r = state.screen;
    const o = OUTCOME[r.outcome] || { title: words(r.outcome), tone: 'notice' };
    replace(screenBox,
      h('div', { class: `outcome tone-${o.tone}`, 'data-outcome': r.outcome, role: r.outcome === 'clear' ? 'status' : 'alert' },
        h('h3', null, o.title),
        r.flags.length ? h('ul', { class: 'flags' }, r.flags.map((f) => h('li', null, h('strong', null, `${words(f.code)}: `), f.message))) : null,
        h('p', null, r.advice)),
      h('button', { type: 'button', class: 'secondary', onclick: () => {
        walk = { index: 0, answers: { ...(state.answers || {}) } };
        state.screen = null;
        state.answers = null;
        changed('answers');
        drawScreen(true);
        drawPlanForm();
      } }, 'Answer again'));
  }

  // --- the plan

  function drawPlanForm() {
    const useMap = state.planFor === 'map';
    const mapText = mapHasPain() ? `your pain map (${mapQuery().filter((q) => !q.endsWith('=0')).length} regions)` : 'your pain map (nothing marked yet)';
    const musclesBox = h('div', { class: 'muscle-picker', hidden: useMap });
    drawPicker(musclesBox);
    const points = h('input', { type: 'number', id: 'plan-points', min: 1, max: 20, value: 6, inputmode: 'numeric' });
    replace(planForm,
      h('fieldset', { class: 'plan-for' },
        h('legend', null, 'Plan for'),
        h('label', null, h('input', { type: 'radio', name: 'plan-for', value: 'map', checked: useMap, onchange: () => { state.planFor = 'map'; changed('plan'); drawPlanForm(); } }), ` ${mapText}`),
        h('label', null, h('input', { type: 'radio', name: 'plan-for', value: 'muscles', checked: !useMap, onchange: () => { state.planFor = 'muscles'; changed('plan'); drawPlanForm(); } }), ' chosen muscles'),
        musclesBox),
      h('p', { class: 'screen-status' + (state.answers ? '' : ' unscreened') }, state.answers && state.screen
        ? `The plan uses your screening answers: ${OUTCOME[state.screen.outcome] ? OUTCOME[state.screen.outcome].title.toLowerCase() : state.screen.outcome}.`
        : 'Not screened yet: answer the safety questions first, so the plan leaves out what is not safe for you.'),
      h('div', { class: 'field-row' },
        h('label', { for: 'plan-points' }, 'Trigger points a session (1-20)'), points),
      h('button', { type: 'button', class: 'make-plan', onclick: () => makePlan(Number(points.value) || 6) }, 'Make the plan'),
      h('p', { class: 'note' }, `Hold timers run at ${pageSpeed()}× speed.`, pageSpeed() === 1 ? ' Add ?speed=N to the address to run them N times faster.' : ''));
  }

  async function drawPicker(box) {
    const input = h('input', { id: 'muscle-input', list: 'muscle-options', placeholder: 'e.g. trapezius_upper', autocomplete: 'off' });
    const side = h('select', { id: 'muscle-side', 'aria-label': 'Side' },
      h('option', { value: 'l' }, 'left'), h('option', { value: 'r' }, 'right'), h('option', { value: '' }, 'the side that hurts'));
    const list = h('ul', { class: 'chips' }, state.planMuscles.map((m, i) => h('li', { class: 'chip' },
      h('span', { class: 'chip-main' }, m.includes('.') ? `${words(m.split('.')[0])}, ${SIDE_WORD[m.split('.')[1]]}` : words(m)),
      h('button', { type: 'button', class: 'chip-remove', 'aria-label': `Remove ${m}`, onclick: () => { state.planMuscles.splice(i, 1); changed('plan'); drawPlanForm(); } }, '×'))));
    const add = () => {
      const id = input.value.trim();
      if (!id) return;
      state.planMuscles.push(side.value ? `${id}.${side.value}` : id);
      changed('plan');
      drawPlanForm();
    };
    replace(box, list,
      h('div', { class: 'field-row' },
        h('label', { for: 'muscle-input' }, 'Muscle'), input, side,
        h('button', { type: 'button', class: 'small secondary', onclick: add }, 'Add')),
      h('datalist', { id: 'muscle-options' }));
    input.addEventListener('keydown', (e) => { if (e.key === 'Enter') { e.preventDefault(); add(); } });
    try {
      const all = await muscles();
      replace(box.querySelector('datalist'), all.map((m) => h('option', { value: m.id }, m.name)));
    } catch (err) {
      /* the picker still takes typed identifiers */
    }
  }

  async function makePlan(points) {
    if (state.planFor === 'map' && !mapHasPain()) {
      replace(planOut, h('div', { class: 'error', role: 'alert' }, 'Mark where it hurts on the body map first, or choose muscles.'));
      return;
    }
    if (state.planFor === 'muscles' && state.planMuscles.length === 0) {
      replace(planOut, h('div', { class: 'error', role: 'alert' }, 'Add at least one muscle first.'));
      return;
    }
    const body = state.planFor === 'map' ? { find: mapQuery() } : { muscles: state.planMuscles };
    if (state.answers) body.answers = state.answers;
    if (points !== 6) body.points = points;
    replace(planOut, h('p', { class: 'loading' }, 'Making the plan…'));
    try {
      lastPlan = await post('/api/plan', body);
      await drawPlan(lastPlan);
    } catch (err) {
      replace(planOut, h('div', { class: 'error', role: 'alert' }, plainError(err)));
    }
  }

  async function drawPlan(p) {
    const flags = p.flags.length ? h('div', { class: 'caution', role: 'alert' },
      h('strong', null, p.refused ? 'Why: ' : 'Keep in mind: '),
      h('ul', { class: 'flags' }, p.flags.map((f) => h('li', null, h('strong', null, `${words(f.code)}: `), f.message)))) : null;
    if (p.refused) {
      replace(planOut, h('div', { class: 'refused outcome tone-danger', role: 'alert' },
        h('h3', null, 'No self-treatment plan'),
        h('p', null, p.reason)), flags,
      h('p', null, h('strong', null, 'How often: '), p.frequency));
      return;
    }
    const names = new Map();
    await Promise.all([...new Set(p.steps.map((st) => st.muscle))].map(async (id) => {
      try { names.set(id, (await muscle(id)).name); } catch (e) { names.set(id, words(id)); }
    }));
    const days = new Map();
    for (const st of p.steps) {
      if (!days.has(st.day)) days.set(st.day, []);
      days.get(st.day).push(st);
    }
    const dayBlocks = [...days].map(([day, steps]) => h('section', { class: 'plan-day', 'data-day': day },
      h('h3', null, `Day ${day}`),
      h('ol', { class: 'steps' }, steps.map((st) => stepCard(st, names)))));
    replace(planOut,
      flags,
      h('p', { class: 'frequency' }, h('strong', null, 'How often: '), p.frequency),
      dayBlocks,
      p.dropped.length ? h('section', { class: 'dropped' },
        h('h3', null, 'Left out, and why'),
        h('ul', null, p.dropped.map((d) => h('li', null,
          h('strong', null, `${names.get(d.muscle) || words(d.muscle)}${d.side ? `, ${SIDE_WORD[d.side]}` : ''}: ${techniqueName(d.technique)}${d.point ? ` on ${d.point}` : ''}. `),
          d.reason)))) : null,
      p.professional.length ? h('section', { class: 'professional' },
        h('h3', null, 'What a professional may offer'),
        h('ul', null, p.professional.map((x) => h('li', null, x)))) : null);
  }

  function stepCard(st, names) {
    const who = `${names.get(st.muscle) || words(st.muscle)}${st.side ? `, ${SIDE_WORD[st.side]}` : ''}`;
    const what = st.point ? `${techniqueName(st.technique)} on ${st.point.name}` : techniqueName(st.technique);
    const d = st.dose;
    return h('li', { class: 'step', 'data-technique': st.technique },
      h('h4', null, h('span', { class: 'step-who' }, who), ': ', what,
        st.point ? h('span', { class: 'region-tag' }, regionName(st.point.region)) : null),
      h('p', null, st.instructions),
      h('p', { class: 'dose' + (d.light ? ' light' : '') }, h('strong', null, d.light ? 'Dose (light): ' : 'Dose: '), d.text,
        d.discomfort ? h('span', { class: 'note' }, ` Aim for discomfort ${d.discomfort[0]}-${d.discomfort[1]} of 10.`) : null),
      st.cautions.length ? h('ul', { class: 'caution-list' }, st.cautions.map((c) => h('li', null, c))) : null,
      createTimer(d),
      h('button', {
        type: 'button', class: 'small secondary log-step', onclick: () => {
          state.sessionDraft = { technique: PLAN_TO_DIARY[st.technique] || 'other', muscle: st.muscle, side: st.side || '' };
          ctx.go('#/diary');
        },
      }, 'Log this in the diary'));
  }

  drawScreen();
  drawPlanForm();
  if (lastPlan) drawPlan(lastPlan);
  return () => {};
}
