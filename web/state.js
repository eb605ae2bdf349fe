// What the person has told the page: the pain map, the screening answers, and what the
// plan is for. Kept in localStorage so a reload keeps it; listeners hear every change.

const KEY = 'trp.state.v1';
const listeners = new Set();

export const state = {
  map: new Map(),        // "temple.l" -> intensity 0-10 (0: marked as not painful)
  symptoms: new Map(),   // "tinnitus" -> '' (either side), 'l' or 'r'
  answers: null,         // {"CODE": true|false} once screened, else null
  screen: null,          // the last POST /api/screen reply
  planFor: 'map',        // 'map' or 'muscles'
  planMuscles: [],       // ["trapezius_upper.l", ...] when planFor is 'muscles'
  sessionDraft: null,    // fields to prefill the session form with
};

// Reads what an earlier visit saved; ignores anything malformed.
export function load() {
  try {
    const saved = JSON.parse(localStorage.getItem(KEY) || 'null');
    if (!saved) return;
    if (Array.isArray(saved.map)) {
      for (const [region, n] of saved.map)
        if (typeof region === 'string' && Number.isInteger(n) && n >= 0 && n <= 10) state.map.set(region, n);
    }
    if (Array.isArray(saved.symptoms)) {
      for (const [name, side] of saved.symptoms)
        if (typeof name === 'string' && ['', 'l', 'r'].includes(side)) state.symptoms.set(name, side);
    }
    if (saved.answers && typeof saved.answers === 'object') state.answers = saved.answers;
    if (saved.screen && typeof saved.screen === 'object') state.screen = saved.screen;
    if (saved.planFor === 'muscles' || saved.planFor === 'map') state.planFor = saved.planFor;
    if (Array.isArray(saved.planMuscles)) state.planMuscles = saved.planMuscles.filter((m) => typeof m === 'string');
  } catch (e) {
    /* a broken saved state is simply forgotten */
  }
}

function save() {
  try {
    localStorage.setItem(KEY, JSON.stringify({
      map: [...state.map], symptoms: [...state.symptoms], answers: state.answers, screen: state.screen,
      planFor: state.planFor, planMuscles: state.planMuscles,
    }));
  } catch (e) {
    /* private mode or full storage: the page still works for this visit */
  }
}

// Tells every listener what changed ('map', 'answers', 'plan') and saves.
export function changed(what) {
  save();
  for (const fn of listeners) fn(what);
}

export function listen(fn) {
  listeners.add(fn);
  return () => listeners.delete(fn);
}

// The map as the API writes it: ["temple.l=7", ...].
export function mapQuery() {
  return [...state.map].map(([region, n]) => `${region}=${n}`);
}

// True when at least one region is marked painful (intensity above 0).
// The symptoms as the API writes them: ["tinnitus.l", "dizziness", ...].
export function symptomQuery() {
  return [...state.symptoms].map(([name, side]) => (side ? `${name}.${side}` : name));
}

export function mapHasPain() {
  for (const n of state.map.values()) if (n > 0) return true;
  return false;
}
