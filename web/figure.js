// The front and back figures, drawn as SVG from GET /api/bodymap: the outline, one path per
// located region, the person's Left and Right, and on top the referral zones and trigger
// points (X) of a chosen muscle. The geometry comes only from the body map.

import { s, h, regionName, SIDE_WORD } from './dom.js';

let figureCount = 0;

// "M x y L ... Z" for a list of polygons.
function pathData(polygons) {
  return polygons.map((ring) => 'M' + ring.map(([x, y]) => `${x} ${y}`).join('L') + 'Z').join('');
}

function ringArea(ring) {
  let a = 0;
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++)
    a += ring[j][0] * ring[i][1] - ring[i][0] * ring[j][1];
  return a / 2;
}

function inside(ring, x, y) {
  let hit = false;
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
    const [xi, yi] = ring[i];
    const [xj, yj] = ring[j];
    if ((yi > y) !== (yj > y) && x < ((xj - xi) * (y - yi)) / (yj - yi) + xi) hit = !hit;
  }
  return hit;
}

// Where to put a region's X: the centroid of its largest polygon, or, when that falls
// outside a concave ring, the middle of the widest run across the ring at that height.
export function centroid(polygons) {
  let ring = polygons[0];
  for (const p of polygons) if (Math.abs(ringArea(p)) > Math.abs(ringArea(ring))) ring = p;
  const area = ringArea(ring);
  let cx = 0;
  let cy = 0;
  if (Math.abs(area) < 1e-9) {
    for (const [x, y] of ring) { cx += x / ring.length; cy += y / ring.length; }
    return [cx, cy];
  }
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
    const f = ring[j][0] * ring[i][1] - ring[i][0] * ring[j][1];
    cx += (ring[j][0] + ring[i][0]) * f;
    cy += (ring[j][1] + ring[i][1]) * f;
  }
  cx /= 6 * area;
  cy /= 6 * area;
  if (inside(ring, cx, cy)) return [cx, cy];
  const xs = [];
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
    const [xi, yi] = ring[i];
    const [xj, yj] = ring[j];
    if ((yi > cy) !== (yj > cy)) xs.push(((xj - xi) * (cy - yi)) / (yj - yi) + xi);
  }
  xs.sort((a, b) => a - b);
  let best = null;
  for (let k = 0; k + 1 < xs.length; k += 2)
    if (!best || xs[k + 1] - xs[k] > best[1] - best[0]) best = [xs[k], xs[k + 1]];
  return best ? [(best[0] + best[1]) / 2, cy] : [cx, cy];
}

const VIEW_TITLE = {
  front: 'Front: the person faces you',
  back: 'Back: seen from behind',
};

