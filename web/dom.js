// Building DOM and SVG nodes, and the words the page uses for the atlas's codes.

const SVG_NS = 'http://www.w3.org/2000/svg';

// Appends children (nodes, strings, numbers, arrays of them; null and false are skipped).
function append(parent, children) {
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    if (Array.isArray(child)) append(parent, child);
    else if (child instanceof Node) parent.appendChild(child);
    else parent.appendChild(document.createTextNode(String(child)));
  }
  return parent;
}

// Sets attributes; keys starting with "on" add listeners, "class" and "text" are shortcuts.
function setAttrs(node, attrs) {
  for (const [key, value] of Object.entries(attrs || {})) {
    if (value === null || value === undefined || value === false) continue;
    if (key.startsWith('on') && typeof value === 'function') node.addEventListener(key.slice(2), value);
    else if (key === 'text') node.textContent = value;
    else if (key === 'value' && 'value' in node) node.value = value;
    else node.setAttribute(key, value === true ? '' : String(value));
  }
  return node;
}

// An HTML element: h('p', {class: 'note'}, 'text', child...).
export function h(tag, attrs, ...children) {
  return append(setAttrs(document.createElement(tag), attrs), children);
}

// An SVG element, in the SVG namespace.
export function s(tag, attrs, ...children) {
  return append(setAttrs(document.createElementNS(SVG_NS, tag), attrs), children);
}

// Replaces every child of a node.
export function replace(node, ...children) {
  node.replaceChildren();
  return append(node, children);
}

// "neck_side" -> "Neck side".
export function words(code) {
  const text = String(code).replace(/_/g, ' ');
  return text.charAt(0).toUpperCase() + text.slice(1);
}

export const SIDE_WORD = { l: 'left', r: 'right' };

// "temple.l" -> "Temple, left"; "temple" -> "Temple".
export function regionName(key) {
  const [name, side] = String(key).split('.');
  return side ? `${words(name)}, ${SIDE_WORD[side] || side}` : words(name);
}

// The self-care techniques of a plan and of the atlas.
export const TECHNIQUE = {
  pressure: 'finger pressure',
  ball_wall: 'a ball against a wall',
  ball_floor: 'a ball on the floor',
  foam_roller: 'a foam roller',
  stretch: 'stretch',
  heat: 'moist heat',
};

// The techniques a diary session may record (docs/diary.md), with their labels.
export const SESSION_TECHNIQUES = [
  ['pressure', 'Pressure'], ['ball', 'Ball'], ['roller', 'Roller'], ['stretch', 'Stretch'],
  ['heat', 'Heat'], ['massage', 'Massage'], ['dry_needling', 'Dry needling'],
  ['medication', 'Medication'], ['exercise', 'Exercise'], ['other', 'Other'],
];

// A plan technique -> the diary technique that records it.
export const PLAN_TO_DIARY = {
  pressure: 'pressure', ball_wall: 'ball', ball_floor: 'ball', foam_roller: 'roller',
  stretch: 'stretch', heat: 'heat',
};

export function techniqueName(code) {
  return TECHNIQUE[code] || words(code);
}

// Seconds -> "1:05".
export function clock(seconds) {
  const whole = Math.max(0, Math.ceil(seconds));
  const m = Math.floor(whole / 60);
  const sec = whole % 60;
  return `${m}:${String(sec).padStart(2, '0')}`;
}

// A number with a sign, one decimal: -3 -> "−3.0", 0.5 -> "+0.5".
export function signed(x) {
  if (x === null || x === undefined) return '–';
  const text = Math.abs(x).toFixed(1);
  return x > 0 ? `+${text}` : x < 0 ? `−${text}` : text;
}

// A figure or a dash when it could not be computed.
export function fixed(x, digits = 1) {
  return x === null || x === undefined ? '–' : Number(x).toFixed(digits);
}
