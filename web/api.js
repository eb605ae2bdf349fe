// Talking to trp serve's JSON API (docs/api.md), and turning its errors into plain words.

// An error the server answered with {"error": {"code", "message"}}, or a failed connection.
export class ApiError extends Error {
  constructor(status, code, message) {
    super(message);
    this.status = status;
    this.code = code;
  }
}

// What the page says for each error code, before the server's own message.
const PLAIN = {
  bad_json: 'The page sent something the server could not read.',
  bad_request: 'The request was not accepted.',
  bad_region: 'A body region was not recognised.',
  bad_symptom: 'A symptom was not recognised.',
  unknown_symptom: 'A symptom was not recognised.',
  unknown_region: 'A body region was not recognised.',
  unknown_muscle: 'That muscle is not in the atlas.',
  bad_entry: 'The diary entry was not saved.',
  bad_answers: 'The screening answers were not accepted.',
  bad_plan: 'No plan could be made.',
  bad_time: 'The date or time was not understood.',
  nothing_found: 'Nothing matched.',
  not_found: 'Not found.',
  method_not_allowed: 'The server does not allow that here.',
  too_slow: 'The request took too long to arrive.',
  too_large: 'That is too much to send at once.',
  diary: 'The diary could not be read or written.',
  network: 'Could not reach trp.',
};

// One request; resolves to the parsed reply, rejects with an ApiError.
export async function api(method, path, body) {
  const init = { method, headers: {} };
  if (body !== undefined) {
    init.headers['Content-Type'] = 'application/json';
    init.body = JSON.stringify(body);
  }
  let reply;
  try {
    reply = await fetch(path, init);
  } catch (e) {
    throw new ApiError(0, 'network', 'Is trp serve still running? Start it again and reload this page.');
  }
  let data = null;
  const text = await reply.text();
  try {
    data = text ? JSON.parse(text) : null;
  } catch (e) {
    data = null;
  }
  if (!reply.ok) {
    const err = data && data.error ? data.error : {};
    throw new ApiError(reply.status, err.code || 'http_' + reply.status,
      err.message || `The server answered ${reply.status} ${reply.statusText}.`);
  }
  return data;
}

export const get = (path) => api('GET', path);
export const post = (path, body) => api('POST', path, body);

// The error as a sentence or two a person can act on.
export function plainError(err) {
  if (err instanceof ApiError) {
    const lead = PLAIN[err.code] || 'Something went wrong.';
    const detail = err.message ? err.message.charAt(0).toUpperCase() + err.message.slice(1) : '';
    return detail ? `${lead} ${detail.replace(/([^.!?)])$/, '$1.')}` : lead;
  }
  return `Something went wrong in the page: ${err && err.message ? err.message : err}`;
}

// The atlas, fetched once per muscle and once for the whole list.
const muscleCache = new Map();
let allMuscles = null;

// One muscle object (GET /api/muscles/{id}); the promise is shared by every caller.
export function muscle(id) {
  if (!muscleCache.has(id)) {
    const p = get(`/api/muscles/${encodeURIComponent(id)}`);
    p.catch(() => muscleCache.delete(id));
    muscleCache.set(id, p);
  }
  return muscleCache.get(id);
}

// The whole-body perpetuating factors (GET /api/perpetuating-factors), fetched once.
let allFactors = null;
export function perpetuatingFactors() {
  if (!allFactors) {
    allFactors = get('/api/perpetuating-factors');
    allFactors.catch(() => { allFactors = null; });
  }
  return allFactors;
}

// Every muscle of the atlas (GET /api/muscles), for pickers.
export function muscles() {
  if (!allMuscles) {
    allMuscles = get('/api/muscles');
    allMuscles.catch(() => { allMuscles = null; });
  }
  return allMuscles;
}