// The figures. options: {interactive, describe(region) -> text, onTap(region),
// onPaint(region), onAdjust(region, delta), onClear(region)}. Returns an object whose
// methods redraw the marks.
export function createFigures(bodymap, options = {}) {
  const id = `fig${++figureCount}`;
  const interactive = !!options.interactive;
  const views = {};
  const paths = new Map(); // region -> [path, ...] (a region drawn on both views has two)
  let map = new Map();
  let selected = null;

  // Drag state: regions painted by one mouse or pen stroke.
  let stroke = null;
  let swallowClick = false;

  const root = h('div', { class: 'figures' + (interactive ? ' interactive' : '') });

  for (const viewName of ['front', 'back']) {
    const view = bodymap.views[viewName];
    const svg = s('svg', {
      viewBox: `0 0 ${bodymap.width} ${bodymap.height}`,
      class: 'figure',
      role: 'group',
      'aria-label': VIEW_TITLE[viewName],
      'data-view': viewName,
    });
    const defs = s('defs', null,
      s('pattern', { id: `${id}-hatch`, width: 7, height: 7, patternUnits: 'userSpaceOnUse', patternTransform: 'rotate(45)' },
        s('rect', { width: 7, height: 7, class: 'hatch-bg' }),
        s('line', { x1: 0, y1: 0, x2: 0, y2: 7, class: 'hatch-line' })));
    const outline = s('g', { class: 'outline', 'aria-hidden': 'true' },
      s('path', { d: pathData(view.outline) }));
    const regionLayer = s('g', { class: 'regions' });
    for (const [region, polygons] of Object.entries(view.regions)) {
      const attrs = {
        d: pathData(polygons),
        class: 'region',
        'data-region': region,
        'data-view': viewName,
      };
      if (interactive) {
        Object.assign(attrs, { tabindex: 0, role: 'button', 'aria-pressed': 'false' });
      }
      const path = s('path', attrs, s('title', null, regionName(region)));
      path.__centroid = centroid(polygons);
      regionLayer.appendChild(path);
      if (!paths.has(region)) paths.set(region, []);
      paths.get(region).push(path);
    }
    const zoneLayer = s('g', { class: 'zones', 'aria-hidden': 'true' });
    const selectLayer = s('path', { class: 'selected-ring', d: '', 'aria-hidden': 'true' });
    const focusLayer = s('path', { class: 'focus-ring', d: '', 'aria-hidden': 'true' });
    const markLayer = s('g', { class: 'marks', 'aria-hidden': 'true' });
    const labels = bodymap.labels[viewName];
    const labelLayer = s('g', { class: 'side-labels', 'aria-hidden': 'true' },
      ['l', 'r'].map((side) => s('text', {
        x: labels[side][0], y: labels[side][1], 'text-anchor': 'middle', 'dominant-baseline': 'central',
      }, SIDE_WORD[side] === 'left' ? 'Left' : 'Right')));
    svg.append(defs, outline, regionLayer, zoneLayer, selectLayer, markLayer, focusLayer, labelLayer);
    const caption = h('figcaption', null, viewName === 'front' ? 'Front' : 'Back',
      h('span', { class: 'caption-note' }, viewName === 'front' ? ' (facing you)' : ' (from behind)'));
    const fig = h('figure', { class: `view view-${viewName}` }, svg, caption);
    root.appendChild(fig);
    views[viewName] = { svg, zoneLayer, markLayer, selectLayer, focusLayer, regionLayer };
  }

  function describe(region) {
    const n = map.get(region);
    const name = regionName(region);
    if (n === undefined) return `${name}: not marked`;
    if (n === 0) return `${name}: marked as not painful`;
    return `${name}: pain ${n} of 10`;
  }

  // Redraws shading and labels from a map of region -> intensity.
  function setMap(next) {
    map = new Map(next);
    for (const [region, list] of paths) {
      const n = map.get(region);
      for (const path of list) {
        if (n === undefined) path.removeAttribute('data-level');
        else path.setAttribute('data-level', String(n));
        if (interactive) {
          path.setAttribute('aria-pressed', n !== undefined && n > 0 ? 'true' : 'false');
          path.setAttribute('aria-label', describe(region));
        }
      }
    }
  }

  // Outlines the region the intensity control works on.
  function setSelected(region) {
    selected = region;
    for (const [name, view] of Object.entries(views)) {
      const path = (paths.get(region) || []).find((p) => p.dataset.view === name);
      view.selectLayer.setAttribute('d', path ? path.getAttribute('d') : '');
    }
  }

  // Draws a muscle's zones [{region, kind}] and trigger points [{region, name}].
  function setOverlay(zones, points) {
    for (const [name, view] of Object.entries(views)) {
      view.zoneLayer.replaceChildren();
      view.markLayer.replaceChildren();
      for (const zone of zones || []) {
        const path = (paths.get(zone.region) || []).find((p) => p.dataset.view === name);
        if (!path) continue;
        view.zoneLayer.appendChild(s('path', {
          d: path.getAttribute('d'),
          class: `zone zone-${zone.kind}`,
          fill: zone.kind === 'spillover' ? `url(#${id}-hatch)` : null,
          'data-zone': zone.kind,
          'data-region': zone.region,
        }));
      }
      const byRegion = new Map();
      for (const point of points || []) {
        if (!byRegion.has(point.region)) byRegion.set(point.region, []);
        byRegion.get(point.region).push(point);
      }
      for (const [region, list] of byRegion) {
        const path = (paths.get(region) || []).find((p) => p.dataset.view === name);
        if (!path) continue;
        const [cx, cy] = path.__centroid;
        list.forEach((point, i) => {
          const x = cx + (i - (list.length - 1) / 2) * 17;
          const r = 7;
          const cross = `M${x - r} ${cy - r}L${x + r} ${cy + r}M${x + r} ${cy - r}L${x - r} ${cy + r}`;
          view.markLayer.appendChild(s('g', { class: 'tp-mark', 'data-region': region, 'data-point': point.name },
            s('title', null, `${point.name}: ${regionName(region)}`),
            s('path', { class: 'tp-halo', d: cross }),
            s('path', { class: 'tp-cross', d: cross })));
        });
      }
    }
  }

  function regionOf(target) {
    const path = target && target.closest ? target.closest('path.region') : null;
    return path ? path.dataset.region : null;
  }

  if (interactive) {
    root.addEventListener('click', (e) => {
      const region = regionOf(e.target);
      if (!region) return;
      if (swallowClick) { swallowClick = false; return; }
      options.onTap && options.onTap(region);
    });
    root.addEventListener('pointerdown', (e) => {
      swallowClick = false;
      const region = regionOf(e.target);
      if (!region || e.button !== 0 || e.pointerType === 'touch') return;
      stroke = { start: region, seen: new Set([region]) };
    });
    root.addEventListener('pointerover', (e) => {
      if (!stroke || !(e.buttons & 1)) return;
      const region = regionOf(e.target);
      if (!region || stroke.seen.has(region)) return;
      if (stroke.seen.size === 1 && options.onPaint) options.onPaint(stroke.start);
      stroke.seen.add(region);
      options.onPaint && options.onPaint(region);
      swallowClick = true;
    });
    window.addEventListener('pointerup', () => { stroke = null; });
    root.addEventListener('keydown', (e) => {
      const region = regionOf(e.target);
      if (!region) return;
      if (e.key === 'Enter' || e.key === ' ') options.onTap && options.onTap(region);
      else if (e.key === '+' || e.key === '=' || e.key === 'ArrowUp') options.onAdjust && options.onAdjust(region, 1);
      else if (e.key === '-' || e.key === '_' || e.key === 'ArrowDown') options.onAdjust && options.onAdjust(region, -1);
      else if (e.key === 'Delete' || e.key === 'Backspace') options.onClear && options.onClear(region);
      else return;
      e.preventDefault();
    });
    root.addEventListener('focusin', (e) => {
      const path = e.target.closest && e.target.closest('path.region');
      if (!path) return;
      const view = views[path.dataset.view];
      view.focusLayer.setAttribute('d', path.getAttribute('d'));
    });
    root.addEventListener('focusout', () => {
      for (const view of Object.values(views)) view.focusLayer.setAttribute('d', '');
    });
  }

  return {
    el: root,
    setMap,
    setSelected,
    setOverlay,
    get selected() { return selected; },
    regions: () => [...paths.keys()],
  };
}

// The zones and trigger points of a muscle on one side, as region keys. A referral's side
// rule is relative to the muscle's side: same, opposite or both.
export function muscleMarks(muscle, side) {
  const other = side === 'l' ? 'r' : 'l';
  const zones = [];
  for (const ref of muscle.referral || []) {
    const sides = ref.side === 'opposite' ? [other] : ref.side === 'both' ? [side, other] : [side];
    for (const sd of sides) zones.push({ region: `${ref.region}.${sd}`, kind: ref.kind });
  }
  const points = (muscle.trigger_points || []).map((tp) => ({ region: `${tp.region}.${side}`, name: tp.name }));
  return { zones, points };
}
