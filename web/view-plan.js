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

const AGE_MIN = 0;
const AGE_MAX = 120;

// Whether question q is asked, given the answers so far: its ask_if rules from the
// questions file (a follow-up only after a yes; an age-bound one only at that age).
export function applies(q, answers) {
  const rule = q.ask_if;
  if (!rule) return true;
  if (rule.yes && !rule.yes.every((code) => answers[code] === true)) return false;
  if (rule.age_at_least && typeof answers.age === 'number' && answers.age < rule.age_at_least) return false;
  return true;
}

// The answers of the questions that apply, in order: what a skipped question was
// answered before going back no longer counts.
function asked(qs, answers) {
  const clean = {};
  for (const q of qs) {
    if (applies(q, clean) && answers[q.code] !== undefined) clean[q.code] = answers[q.code];
  }
  return clean;
}

// A whole number of years in range, or null.
function ageOf(text) {
  const t = String(text).trim();
  if (!/^\d{1,3}$/.test(t)) return null;
  const n = Number(t);
  return n >= AGE_MIN && n <= AGE_MAX ? n : null;
}

// The one-at-a-time walk through the questions: where it is, what was answered, and the
// questions asked before (for Back).
let walk = null; // {index, answers, back: [index...]}
let mode = 'one';
let lastPlan = null;

// The whole-body factors that keep trigger points going in any muscle, each with when to
// ask a doctor for a blood test (the plan's "perpetuating_factors", or GET
// /api/perpetuating-factors); null when there are none.
export function bodyFactors(list, title = 'What keeps trigger points going anywhere in the body') {
  if (!list || !list.length) return null;
  return h('section', { class: 'body-factors' },
    h('h3', null, title),
    h('ul', null, list.map((f) => h('li', { 'data-code': f.code },
      h('strong', null, `${f.name.charAt(0).toUpperCase()}${f.name.slice(1)}: `), f.text,
      h('p', { class: 'ask' }, f.ask)))));
}

