// A hold timer for one plan step: the longest hold of the dose, the fewest rounds, a rest
// between rounds; start, pause, reset, a countdown and a progress bar. Time runs `speed`
// times faster than the clock (the page's ?speed=N, for tests and demonstrations).

import { h, clock } from './dom.js';

let running = null; // the one timer that runs; starting another pauses it

// The page's time factor: ?speed=N in the address, 1 to 1000, default 1. It only speeds
// the timers up: none runs longer than its dose (the planner caps a hold at 120 s and
// heat at 20 minutes).
export function pageSpeed() {
  const n = Number(new URLSearchParams(location.search).get('speed'));
  return Number.isFinite(n) && n >= 1 ? Math.min(1000, n) : 1;
}

// dose: the plan step's dose object. Returns the timer's element.
export function createTimer(dose, speed = pageSpeed()) {
  const hold = dose.hold_seconds ? dose.hold_seconds[1] : 30;
  const rounds = dose.rounds ? Math.max(1, dose.rounds[0]) : 1;
  const rest = dose.rest_seconds || 0;
  const phases = [];
  for (let i = 1; i <= rounds; i++) {
    phases.push({ kind: 'hold', seconds: hold, label: rounds > 1 ? `Hold ${i} of ${rounds}` : 'Hold' });
    if (i < rounds && rest > 0) phases.push({ kind: 'rest', seconds: rest, label: `Rest before hold ${i + 1}` });
  }

  let phase = 0;
  let elapsed = 0;     // seconds of dose time spent in this phase
  let lastTick = 0;
  let interval = null;

  const label = h('span', { class: 'timer-phase' });
  const countdown = h('span', { class: 'countdown', role: 'timer', 'aria-atomic': 'true' });
  const bar = h('progress', { class: 'timer-bar', max: 1000, value: 0 });
  const status = h('span', { class: 'sr-only', 'aria-live': 'polite' });
  const startButton = h('button', { type: 'button', class: 'small timer-start', onclick: toggle }, 'Start');
  const resetButton = h('button', { type: 'button', class: 'small secondary timer-reset', onclick: reset }, 'Reset');
  const el = h('div', { class: 'timer', 'data-state': 'idle' },
    h('div', { class: 'timer-top' }, label, countdown),
    bar,
    h('div', { class: 'timer-buttons' }, startButton, resetButton),
    status);
  el.timer = { pause, reset };

  function draw() {
    const done = phase >= phases.length;
    const p = phases[Math.min(phase, phases.length - 1)];
    label.textContent = done ? 'Done' : p.label;
    countdown.textContent = done ? '0:00' : clock(p.seconds - elapsed);
    bar.value = done ? 1000 : Math.round((1000 * elapsed) / p.seconds);
    bar.setAttribute('aria-label', `${label.textContent}: ${countdown.textContent} left`);
    el.dataset.phase = done ? 'done' : p.kind;
  }

  function tick() {
    const now = performance.now();
    elapsed += ((now - lastTick) / 1000) * speed;
    lastTick = now;
    while (phase < phases.length && elapsed >= phases[phase].seconds) {
      elapsed -= phases[phase].seconds;
      phase++;
      if (phase < phases.length) status.textContent = phases[phase].label;
    }
    if (phase >= phases.length) finish();
    draw();
  }

  function start() {
    if (phase >= phases.length) reset();
    if (running && running !== el) running.timer.pause();
    running = el;
    lastTick = performance.now();
    interval = setInterval(tick, 100);
    el.dataset.state = 'running';
    startButton.textContent = 'Pause';
    status.textContent = `${phases[phase].label} started`;
  }

  function pause() {
    if (!interval) return;
    tick();
    clearInterval(interval);
    interval = null;
    if (el.dataset.state === 'running') {
      el.dataset.state = 'paused';
      startButton.textContent = 'Resume';
    }
    if (running === el) running = null;
  }

  function finish() {
    clearInterval(interval);
    interval = null;
    elapsed = 0;
    el.dataset.state = 'done';
    startButton.textContent = 'Start again';
    status.textContent = 'Done';
    if (running === el) running = null;
  }

  function reset() {
    clearInterval(interval);
    interval = null;
    if (running === el) running = null;
    phase = 0;
    elapsed = 0;
    el.dataset.state = 'idle';
    startButton.textContent = 'Start';
    draw();
  }

  function toggle() {
    if (interval) pause();
    else start();
  }

  draw();
  return el;
}

// Pauses whichever timer runs (when the page leaves the plan).
export function pauseAll() {
  if (running) running.timer.pause();
}
