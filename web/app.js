// The page's entry point: loads the body map and the regions, then routes by the address's
// hash: #/ the body map, #/muscle/ID[/SIDE] one muscle, #/plan screening and the plan,
// #/diary logging, #/report the report. ?speed=N before the hash speeds up hold timers.

import { h, replace } from './dom.js';
import { get, plainError } from './api.js';
import { load, listen } from './state.js';
import { pauseAll } from './timer.js';
import { renderMap } from './view-map.js';
import { renderMuscle } from './view-muscle.js';
import { renderPlan } from './view-plan.js';
import { renderDiary } from './view-diary.js';
import { renderReport } from './view-report.js';

const TITLES = {
  map: 'Body map',
  plan: 'Screening and plan',
  diary: 'Diary',
  report: 'Report',
};

async function boot() {
  load();
  const main = document.getElementById('main');
  document.getElementById('skip').addEventListener('click', () => main.focus());
  let bodymap;
  let regionList;
  let symptomList;
  try {
    [bodymap, regionList, symptomList] = await Promise.all([get('/api/bodymap'), get('/api/regions'), get('/api/symptoms')]);
  } catch (err) {
    replace(main, h('div', { class: 'error', role: 'alert' }, 'The body map could not be loaded. ', plainError(err)));
    return;
  }

  const ctx = {
    bodymap,
    regions: new Map(regionList.map((r) => [r.name, r])),
    symptoms: new Map(symptomList.map((s) => [s.name, s])),
    go: (hash) => { location.hash = hash; },
    listen,
  };

  let cleanup = null;
  let first = true;

  function route() {
    if (typeof cleanup === 'function') cleanup();
    cleanup = null;
    pauseAll();
    const parts = location.hash.replace(/^#\/?/, '').split('/').filter(Boolean).map(decodeURIComponent);
    const name = parts[0] === 'muscle' && parts[1] ? 'muscle' : TITLES[parts[0]] ? parts[0] : 'map';
    for (const link of document.querySelectorAll('.nav a')) {
      if (link.dataset.route === name) link.setAttribute('aria-current', 'page');
      else link.removeAttribute('aria-current');
    }
    document.title = `${TITLES[name] || 'Muscle'} · trp`;
    document.body.dataset.view = name;
    const view = h('div', { class: `view-root view-${name}` });
    replace(main, view);
    if (name === 'muscle') cleanup = renderMuscle(view, ctx, parts[1], parts[2]);
    else if (name === 'plan') cleanup = renderPlan(view, ctx);
    else if (name === 'diary') cleanup = renderDiary(view, ctx);
    else if (name === 'report') cleanup = renderReport(view, ctx);
    else cleanup = renderMap(view, ctx);
    if (!first) {
      window.scrollTo(0, 0);
      main.focus({ preventScroll: true });
    }
    first = false;
  }

  window.addEventListener('hashchange', route);
  route();
}

boot();