export function renderPlan(root, ctx) {
  const screenBox = h('div', { class: 'screen-box' });
  const planForm = h('div', { class: 'plan-form' });
  const planOut = h('div', { class: 'plan-out', 'aria-live': 'polite' });
  let questions = null;

  replace(root, h('div', { class: 'plan-layout' },
    h('section', { class: 'panel', 'aria-labelledby': 'screen-title' },
      h('h2', { id: 'screen-title' }, '1. Safety questions'),
      h('p', { class: 'hint' }, 'Before you treat trigger points yourself, answer these, section by section. Each is asked so that "yes" is the warning sign; questions that cannot apply to you are skipped.'),
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

  // The next question from index on that applies, or -1.
  function nextFrom(qs, index) {
    for (let i = index; i < qs.length; i++) if (applies(qs[i], walk.answers)) return i;
    return -1;
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
    if (!walk) walk = { index: 0, answers: {}, back: [] };
    if (!walk.back) walk.back = [];
    if (mode === 'one') drawCard(qs, modeSwitch, moveFocus);
    else drawList(qs, modeSwitch);
  }

  function drawCard(qs, modeSwitch, moveFocus) {
    const q = qs[walk.index];
    const goOn = () => {
      walk.back.push(walk.index);
      const next = nextFrom(qs, walk.index + 1);
      if (next < 0) return submit(asked(qs, walk.answers));
      walk.index = next;
      drawScreen(true);
    };
    const answer = (yes) => {
      walk.answers[q.code] = yes;
      if (yes && q.group === 'emergency') return submit(asked(qs, walk.answers));
      goOn();
    };
    const back = h('button', { type: 'button', class: 'secondary', disabled: walk.back.length === 0, onclick: () => { walk.index = walk.back.pop(); drawScreen(true); } }, 'Back');
    let row;
    if (q.type === 'age') {
      const input = h('input', { type: 'number', id: 'age-input', class: 'age-input', min: AGE_MIN, max: AGE_MAX, step: 1, inputmode: 'numeric', value: walk.answers.age ?? '', 'aria-labelledby': 'question-text' });
      const problem = h('p', { class: 'error', role: 'alert', hidden: true });
      const next = () => {
        const age = ageOf(input.value);
        if (age === null) {
          problem.hidden = false;
          problem.textContent = `Please give your age as a whole number of years, from ${AGE_MIN} to ${AGE_MAX}.`;
          input.focus();
          return;
        }
        walk.answers.age = age;
        goOn();
      };
      input.addEventListener('keydown', (e) => { if (e.key === 'Enter') { e.preventDefault(); next(); } });
      row = h('div', null, h('div', { class: 'answer-row' }, input,
        h('button', { type: 'button', class: 'answer-next', onclick: next }, 'Next'), back), problem);
    } else {
      row = h('div', { class: 'answer-row', role: 'group', 'aria-labelledby': 'question-text' },
        h('button', { type: 'button', class: 'answer-yes', onclick: () => answer(true) }, 'Yes'),
        h('button', { type: 'button', class: 'answer-no', onclick: () => answer(false) }, 'No'),
        back);
    }
    replace(screenBox, modeSwitch,
      h('div', { class: 'question-card', 'data-code': q.code, 'data-section': q.section },
        h('p', { class: 'question-count' }, h('span', { class: 'section-title' }, q.section_title),
          GROUP[q.group] ? h('span', { class: `group-tag group-${q.group}` }, GROUP[q.group]) : null),
        h('p', { class: 'question', id: 'question-text' }, q.question),
        row),
      h('progress', { class: 'screen-progress', max: qs.length, value: walk.index, 'aria-label': 'Questions answered' }));
    if (moveFocus) screenBox.querySelector(q.type === 'age' ? '#age-input' : '.answer-no').focus({ preventScroll: true });
  }

  function drawList(qs, modeSwitch) {
    const problem = h('div', { class: 'error', role: 'alert', hidden: true });
    const items = [];
    const sections = [];
    for (const q of qs) {
      let item;
      if (q.type === 'age') {
        item = h('div', { class: 'question-item', 'data-code': q.code },
          h('label', { for: 'list-age' }, q.question),
          h('input', { type: 'number', id: 'list-age', name: q.code, class: 'age-input', min: AGE_MIN, max: AGE_MAX, step: 1, inputmode: 'numeric', value: walk.answers.age ?? '' }));
      } else {
        item = h('fieldset', { class: 'question-item', 'data-code': q.code },
          h('legend', null, GROUP[q.group] ? h('span', { class: `group-tag group-${q.group}` }, GROUP[q.group]) : null, q.question),
          h('label', null, h('input', { type: 'radio', name: q.code, value: 'yes', checked: walk.answers[q.code] === true }), ' Yes'),
          h('label', null, h('input', { type: 'radio', name: q.code, value: 'no', checked: walk.answers[q.code] !== true }), ' No'));
      }
      items.push([q, item]);
      if (!sections.length || sections[sections.length - 1].code !== q.section)
        sections.push({ code: q.section, title: q.section_title, items: [] });
      sections[sections.length - 1].items.push(item);
    }
    const read = () => {
      const answers = {};
      for (const [q] of items) {
        if (q.type === 'age') {
          const age = ageOf(form.elements[q.code].value);
          if (age !== null) answers.age = age;
        } else {
          answers[q.code] = form.elements[q.code].value === 'yes';
        }
      }
      return answers;
    };
    // only the questions that apply are shown; the others wait for their yes or the age
    const showApplying = () => {
      const now = read();
      const shown = {};
      for (const [q, item] of items) {
        item.hidden = !applies(q, shown);
        if (!item.hidden && now[q.code] !== undefined) shown[q.code] = now[q.code];
      }
    };
    const form = h('form', { class: 'question-list', onchange: showApplying, oninput: showApplying, onsubmit: (e) => {
      e.preventDefault();
      const answers = read();
      if (answers.age === undefined) {
        problem.hidden = false;
        problem.textContent = `Please give your age as a whole number of years, from ${AGE_MIN} to ${AGE_MAX}.`;
        form.elements.age.focus();
        return;
      }
      submit(asked(qs, answers));
    } },
    sections.map((sec) => h('section', { class: 'question-section', 'data-section': sec.code },
      h('h3', null, sec.title), sec.items)),
    problem,
    h('button', { type: 'submit' }, 'Check my answers'));
    replace(screenBox, modeSwitch, form);
    showApplying();
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
        walk = { index: 0, answers: { ...(state.answers || {}) }, back: [] };
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
      bodyFactors(p.perpetuating_factors),
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
