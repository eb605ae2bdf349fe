// Browser tests of trp's page, through the real page and the real server: Debian's
// chromium driven by playwright-core. Usage: node app.test.mjs URL SCREENSHOT_DIR
// URL is the address `trp serve` printed, with its launch token.
// Prints one line per check and "N passed, N failed"; exits 1 on any failure.

import { chromium } from 'playwright-core';
import { mkdirSync } from 'node:fs';
import { createServer } from 'node:http';
import { join } from 'node:path';

const [urlArg, shotDir] = process.argv.slice(2);
if (!urlArg || !shotDir) {
  console.error('usage: node app.test.mjs URL SCREENSHOT_DIR');
  process.exit(2);
}
const LAUNCH = new URL(urlArg);
const BASE = LAUNCH.origin;
const TOKEN = LAUNCH.searchParams.get('token');
if (!TOKEN) {
  console.error(`app.test.mjs: ${urlArg} carries no ?token=`);
  process.exit(2);
}
// What the page's own requests carry once it has traded the token: the cookie.
const COOKIE = `trp_token_${LAUNCH.port}=${TOKEN}`;
const SPEED = 20; // hold timers run 20 times faster: a 60 s hold takes 3 s
const CHECK_MS = 45000;
mkdirSync(shotDir, { recursive: true });

let passed = 0;
let failed = 0;
const pageErrors = [];

function assert(ok, message) {
  if (!ok) throw new Error(message);
}

// Runs one check with a time limit; a failure is reported and the run goes on.
async function check(name, fn) {
  let timer;
  const limit = new Promise((_, reject) => { timer = setTimeout(() => reject(new Error(`timed out after ${CHECK_MS} ms`)), CHECK_MS); });
  try {
    await Promise.race([fn(), limit]);
    passed++;
    console.log(`ok      ${name}`);
  } catch (err) {
    failed++;
    console.log(`FAILED  ${name}\n        ${String(err && err.message ? err.message : err).split('\n').join('\n        ')}`);
  } finally {
    clearTimeout(timer);
  }
}

async function shot(page, name) {
  const path = join(shotDir, name);
  await page.evaluate(() => window.scrollTo(0, 0));
  await page.screenshot({ path, fullPage: true });
  console.log(`        screenshot: ${path}`);
}

// A point well inside a region's polygon, in page coordinates (found with the SVG's own
// hit test, so a concave region is handled), after scrolling it into view.
async function regionPoint(page, region, view = 'front') {
  const path = page.locator(`svg.figure[data-view="${view}"] path.region[data-region="${region}"]`);
  await path.scrollIntoViewIfNeeded();
  const point = await path.evaluate((el) => {
    const box = el.getBBox();
    const svgPoint = el.ownerSVGElement.createSVGPoint();
    const inner = [];
    for (let i = 1; i < 16; i++) {
      for (let j = 1; j < 16; j++) {
        svgPoint.x = box.x + (box.width * i) / 16;
        svgPoint.y = box.y + (box.height * j) / 16;
        if (el.isPointInFill(svgPoint)) inner.push([svgPoint.x, svgPoint.y]);
      }
    }
    if (inner.length === 0) return null;
    const mx = inner.reduce((a, p) => a + p[0], 0) / inner.length;
    const my = inner.reduce((a, p) => a + p[1], 0) / inner.length;
    inner.sort((a, b) => Math.hypot(a[0] - mx, a[1] - my) - Math.hypot(b[0] - mx, b[1] - my));
    svgPoint.x = inner[0][0];
    svgPoint.y = inner[0][1];
    const screen = svgPoint.matrixTransform(el.getScreenCTM());
    const hit = document.elementFromPoint(screen.x, screen.y);
    return { x: screen.x, y: screen.y, hits: hit === el };
  });
  assert(point, `no point inside ${region} on the ${view} figure`);
  assert(point.hits, `the point inside ${region} on the ${view} figure is covered by another element`);
  return point;
}

async function clickRegion(page, region, view = 'front') {
  const p = await regionPoint(page, region, view);
  await page.mouse.click(p.x, p.y);
}

async function level(page, region) {
  return page.locator(`path.region[data-region="${region}"]`).first().getAttribute('data-level');
}

// A request straight to the API (for setting up a history), failing on an error reply.
async function api(method, path, body) {
  const reply = await fetch(BASE + path, {
    method, headers: body ? { 'Content-Type': 'application/json', Cookie: COOKIE } : { Cookie: COOKIE },
    body: body ? JSON.stringify(body) : undefined,
    signal: AbortSignal.timeout(5000),
  });
  const data = await reply.json();
  assert(reply.ok, `${method} ${path}: ${reply.status} ${JSON.stringify(data)}`);
  return data;
}

async function waitFor(fn, what, ms = 10000) {
  const end = Date.now() + ms;
  for (;;) {
    const value = await fn();
    if (value) return value;
    if (Date.now() > end) throw new Error(`waited ${ms} ms for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

// The contrast ratio of an element's text against the first opaque background behind it.
async function contrastOf(page, selector) {
  return page.locator(selector).first().evaluate((el) => {
    const rgb = (text) => (text.match(/[\d.]+/g) || []).map(Number);
    const lum = ([r, g, b]) => {
      const f = (c) => { c /= 255; return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4; };
      return 0.2126 * f(r) + 0.7152 * f(g) + 0.0722 * f(b);
    };
    const fg = rgb(getComputedStyle(el).color);
    let node = el;
    let bg = [255, 255, 255];
    while (node && node.nodeType === 1) {
      const c = rgb(getComputedStyle(node).backgroundColor);
      if (c.length >= 3 && (c.length === 3 || c[3] > 0.9)) { bg = c.slice(0, 3); break; }
      node = node.parentElement;
    }
    const a = lum(fg.slice(0, 3));
    const b = lum(bg);
    return (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05);
  });
}

const browser = await chromium.launch({
  executablePath: '/usr/bin/chromium',
  headless: true,
  timeout: 30000,
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
    '--disable-background-networking', '--disable-component-update', '--disable-sync'],
});

async function newPage(options = {}) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, ...options });
  const page = await context.newPage();
  page.setDefaultTimeout(10000);
  page.on('pageerror', (err) => pageErrors.push(err.message));
  // Requests may only go to the trp server: the page must work offline.
  await context.route('**/*', (route) => {
    if (route.request().url().startsWith(BASE)) return route.continue();
    pageErrors.push(`request outside trp: ${route.request().url()}`);
    return route.abort();
  });
  // the first load, from the address trp serve printed: the token becomes a cookie
  await page.goto(urlArg);
  assert(!page.url().includes('token='), `the token stayed in the address: ${page.url()}`);
  return page;
}

try {
  // ---------------------------------------------------------------- desktop
  const page = await newPage();

  await check('the page loads: two figures from /api/bodymap, Left/Right labels, the disclaimer', async () => {
    await page.goto(`${BASE}/?speed=${SPEED}#/`);
    await page.locator('svg.figure[data-view="back"] path.region').first().waitFor();
    const front = await page.locator('svg.figure[data-view="front"] path.region').count();
    const back = await page.locator('svg.figure[data-view="back"] path.region').count();
    assert(front === 98 && back === 100, `regions drawn: front ${front}, back ${back} (want 98 and 100)`);
    const labels = await page.locator('svg.figure[data-view="front"] .side-labels text').allTextContents();
    assert(labels.includes('Left') && labels.includes('Right'), `labels: ${labels}`);
    // The person's left is on the viewer's right on the front view.
    const [lx, rx] = await Promise.all(['temple.l', 'temple.r'].map((r) => regionPoint(page, r).then((p) => p.x)));
    assert(lx > rx, 'temple.l should be drawn right of temple.r on the front view');
    assert(await page.getByText('trp informs; it does not diagnose.').first().isVisible(), 'the disclaimer is not visible');
    const region = page.locator('path.region[data-region="temple.l"]');
    assert(await region.getAttribute('tabindex') === '0', 'regions are not focusable');
    assert(await region.getAttribute('role') === 'button', 'regions have no role');
    const label = await region.getAttribute('aria-label');
    assert(/Temple, left/.test(label), `aria-label: ${label}`);
  });

  await check('clicking temple.l and neck_side.l on the figure ranks trapezius_upper, left, first', async () => {
    await clickRegion(page, 'temple.l');
    await clickRegion(page, 'neck_side.l');
    assert(await level(page, 'temple.l') === '3', 'temple.l not marked at 3');
    assert(await level(page, 'neck_side.l') === '3', 'neck_side.l not marked at 3');
    const first = page.locator('.candidate').first();
    await waitFor(async () => (await first.getAttribute('data-muscle')) === 'trapezius_upper', 'trapezius_upper to rank first');
    assert(await first.getAttribute('data-side') === 'l', 'the first candidate is not on the left');
    const text = await first.innerText();
    assert(/Upper trapezius/.test(text) && /left/.test(text) && /0\.\d\d/.test(text), `candidate text: ${text}`);
    assert(/Temple, left \(essential zone\)/.test(text), `what it explains is missing: ${text}`);
    const explanation = await page.locator('.explanation').innerText();
    assert(/Upper trapezius/.test(explanation), `explanation: ${explanation}`);
  });

  await check('tapping again and the slider set the intensity (3 -> 6 -> slider 7)', async () => {
    await clickRegion(page, 'temple.l');
    assert(await level(page, 'temple.l') === '6', `after a second tap: ${await level(page, 'temple.l')}`);
    await page.locator('#intensity').fill('7');
    assert(await level(page, 'temple.l') === '7', `after the slider: ${await level(page, 'temple.l')}`);
    await waitFor(async () => (await page.locator('.candidate').first().getAttribute('data-muscle')) === 'trapezius_upper', 'the ranking after the change');
  });

  await check('dragging across regions marks each of them', async () => {
    const a = await regionPoint(page, 'thigh_front.r');
    const b = await regionPoint(page, 'knee_front.r');
    await page.mouse.move(a.x, a.y);
    await page.mouse.down();
    await page.mouse.move((a.x + b.x) / 2, (a.y + b.y) / 2, { steps: 5 });
    await page.mouse.move(b.x, b.y, { steps: 5 });
    await page.mouse.up();
    assert(await level(page, 'thigh_front.r') !== null, 'thigh_front.r not marked by the drag');
    assert(await level(page, 'knee_front.r') !== null, 'knee_front.r not marked by the drag');
    for (const r of ['thigh_front.r', 'knee_front.r']) {
      await page.getByRole('button', { name: `Remove ${r === 'thigh_front.r' ? 'Thigh front' : 'Knee front'}, right` }).click();
    }
    assert(await level(page, 'thigh_front.r') === null && await level(page, 'knee_front.r') === null, 'the chips did not remove the marks');
  });

  await check('choosing the candidate draws its referral zones and its trigger points (X) on the figure', async () => {
    await waitFor(async () => (await page.locator('.candidate').first().getAttribute('data-muscle')) === 'trapezius_upper', 'the ranking');
    await page.locator('.candidate').first().locator('.candidate-main').click();
    await page.locator('.zones path[data-zone="essential"][data-region="temple.l"]').waitFor();
    const essential = await page.locator('.zones path[data-zone="essential"]').count();
    const spill = await page.locator('.zones path[data-zone="spillover"]').count();
    assert(essential >= 4, `essential zones drawn: ${essential}`);
    assert(spill >= 4, `spillover zones drawn: ${spill}`);
    assert(await page.locator('.zones path[data-zone="spillover"][data-region="jaw.l"]').count() === 1, 'the jaw.l spillover zone is missing');
    assert(await page.locator('.zones path[data-region$=".r"]').count() === 0, 'a zone was drawn on the right side');
    const marks = page.locator('svg.figure[data-view="back"] .tp-mark[data-region="shoulder_top.l"]');
    assert(await marks.count() === 2, `trigger point marks at shoulder_top.l: ${await marks.count()}`);
    // Each X sits inside its region.
    const inside = await marks.first().evaluate((g) => {
      const box = g.getBBox();
      const region = g.ownerSVGElement.querySelector('path.region[data-region="shoulder_top.l"]');
      const pt = g.ownerSVGElement.createSVGPoint();
      pt.x = box.x + box.width / 2;
      pt.y = box.y + box.height / 2;
      return region.isPointInFill(pt);
    });
    assert(inside, 'the X is not inside shoulder_top.l');
    assert(await page.locator('.candidate').first().locator('.candidate-main').getAttribute('aria-pressed') === 'true', 'the candidate is not marked as shown');
    await shot(page, 'desktop-map.png');
  });

  await check('the muscle page shows trigger points, referral, causes, self-care, cautions, professional options, sources', async () => {
    await page.locator('.candidate').first().locator('a.more').click();
    await page.waitForURL(/#\/muscle\/trapezius_upper\/l$/);
    await page.getByRole('heading', { name: 'Upper trapezius', level: 2 }).waitFor();
    const text = await page.locator('.muscle-text').innerText();
    for (const part of ['Trigger points', 'TP1 (anterior fibres)', 'Finding it:', 'Where it refers pain', 'What causes them',
      'What keeps them going', 'In any muscle, also', 'An underactive thyroid:', 'blood test', 'Self-care', 'Cautions',
      'What a professional may offer', 'Sources', 'Simons DG'])
      assert(text.includes(part), `missing on the muscle page: ${part}`);
    assert(await page.locator('.tp-mark').count() >= 2, 'no trigger point marks on the muscle figure');
    await shot(page, 'desktop-muscle.png');
  });

  await check('the screening, one question at a time: the age, sections, skipped follow-ups, a precaution', async () => {
    await page.locator('.nav a[data-route="plan"]').click();
    await page.locator('.question-card').waitFor();
    // The questions that apply to a 30-year-old who answers no to every gate, worked out
    // here from the served questions' skip rules.
    const questions = await page.evaluate(async () => (await fetch('/api/screen/questions')).json());
    const expected = questions.filter((q) => q.ask_if === null).length;
    assert(await page.locator('.question-card').getAttribute('data-code') === 'age', 'the first question is not the age');
    await page.locator('.answer-next').click();
    await page.locator('.question-card .error').waitFor();
    assert(/whole number of years/.test(await page.locator('.question-card .error').innerText()), 'no message for a missing age');
    await page.locator('#age-input').fill('30');
    await page.locator('.answer-next').click();
    // The code of the question on show, or null once the screening is over (read in one go,
    // since the card is replaced between answers).
    const current = () => page.evaluate(() => {
      const card = document.querySelector('.question-card');
      return card ? { code: card.dataset.code, section: card.querySelector('.section-title').textContent } : null;
    });
    let asked = 1;
    const seen = [];
    const sections = new Set();
    for (let now = await current(); now && now.code !== 'age' && asked < 80; asked++) {
      seen.push(now.code);
      sections.add(now.section);
      await page.locator(now.code === 'blood_thinners' ? '.answer-yes' : '.answer-no').click();
      const previous = now.code;
      now = await waitFor(async () => {
        const c = await current();
        return !c || c.code !== previous ? { c } : null;
      }, 'the next question').then((r) => r.c);
    }
    assert(asked === expected, `questions asked: ${asked}, expected ${expected}`);
    assert(!seen.includes('new_headache') && !seen.includes('pregnancy_headache') && !seen.includes('clot_risk'),
      `a follow-up was asked after a no: ${seen.join(' ')}`);
    assert(sections.has('Heart, chest and breathing') && sections.size >= 5, `sections: ${[...sections].join(', ')}`);
    const outcome = page.locator('.outcome');
    await outcome.waitFor();
    assert(await outcome.getAttribute('data-outcome') === 'precautions', `outcome: ${await outcome.getAttribute('data-outcome')}`);
    const text = await outcome.innerText();
    assert(/Blood thinners/.test(text) && /light pressure/i.test(text), `outcome text: ${text}`);
    const saved = await page.evaluate(() => JSON.parse(localStorage.getItem('trp.state.v1')).answers);
    assert(saved && saved.age === 30, `the saved answers lack the age: ${JSON.stringify(saved)}`);
  });

  await check('the plan for the map: steps by day, light doses from the screening, professional options', async () => {
    await page.locator('input[name="plan-for"][value="map"]').check();
    await page.locator('.make-plan').click();
    await page.locator('.plan-day[data-day="1"]').waitFor();
    const steps = await page.locator('.step').count();
    assert(steps >= 3, `steps: ${steps}`);
    const text = await page.locator('.plan-out').innerText();
    assert(/Upper trapezius, left/.test(text), 'the plan does not name the muscle');
    assert(/Dose \(light\)/.test(text), 'the blood thinners precaution did not soften the dose');
    assert(/Light pressure only \('blood_thinners'\)/.test(text), 'the precaution caution is missing');
    assert(/What a professional may offer/.test(text), 'no professional options');
    assert(/How often:/.test(text), 'no frequency');
    assert(/What keeps trigger points going anywhere in the body/.test(text) && /An underactive thyroid:/.test(text) &&
      /blood test/.test(text), 'no whole-body perpetuating factors in the plan');
    await shot(page, 'desktop-plan.png');
  });

  await check(`a hold timer counts down, pauses and finishes (?speed=${SPEED})`, async () => {
    const timer = page.locator('.step[data-technique="pressure"] .timer').first();
    const countdown = timer.locator('.countdown');
    const seconds = async () => {
      const [m, s] = (await countdown.innerText()).split(':').map(Number);
      return m * 60 + s;
    };
    const start = await seconds();
    assert(start === 60, `the pressure hold should start at 1:00, shows ${await countdown.innerText()}`);
    await timer.locator('.timer-start').click();
    await page.waitForTimeout(600);
    assert(await timer.getAttribute('data-state') === 'running', 'the timer is not running');
    const running = await seconds();
    assert(running < start, `after 0.6 s at ${SPEED}x it still shows ${running} s`);
    const bar = await timer.locator('progress').evaluate((p) => p.value);
    assert(bar > 0, 'the progress bar did not move');
    await timer.locator('.timer-start').click();
    assert(await timer.getAttribute('data-state') === 'paused', 'the timer did not pause');
    const paused = await seconds();
    await page.waitForTimeout(400);
    assert(await seconds() === paused, 'the countdown moved while paused');
    await timer.locator('.timer-start').click();
    await waitFor(async () => (await timer.getAttribute('data-state')) === 'done', 'the timer to finish', 20000);
    assert(/Done/.test(await timer.innerText()), 'the finished timer does not say Done');
    await timer.locator('.timer-reset').click();
    assert(await seconds() === 60, 'reset did not restore 1:00');
  });

  await check('a warning sign refuses the plan, with its reason (screening as a list)', async () => {
    await page.getByRole('button', { name: 'Answer again' }).click();
    await page.getByRole('button', { name: 'All as a list' }).click();
    await page.locator('.question-list').waitFor();
    // a follow-up shows only after the yes it waits for
    const follow = page.locator('fieldset[data-code="pregnancy_headache"]');
    assert(await follow.isHidden(), 'the pregnancy follow-up shows before any yes');
    await page.locator('input[name="pregnancy"][value="yes"]').check();
    assert(await follow.isHidden(), 'the pregnancy follow-up shows without a headache');
    await page.locator('input[name="headache"][value="yes"]').check();
    await follow.waitFor();
    await page.locator('input[name="pregnancy"][value="no"]').check();
    await page.locator('input[name="headache"][value="no"]').check();
    assert(await follow.isHidden(), 'the pregnancy follow-up stays after the no');
    assert(await page.locator('#list-age').inputValue() === '30', 'the age is not kept for answering again');
    await page.locator('input[name="blood_thinners"][value="no"]').check();
    await page.locator('input[name="night_pain"][value="yes"]').check();
    await page.getByRole('button', { name: 'Check my answers' }).click();
    await page.locator('.outcome[data-outcome="see_doctor"]').waitFor();
    await page.locator('.make-plan').click();
    const refused = page.locator('.refused');
    await refused.waitFor();
    assert(/night_pain/.test(await refused.innerText()), 'the refusal does not name its reason');
    assert(await page.locator('.step').count() === 0, 'a refused plan still shows steps');
  });

  await check('a plan for a chosen muscle lists what a precaution left out, and why', async () => {
    await page.getByRole('button', { name: 'Answer again' }).click();
    await page.getByRole('button', { name: 'All as a list' }).click();
    await page.locator('input[name="night_pain"][value="no"]').check();
    await page.locator('input[name="reduced_sensation"][value="yes"]').check();
    await page.getByRole('button', { name: 'Check my answers' }).click();
    await page.locator('.outcome[data-outcome="precautions"]').waitFor();
    await page.locator('input[name="plan-for"][value="muscles"]').check();
    await page.locator('#muscle-input').fill('gluteus_medius');
    await page.locator('#muscle-side').selectOption('r');
    await page.getByRole('button', { name: 'Add', exact: true }).click();
    await page.locator('.make-plan').click();
    const dropped = page.locator('.dropped li');
    await dropped.first().waitFor();
    const text = await page.locator('.dropped').innerText();
    assert(/Gluteus medius, right: moist heat\. No heat/.test(text), `left out: ${text}`);
    assert(await page.locator('.step[data-technique="heat"]').count() === 0, 'a heat step is still in the plan');
    await page.locator('input[name="plan-for"][value="map"]').check();
  });

  await check('logging the pain map and a session through the diary forms', async () => {
    await page.locator('.nav a[data-route="diary"]').click();
    await page.locator('#pain-form').waitFor();
    await page.locator('select[name="q-temple.l"]').selectOption('aching');
    await page.getByRole('button', { name: 'Log this pain' }).click();
    await page.locator('#pain-form .ok').waitFor();
    await page.locator('#s-technique').selectOption('pressure');
    await page.locator('#s-muscle').fill('trapezius_upper');
    await page.locator('#s-side').selectOption('l');
    await page.locator('#s-minutes').fill('5');
    await page.locator('#s-before').fill('6');
    await page.locator('#s-after').fill('3');
    await page.locator('#s-note').fill('from the browser test');
    await page.getByRole('button', { name: 'Log this session' }).click();
    await page.locator('#session-form .ok').waitFor();
    const entries = page.locator('.entries');
    await waitFor(async () => /Pressure on Trapezius upper, left, 5 min: pain 6 → 3/.test(await entries.innerText()), 'the session in the list');
    assert(/Temple, left 7 \(aching\)/.test(await entries.innerText()), 'the pain entry is not in the list');
  });

  await check('an API error is shown in plain words (an unknown muscle in the session form)', async () => {
    await page.locator('#s-muscle').fill('trapezus_upper');
    await page.getByRole('button', { name: 'Log this session' }).click();
    const error = page.locator('#session-form .error');
    await error.waitFor();
    const text = await error.innerText();
    assert(/not in the atlas/.test(text) && /trapezus_upper/.test(text), `error text: ${text}`);
    assert(await error.getAttribute('role') === 'alert', 'the error is not announced');
    await shot(page, 'desktop-diary.png');
    await page.locator('#s-muscle').fill('trapezius_upper');
  });

  await check('the report shows the session: technique table, trend figures, comparisons, both charts', async () => {
    // Two weeks of history before today, through the API, so the report has figures.
    const day = (k) => new Date(Date.now() - k * 86400000).toISOString().slice(0, 10);
    const seeded = { pressure: 0, stretch: 0 };
    for (let k = 15; k >= 2; k--) {
      const peak = Math.round(7 - (15 - k) * 0.3);
      const technique = k % 2 ? 'pressure' : 'stretch';
      seeded[technique]++;
      await api('POST', '/api/pain', { regions: [`neck_side.l=${peak}`], at: `${day(k)}T08:00:00+00:00` });
      await api('POST', '/api/sessions', {
        technique, before: peak - 1, after: technique === 'pressure' ? peak - 3 : peak - 2,
        at: `${day(k)}T18:00:00+00:00`,
      });
    }
    const sessions = await api('GET', '/api/sessions');
    const today = sessions.find((e) => e.note === 'from the browser test').at.slice(0, 10);

    await page.locator('.nav a[data-route="report"]').click();
    const row = page.locator('table.techniques tr[data-technique="pressure"]');
    await row.waitFor();
    const cells = await row.locator('td').allInnerTexts();
    assert(cells[0] === String(seeded.pressure + 1), `pressure sessions: ${cells[0]} (want ${seeded.pressure + 1} with the one from the form)`);
    assert(cells[1] === '−2.0', `pressure median: ${cells[1]}`);
    assert(/instant relief/.test(cells[4]), `pressure verdict: ${cells[4]}`);
    assert(await page.locator('table.techniques tr[data-technique="stretch"]').count() === 1, 'no stretch row');
    // Fifteen days, the first week's doses unknown: no course figure, and the words say what it needs.
    assert(cells[5] === 'no figure', `pressure over weeks: ${cells[5]}`);
    const meaning = await page.locator('.course-meanings li[data-technique="pressure"]').innerText();
    assert(/Needs at least 21 days with pain logged/.test(meaning), `pressure's course in words: ${meaning}`);
    assert(!/_/.test(meaning), `an identifier in the course's words: ${meaning}`);
    // Daily pain: the mean of each pain entry's peak and each session's pain before.
    const dots = page.locator('svg.chart-daily .dot');
    assert(await dots.count() === 15, `daily points: ${await dots.count()} (want 15)`);
    const todayTitle = await page.locator(`svg.chart-daily .dot[data-day="${today}"] title`).textContent();
    assert(/daily pain 6\.5$/.test(todayTitle), `today's point: ${todayTitle} (pain 7 and a session from 6: 6.5)`);
    const firstTitle = await page.locator(`svg.chart-daily .dot[data-day="${day(15)}"] title`).textContent();
    assert(/daily pain 6\.5$/.test(firstTitle), `the first day's point: ${firstTitle} (pain 7 and a session from 6)`);
    assert(await page.locator('svg.chart-daily .session-mark').count() === 15, 'sessions are not all marked on the daily chart');
    assert(await page.locator('svg.chart-median rect[data-technique="pressure"]').count() === 1, 'no median bar for pressure');
    const text = await page.locator('.report').innerText();
    assert(/Trend/.test(text) && /points a week/.test(text) && /Days logged\s+15/.test(text), 'trend figures missing');
    assert(await page.locator('.comparisons li').count() === 1, 'no comparison of pressure and stretch');
    assert(/Unblinded/.test(await page.locator('.comparisons li').innerText()), 'the comparison is not labelled unblinded');
    await shot(page, 'desktop-report.png');
  });

  await check('text contrast meets WCAG AA (4.5:1) on the main kinds of text', async () => {
    await page.locator('.nav a[data-route="map"]').click();
    await page.locator('.candidate').first().waitFor();
    const low = [];
    for (const sel of ['body', '.tagline', '.hint', '.note', '.nav a[aria-current]', '.nav a:not([aria-current])',
      'button:not(.secondary):not(.chip-main):not(.chip-remove):not(.candidate-main)', 'button.secondary', '.why', '.candidate-name',
      '.selected-help', '.caption-note', '.foot p']) {
      if (!(await page.locator(sel).count())) continue;
      const ratio = await contrastOf(page, sel);
      if (ratio < 4.5) low.push(`${sel} ${ratio.toFixed(2)}`);
    }
    assert(low.length === 0, `low contrast: ${low.join(', ')}`);
  });

  // ---------------------------------------------------------------- keyboard
  await check('keyboard: Tab reaches a region, Enter marks it, + and - change it, the focus is visible', async () => {
    const kb = await newPage();
    await kb.goto(`${BASE}/#/`);
    await kb.locator('path.region').first().waitFor();
    await kb.evaluate(() => { localStorage.clear(); });
    await kb.reload();
    await kb.locator('path.region').first().waitFor();
    let region = null;
    for (let i = 0; i < 40 && !region; i++) {
      await kb.keyboard.press('Tab');
      region = await kb.evaluate(() => (document.activeElement && document.activeElement.matches('path.region') ? document.activeElement.dataset.region : null));
    }
    assert(region, 'Tab never reached a region');
    const ring = await kb.evaluate(() => document.querySelector('svg.figure[data-view="front"] .focus-ring').getAttribute('d'));
    assert(ring && ring.length > 5, 'no focus ring drawn on the focused region');
    await kb.keyboard.press('Enter');
    assert(await level(kb, region) === '3', `Enter did not mark ${region}`);
    assert(await kb.locator(`path.region[data-region="${region}"]`).first().getAttribute('aria-pressed') === 'true', 'aria-pressed not set');
    await kb.keyboard.press('+');
    assert(await level(kb, region) === '4', `+ gave ${await level(kb, region)}`);
    await kb.keyboard.press('-');
    await kb.keyboard.press('-');
    assert(await level(kb, region) === '2', `- - gave ${await level(kb, region)}`);
    await kb.keyboard.press('Tab');
    const next = await kb.evaluate(() => document.activeElement.dataset.region);
    await kb.keyboard.press(' ');
    assert(await level(kb, next) === '3', `Space did not mark ${next}`);
    await kb.locator('.candidate').first().waitFor();
    await kb.context().close();
  });

  // ---------------------------------------------------------------- phone
  await check('a 375 px phone: no sideways scrolling, figures and lists stack, tapping works', async () => {
    const phone = await newPage({ viewport: { width: 375, height: 812 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true });
    await phone.goto(`${BASE}/?speed=${SPEED}#/`);
    await phone.locator('path.region').first().waitFor();
    await phone.evaluate(() => { localStorage.clear(); });
    await phone.reload();
    await phone.locator('path.region').first().waitFor();
    for (const r of ['temple.l', 'neck_side.l']) {
      const p = await regionPoint(phone, r);
      await phone.touchscreen.tap(p.x, p.y);
    }
    await waitFor(async () => (await phone.locator('.candidate').first().getAttribute('data-muscle')) === 'trapezius_upper', 'trapezius_upper first on the phone');
    const layout = await phone.evaluate(() => {
      const box = (sel) => document.querySelector(sel).getBoundingClientRect();
      const front = box('svg.figure[data-view="front"]');
      const back = box('svg.figure[data-view="back"]');
      const map = box('.map-panel');
      const results = box('.results-panel');
      const small = [...document.querySelectorAll('.nav a, button.candidate-main, .answer-row button')]
        .filter((el) => el.getBoundingClientRect().height < 40).length;
      return { scroll: document.documentElement.scrollWidth, front, back, map, results, small, frontW: front.width };
    });
    assert(layout.scroll <= 375, `the page is ${layout.scroll} px wide`);
    assert(layout.back.top >= layout.front.bottom - 1, 'the figures do not stack');
    assert(layout.results.top >= layout.map.bottom - 1, 'the results do not come below the map');
    assert(layout.frontW >= 280, `the figure is only ${layout.frontW} px wide`);
    assert(layout.small === 0, `${layout.small} touch targets under 40 px tall`);
    await phone.locator('.candidate').first().locator('.candidate-main').tap();
    await phone.locator('.tp-mark').first().waitFor();
    await phone.evaluate(() => window.scrollTo(0, 0));
    await phone.screenshot({ path: join(shotDir, 'phone-map.png') });
    console.log(`        screenshot: ${join(shotDir, 'phone-map.png')}`);
    await shot(phone, 'phone-map-full.png');
    await phone.locator('.nav a[data-route="plan"]').tap();
    await phone.getByRole('button', { name: 'All as a list' }).tap();
    await phone.locator('#list-age').fill('41');
    await phone.getByRole('button', { name: 'Check my answers' }).tap();
    await phone.locator('.outcome[data-outcome="clear"]').waitFor();
    await phone.locator('.make-plan').tap();
    await phone.locator('.step').first().waitFor();
    assert(await phone.evaluate(() => document.documentElement.scrollWidth) <= 375, 'the plan scrolls sideways');
    await shot(phone, 'phone-plan.png');
    await phone.locator('.nav a[data-route="report"]').tap();
    await phone.locator('svg.chart-daily').waitFor();
    assert(await phone.evaluate(() => document.documentElement.scrollWidth) <= 375, 'the report scrolls sideways');
    await shot(phone, 'phone-report.png');
    await phone.context().close();
  });

  // ---------------------------------------------------------------- another website
  await check('a page on another origin cannot write to the diary, nor read it', async () => {
    const before = (await api('GET', '/api/pain')).length;
    // A hostile page on another port of this machine: a form whose text/plain body looks
    // like JSON, a no-cors fetch, a JSON fetch (preflighted) and a read.
    const hostile = `<!doctype html><html><body>
<form id="f" method="POST" action="${BASE}/api/pain" enctype="text/plain">
<input name='{"regions":["temple.l=9"],"note":"' value='planted"}'></form>
<iframe name="sink"></iframe>
<script>
window.results = {};
fetch('${BASE}/api/pain', { method: 'POST', mode: 'no-cors', headers: { 'Content-Type': 'text/plain' },
  body: JSON.stringify({ regions: ['temple.l=9'], note: 'planted' }), credentials: 'include' })
  .then(() => { window.results.nocors = 'sent'; }, () => { window.results.nocors = 'failed'; });
fetch('${BASE}/api/pain', { method: 'POST', headers: { 'Content-Type': 'application/json' },
  body: JSON.stringify({ regions: ['temple.l=9'], note: 'planted' }), credentials: 'include' })
  .then(() => { window.results.json = 'sent'; }, () => { window.results.json = 'blocked'; });
fetch('${BASE}/api/pain', { credentials: 'include' }).then((r) => r.text())
  .then((t) => { window.results.read = t; }, () => { window.results.read = 'blocked'; });
document.getElementById('f').target = 'sink';
document.getElementById('f').submit();
</script></body></html>`;
    const evil = createServer((req, res) => { res.writeHead(200, { 'Content-Type': 'text/html' }); res.end(hostile); });
    await new Promise((resolve) => evil.listen(0, '127.0.0.1', resolve));
    const evilUrl = `http://127.0.0.1:${evil.address().port}/`;
    const context = await browser.newContext();
    try {
      const victim = await context.newPage();
      // the person has the app open (its cookie is in this browser) ...
      await victim.goto(urlArg);
      await victim.locator('path.region').first().waitFor();
      // ... and visits the other page
      const page2 = await context.newPage();
      await page2.goto(evilUrl);
      await waitFor(() => page2.evaluate(() => window.results.nocors && window.results.json && window.results.read),
        'the hostile page to finish its requests');
      const results = await page2.evaluate(() => window.results);
      await page2.waitForTimeout(500); // the form's POST lands in the frame
      assert(results.json === 'blocked', `the JSON fetch from another origin was not blocked: ${results.json}`);
      assert(results.read === 'blocked', `the other origin could read the diary: ${String(results.read).slice(0, 80)}`);
      const after = await api('GET', '/api/pain');
      assert(after.length === before, `the diary went from ${before} to ${after.length} pain entries`);
      assert(!after.some((e) => e.note === 'planted' || (e.note || '').includes('planted')), 'a planted entry was stored');
    } finally {
      await context.close();
      evil.close();
    }
  });

  await check('no script errors and no request outside the trp server', async () => {
    assert(pageErrors.length === 0, pageErrors.join('\n'));
  });
} finally {
  await browser.close();
}

console.log(`\n${passed} passed, ${failed} failed`);
process.exit(failed === 0 && passed > 0 ? 0 : 1);
