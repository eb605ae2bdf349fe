/*
 * api.c: the routes of `trp serve` (docs/api.md). Each turns a request into library
 * calls and answers with the same JSON object the CLI's --json prints. One table holds
 * every route; a path it knows with the wrong method is a 405, a path it does not know
 * a 404, and anything else is looked up among the embedded files of web/.
 */
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <jansson.h>

#include "assets.h"
#include "clinic_api.h"
#include "experiences.h"
#include "request.h"
#include "server.h"
#include "trp/release.h"
#include "trp/render.h"

#define MUSCLES_MAX 512

static void json_reply(struct reply *r, int status, char *body)
{
	r->status = body ? status : 500;
	r->body = body ? body : strdup("{\"error\":{\"code\":\"out_of_memory\",\"message\":\"out of memory\"}}");
	r->len = r->body ? strlen(r->body) : 0;
	r->type = NULL;
}

/* {"error": {"code", "message"}}. */
static void fail(struct reply *r, int status, const char *code, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

static void fail(struct reply *r, int status, const char *code, const char *fmt, ...)
{
	char message[1024];
	va_list ap;
	json_t *o;
	char text[sizeof message * 3];

	va_start(ap, fmt);
	vsnprintf(message, sizeof message, fmt, ap);
	va_end(ap);
	/* a message may quote what the request gave, whatever its bytes: JSON takes text */
	trp_text_repair(message, strlen(message), 0, text, sizeof text, NULL);
	o = json_pack("{s:{s:s, s:s}}", "error", "code", code, "message", text);
	json_reply(r, status, o ? json_dumps(o, JSON_COMPACT) : NULL);
	json_decref(o);
}

/* Parses the body as a JSON object; NULL after a 400 reply. */
static json_t *body_object(const struct request *rq, struct reply *r)
{
	json_error_t err;
	json_t *o = json_loadb(rq->body, rq->len, JSON_REJECT_DUPLICATES, &err);

	if (!o) {
		fail(r, 400, "bad_json", "the body is not JSON: line %d, column %d: %s", err.line,
		     err.column, err.text);
		return NULL;
	}
	if (!json_is_object(o)) {
		json_decref(o);
		fail(r, 400, "bad_request", "the body must be a JSON object");
		return NULL;
	}
	return o;
}

/* Now, and the server's local offset, for entries that do not say when. */
static void now(int64_t *at, int *tz)
{
	time_t t = time(NULL);
	struct tm tm;

	localtime_r(&t, &tm);
	*at = (int64_t)t;
	*tz = (int)(tm.tm_gmtoff / 60);
}

/* ---------------------------------------------------------------- the atlas */

static void api_regions(const struct request *rq, struct reply *r)
{
	(void)rq;
	json_reply(r, 200, trp_regions_json(0));
}

static void api_symptoms(const struct request *rq, struct reply *r)
{
	(void)rq;
	json_reply(r, 200, trp_symptoms_json(0));
}

static void api_muscles(const struct request *rq, struct reply *r)
{
	const trp_atlas *atlas = server_atlas(rq->server);
	const char *name = api_query(rq, "region"), *symptom = api_query(rq, "symptom");
	const trp_muscle *list[MUSCLES_MAX];
	size_t n, i, used = 1, cap = 4096;
	char *out = malloc(cap);
	int region = -1;
	trp_located_symptom sym = { -1, TRP_NO_SIDE };

	if (!out) {
		json_reply(r, 500, NULL);
		return;
	}
	if (symptom) {
		char msg[256];

		if (name || trp_symptom_parse(symptom, &sym, msg, sizeof msg)) {
			free(out);
			fail(r, 400, name ? "bad_request" : "unknown_symptom", "%s",
			     name ? "region or symptom, not both" : msg);
			return;
		}
	}
	if (name) {
		trp_located loc;
		char msg[256];

		region = trp_region_find(name);
		if (region < 0 && trp_located_parse(name, &loc, msg, sizeof msg) == TRP_OK)
			region = loc.region;
		if (region < 0) {
			int near[1];

			free(out);
			if (trp_region_suggest(name, near, 1))
				fail(r, 400, "unknown_region", "unknown region '%.64s' (did you mean '%s'?)", name,
				     trp_region_name(near[0]));
			else
				fail(r, 400, "unknown_region", "unknown region '%.64s'", name);
			return;
		}
	}
	n = sym.symptom >= 0 ? trp_atlas_symptom_muscles(atlas, sym.symptom, list, MUSCLES_MAX)
	    : trp_atlas_region_muscles(atlas, region, list, MUSCLES_MAX);
	out[0] = '[';
	for (i = 0; i < n && i < MUSCLES_MAX; i++) {
		char *m = trp_muscle_json(list[i], 0);
		size_t len = m ? strlen(m) : 0;

		if (!m || used + len + 3 > cap) {
			char *grown = m ? realloc(out, (cap = (used + len + 3) * 2)) : NULL;

			if (!grown) {
				free(m);
				free(out);
				json_reply(r, 500, NULL);
				return;
			}
			out = grown;
		}
		if (i)
			out[used++] = ',';
		memcpy(out + used, m, len);
		used += len;
		free(m);
	}
	out[used++] = ']';
	out[used] = '\0';
	json_reply(r, 200, out);
}

static void api_muscle(const struct request *rq, struct reply *r)
{
	const trp_atlas *atlas = server_atlas(rq->server);
	const char *id = rq->path + strlen("/api/muscles/");
	const trp_muscle *m, *parts[16];
	size_t n, i;

	m = trp_atlas_find(atlas, id);
	if (m) {
		json_reply(r, 200, trp_muscle_json(m, 0));
		return;
	}
	n = trp_atlas_family(atlas, id, parts, 16);
	if (n) {
		json_t *o = json_pack("{s:s, s:[]}", "family", trp_muscle_family(parts[0]), "parts");

		for (i = 0; o && i < n && i < 16; i++)
			json_array_append_new(json_object_get(o, "parts"), json_pack("{s:s, s:s}",
				"id", trp_muscle_id(parts[i]), "name", trp_muscle_name(parts[i])));
		json_reply(r, 200, o ? json_dumps(o, JSON_COMPACT) : NULL);
		json_decref(o);
		return;
	}
	{
		const char *near[1];

		if (trp_atlas_suggest(atlas, id, near, 1))
			fail(r, 404, "unknown_muscle", "unknown muscle '%.64s' (did you mean '%s'?)", id, near[0]);
		else
			fail(r, 404, "unknown_muscle", "unknown muscle '%.64s'", id);
	}
}

/* ---------------------------------------------------------------- find */

/* Runs the find and replies; the tokens are the map's regions and symptoms. */
static void find_reply(const struct request *rq, struct reply *r, const char *const *tokens,
		       size_t ntokens, const char *const *symptoms, size_t nsymptoms, size_t ntop)
{
	trp_located map[TRP_MAP_MAX];
	trp_located_symptom syms[TRP_SYMPTOMS_MAX];
	trp_find_result *result;
	char msg[512], *buf;
	size_t n = 0, ns = 0, cap, given, len;

	if (ntokens && trp_map_parse(tokens, ntokens, map, &n, msg, sizeof msg)) {
		fail(r, 400, "bad_region", "%s", msg);
		return;
	}
	if (trp_symptoms_parse(symptoms, nsymptoms, syms, &ns, msg, sizeof msg)) {
		fail(r, 400, "bad_symptom", "%s", msg);
		return;
	}
	result = server_find_result(rq->server);
	if (!result || trp_find_symptoms(server_finder(rq->server), map, n, syms, ns, ntop, result)) {
		json_reply(r, 500, NULL);
		return;
	}
	/* written into one of this thread's spare buffers, which it gets back once sent */
	buf = server_reply_buffer(rq->server, &given);
	cap = given;
	len = trp_find_json_into(result, 0, &buf, &cap);
	if (!len) {
		free(buf);
		json_reply(r, 500, NULL);
		return;
	}
	r->status = 200;
	r->body = buf;
	r->len = len;
	r->type = NULL;
	r->recycle = cap == given;
}

/* The strings of the list `key` of o (absent: none) into tokens; -1 after a 400 reply. */
static int token_list(json_t *o, const char *key, const char *example, const char **tokens,
		      size_t *n, struct reply *r)
{
	json_t *list = json_object_get(o, key), *v;
	size_t i;

	*n = 0;
	if (!list)
		return 0;
	if (!json_is_array(list) || json_array_size(list) > TRP_MAP_MAX) {
		fail(r, 400, "bad_request", "%s: expected a list of up to %d strings such as \"%s\"", key,
		     TRP_MAP_MAX, example);
		return -1;
	}
	json_array_foreach(list, i, v) {
		if (!json_is_string(v)) {
			fail(r, 400, "bad_request", "%s[%zu]: expected a string such as \"%s\"", key, i, example);
			return -1;
		}
		tokens[i] = json_string_value(v);
	}
	*n = json_array_size(list);
	return 0;
}

static void api_find(const struct request *rq, struct reply *r)
{
	static _Thread_local struct find_request fast;
	const char *tokens[TRP_MAP_MAX], *symptoms[TRP_MAP_MAX];
	json_t *o, *top, *v;
	const char *key;
	size_t ntokens, nsymptoms, ntop = 10;

	/* the common shape needs no JSON tree; anything else, errors included, does */
	if (find_request_fast(rq->body, rq->len, &fast) && fast.ntokens + fast.nsymptoms >= 1 &&
	    fast.ntokens <= TRP_MAP_MAX && fast.nsymptoms <= TRP_MAP_MAX &&
	    (!fast.has_top || (fast.top >= 1 && fast.top <= 1000))) {
		find_reply(rq, r, fast.tokens, fast.ntokens, fast.symptoms, fast.nsymptoms,
			   fast.has_top ? (size_t)fast.top : 10);
		return;
	}
	o = body_object(rq, r);
	if (!o)
		return;
	json_object_foreach(o, key, v)
		if (strcmp(key, "regions") != 0 && strcmp(key, "symptoms") != 0 && strcmp(key, "top") != 0) {
			fail(r, 400, "bad_request", "%.32s: unknown field (expected regions, symptoms, top)", key);
			goto done;
		}
	if (token_list(o, "regions", "temple.l=7", tokens, &ntokens, r) ||
	    token_list(o, "symptoms", "tinnitus.l", symptoms, &nsymptoms, r))
		goto done;
	if (ntokens + nsymptoms == 0) {
		fail(r, 400, "bad_request", "regions: expected a list of 1 to %d located regions such as "
		     "\"temple.l=7\", or symptoms such as \"tinnitus.l\"", TRP_MAP_MAX);
		goto done;
	}
	top = json_object_get(o, "top");
	if (top && !json_is_null(top)) {
		if (!json_is_integer(top) || json_integer_value(top) < 1 || json_integer_value(top) > 1000) {
			fail(r, 400, "bad_request", "top: expected a whole number from 1 to 1000");
			goto done;
		}
		ntop = (size_t)json_integer_value(top);
	}
	find_reply(rq, r, tokens, ntokens, symptoms, nsymptoms, ntop);
done:
	json_decref(o);
}

/* ---------------------------------------------------------------- pictures */

/* Replies with a PNG that the renderer drew (or a 500 saying why it could not). */
static void png_reply(struct reply *r, trp_err err, unsigned char *data, size_t size,
		      const char *msg)
{
	if (err) {
		fail(r, 500, "picture", "cannot draw the picture: %s", msg);
		return;
	}
	r->status = 200;
	r->body = (char *)data;
	r->len = size;
	r->type = trp_image_format_type(TRP_IMAGE_PNG);
}

/* GET /api/muscles/{id}/image.png[?side=l|r]: the muscle's referral pattern and trigger
 * points, as `trp muscle ID --png` draws them. */
static void api_muscle_image(const struct request *rq, struct reply *r)
{
	const trp_atlas *atlas = server_atlas(rq->server);
	const char *start = rq->path + strlen("/api/muscles/"), *side = api_query(rq, "side");
	const trp_muscle *m;
	unsigned char *data;
	size_t size, len = strcspn(start, "/");
	char id[128], msg[512];
	trp_side s = TRP_LEFT;
	trp_err err;

	if (len >= sizeof id) {
		fail(r, 404, "unknown_muscle", "unknown muscle '%.64s'", start);
		return;
	}
	memcpy(id, start, len);
	id[len] = '\0';
	if (side && (strcmp(side, "r") == 0 || strcmp(side, "right") == 0)) {
		s = TRP_RIGHT;
	} else if (side && strcmp(side, "l") != 0 && strcmp(side, "left") != 0) {
		fail(r, 400, "bad_request", "side: expected l or r, not '%.32s'", side);
		return;
	}
	m = trp_atlas_find(atlas, id);
	if (!m) {
		const char *near[1];

		if (trp_atlas_family(atlas, id, NULL, 0))
			fail(r, 404, "unknown_muscle", "'%.64s' is a family: draw one of its parts "
			     "(GET /api/muscles/%.64s lists them)", id, id);
		else if (trp_atlas_suggest(atlas, id, near, 1))
			fail(r, 404, "unknown_muscle", "unknown muscle '%.64s' (did you mean '%s'?)", id, near[0]);
		else
			fail(r, 404, "unknown_muscle", "unknown muscle '%.64s'", id);
		return;
	}
	err = trp_render_muscle(m, s, TRP_IMAGE_PNG, &data, &size, msg, sizeof msg);
	png_reply(r, err, data, size, msg);
}

/* POST /api/find/image.png, with the body of POST /api/find: the map painted, with the
 * patterns of the muscles that explain it, as `trp find --png` draws it. The find runs
 * exactly as POST /api/find (the same parsing and errors); its result stays in this
 * thread's result storage, which is then drawn in place of the JSON. */
static void api_find_image(const struct request *rq, struct reply *r)
{
	trp_find_result *result;
	unsigned char *data;
	size_t size;
	char msg[512];
	trp_err err;

	api_find(rq, r);
	if (r->status != 200)
		return;
	free(r->body);
	r->body = NULL;
	r->len = 0;
	result = server_find_result(rq->server);
	if (!result) {
		json_reply(r, 500, NULL);
		return;
	}
	err = trp_render_find(result, TRP_IMAGE_PNG, &data, &size, msg, sizeof msg);
	png_reply(r, err, data, size, msg);
}

/* ---------------------------------------------------------------- release */

static void api_questions(const struct request *rq, struct reply *r)
{
	(void)rq;
	json_reply(r, 200, trp_screen_list_json(0));
}

static void api_factors(const struct request *rq, struct reply *r)
{
	(void)rq;
	json_reply(r, 200, trp_body_factors_json(0));
}

static void api_screen(const struct request *rq, struct reply *r)
{
	trp_answers answers;
	char msg[512];

	if (trp_answers_parse(rq->body, rq->len, &answers, msg, sizeof msg)) {
		fail(r, 400, "bad_answers", "%s", msg);
		return;
	}
	json_reply(r, 200, trp_screen_json(&answers, 0));
}

/* "trapezius_upper.l" (or without a side) as a plan target; -1 after a 400 reply. */
static int target_of(const struct request *rq, struct reply *r, const char *text, size_t i,
		     trp_target *t)
{
	const trp_atlas *atlas = server_atlas(rq->server);
	const char *dot = strrchr(text, '.');
	char name[128];
	size_t len = strlen(text);

	t->side = TRP_SIDE_ANY;
	if (dot && (strcmp(dot, ".l") == 0 || strcmp(dot, ".left") == 0 || strcmp(dot, ".r") == 0 ||
		    strcmp(dot, ".right") == 0)) {
		t->side = dot[1] == 'l' ? TRP_LEFT : TRP_RIGHT;
		len = (size_t)(dot - text);
	}
	if (len >= sizeof name) {
		fail(r, 400, "unknown_muscle", "muscles[%zu]: too long", i);
		return -1;
	}
	memcpy(name, text, len);
	name[len] = '\0';
	t->muscle = trp_atlas_find(atlas, name);
	if (!t->muscle) {
		const char *near[1];

		if (trp_atlas_suggest(atlas, name, near, 1))
			fail(r, 400, "unknown_muscle", "muscles[%zu]: unknown muscle '%.64s' (did you mean '%s'?)",
			     i, name, near[0]);
		else
			fail(r, 400, "unknown_muscle", "muscles[%zu]: unknown muscle '%.64s'", i, name);
		return -1;
	}
	return 0;
}

static void api_plan(const struct request *rq, struct reply *r)
{
	trp_target targets[TRP_PLAN_TARGETS_MAX];
	trp_plan_options opts;
	trp_answers answers;
	trp_plan *plan = NULL;
	json_t *o = body_object(rq, r), *muscles, *find, *v;
	const char *key;
	char msg[512];
	size_t n = 0, i;

	if (!o)
		return;
	memset(&opts, 0, sizeof opts);
	json_object_foreach(o, key, v)
		if (strcmp(key, "muscles") && strcmp(key, "find") && strcmp(key, "answers") && strcmp(key, "points")) {
			fail(r, 400, "bad_request", "%.32s: unknown field (expected muscles or find, answers, points)", key);
			goto done;
		}
	muscles = json_object_get(o, "muscles");
	find = json_object_get(o, "find");
	if (!muscles == !find) {
		fail(r, 400, "bad_request", "give either \"muscles\": [\"trapezius_upper.l\", ...] or \"find\": [\"temple.l=7\", ...]");
		goto done;
	}
	if ((v = json_object_get(o, "points"))) {
		if (!json_is_integer(v) || json_integer_value(v) < 1 || json_integer_value(v) > TRP_PLAN_POINTS_MAX) {
			fail(r, 400, "bad_request", "points: expected a whole number from 1 to %d", TRP_PLAN_POINTS_MAX);
			goto done;
		}
		opts.points_per_session = (size_t)json_integer_value(v);
	}
	if ((v = json_object_get(o, "answers"))) {
		char *text = json_dumps(v, JSON_COMPACT | JSON_ENCODE_ANY);

		if (!text || trp_answers_parse(text, strlen(text), &answers, msg, sizeof msg)) {
			free(text);
			fail(r, 400, "bad_answers", "answers: %s", text ? msg : "out of memory");
			goto done;
		}
		free(text);
		opts.answers = &answers;
	}
	if (muscles) {
		if (!json_is_array(muscles) || json_array_size(muscles) == 0 ||
		    json_array_size(muscles) > TRP_PLAN_TARGETS_MAX) {
			fail(r, 400, "bad_request", "muscles: expected a list of 1 to %d muscles", TRP_PLAN_TARGETS_MAX);
			goto done;
		}
		json_array_foreach(muscles, i, v) {
			if (!json_is_string(v)) {
				fail(r, 400, "bad_request", "muscles[%zu]: expected a string", i);
				goto done;
			}
			if (target_of(rq, r, json_string_value(v), i, &targets[n]))
				goto done;
			n++;
		}
	} else {
		const char *tokens[TRP_MAP_MAX];
		trp_located map[TRP_MAP_MAX];
		const trp_candidate *members;
		trp_find_result *res = server_find_result(rq->server);
		size_t nmap;

		if (!json_is_array(find) || json_array_size(find) == 0 || json_array_size(find) > TRP_MAP_MAX) {
			fail(r, 400, "bad_request", "find: expected a list of located regions such as \"temple.l=7\"");
			goto done;
		}
		json_array_foreach(find, i, v) {
			if (!json_is_string(v)) {
				fail(r, 400, "bad_request", "find[%zu]: expected a string", i);
				goto done;
			}
			tokens[i] = json_string_value(v);
		}
		if (trp_map_parse(tokens, json_array_size(find), map, &nmap, msg, sizeof msg)) {
			fail(r, 400, "bad_region", "%s", msg);
			goto done;
		}
		if (!res || trp_find(server_finder(rq->server), map, nmap, 10, res)) {
			json_reply(r, 500, NULL);
			goto done;
		}
		n = trp_find_explanation(res, &members);
		if (n == 0) {
			fail(r, 400, "nothing_found", "no muscle of the atlas refers pain to this map");
			goto done;
		}
		for (i = 0; i < n && i < TRP_PLAN_TARGETS_MAX; i++) {
			targets[i].muscle = members[i].muscle;
			targets[i].side = members[i].side;
		}
		opts.nnotes = trp_find_cautions(res, &opts.notes);
	}
	if (trp_plan_new(server_atlas(rq->server), targets, n, &opts, &plan, msg, sizeof msg)) {
		fail(r, 400, "bad_plan", "%s", msg);
		goto done;
	}
	json_reply(r, 200, trp_plan_json(plan, 0));
	trp_plan_free(plan);
done:
	json_decref(o);
}

/* ---------------------------------------------------------------- the diary */

struct listing {
	trp_entry_kind kind;
	char *out;
	size_t used, cap;
	int failed;
};

static int list_one(const trp_entry *e, void *arg)
{
	struct listing *l = arg;
	char *s;
	size_t len;

	if (e->kind != l->kind)
		return 0;
	s = trp_entry_json(e, 0);
	len = s ? strlen(s) : 0;
	if (!s || (l->used + len + 3 > l->cap &&
		   !(l->out = realloc(l->out, l->cap = (l->used + len + 3) * 2)))) {
		free(s);
		l->failed = 1;
		return 1;
	}
	if (l->used > 1)
		l->out[l->used++] = ',';
	memcpy(l->out + l->used, s, len);
	l->used += len;
	free(s);
	return 0;
}

/* The `since` query parameter, or INT64_MIN; -1 after a 400 reply. */
static int since_of(const struct request *rq, struct reply *r, int64_t *since)
{
	const char *text = api_query(rq, "since");
	char msg[256];
	int tz, has;

	*since = INT64_MIN;
	if (!text)
		return 0;
	if (trp_time_parse(text, since, &tz, &has, msg, sizeof msg)) {
		fail(r, 400, "bad_time", "since: %s", msg);
		return -1;
	}
	if (!has) {
		/* a date or time without an offset is the server's local time */
		time_t t = (time_t)*since;
		struct tm tm;

		gmtime_r(&t, &tm);
		tm.tm_isdst = -1;
		*since = (int64_t)mktime(&tm);
	}
	return 0;
}

static void list_entries(const struct request *rq, struct reply *r, trp_entry_kind kind)
{
	struct listing l = { kind, malloc(4096), 1, 4096, 0 };
	char msg[1024];
	trp_diary *d = request_diary(rq, msg, sizeof msg);
	int64_t since;

	if (!l.out) {
		json_reply(r, 500, NULL);
		return;
	}
	if (!d) {
		free(l.out);
		fail(r, 500, "diary", "%s", msg);
		return;
	}
	if (since_of(rq, r, &since)) {
		free(l.out);
		return;
	}
	l.out[0] = '[';
	if (trp_diary_each(d, since, 0, list_one, &l) || l.failed) {
		free(l.out);
		fail(r, 500, "diary", "%s", l.failed ? "out of memory" : trp_diary_errmsg(d));
		return;
	}
	l.out[l.used++] = ']';
	l.out[l.used] = '\0';
	json_reply(r, 200, l.out);
}

void api_add_entry(const struct request *rq, struct reply *r, trp_entry_kind kind)
{
	char msg[1024], note[TRP_NOTE_MAX + 1];
	trp_entry *e = malloc(sizeof *e);
	trp_diary *d;
	int has_at;

	if (!e) {
		json_reply(r, 500, NULL);
		return;
	}
	if (trp_entry_parse_json(rq->body, rq->len, kind, e, note, sizeof note, &has_at, msg, sizeof msg)) {
		fail(r, 400, "bad_entry", "%s", msg);
		goto done;
	}
	if (!has_at)
		now(&e->at, &e->tz);
	if (e->muscle[0]) {
		const trp_muscle *m = trp_atlas_find(server_atlas(rq->server), e->muscle);

		if (!m) {
			const char *near[1];

			if (trp_atlas_suggest(server_atlas(rq->server), e->muscle, near, 1))
				fail(r, 400, "unknown_muscle", "muscle: unknown muscle '%.64s' (did you mean '%s'?)",
				     e->muscle, near[0]);
			else
				fail(r, 400, "unknown_muscle", "muscle: unknown muscle '%.64s'", e->muscle);
			goto done;
		}
		snprintf(e->muscle, sizeof e->muscle, "%s", trp_muscle_id(m));
	}
	if (trp_entry_check(e, server_atlas(rq->server), msg, sizeof msg)) {
		fail(r, 400, "bad_entry", "%s", msg);
		goto done;
	}
	if (server_damage(rq->server)) {
		fail(r, 503, "diary_damaged", "%s", server_damage(rq->server));
		goto done;
	}
	d = request_diary(rq, msg, sizeof msg);
	if (!d) {
		fail(r, 500, "diary", "%s", msg);
		goto done;
	}
	if (trp_diary_put(d, e)) {
		fail(r, 500, "diary", "%s", trp_diary_errmsg(d));
		goto done;
	}
	json_reply(r, 201, trp_entry_json(e, 0));
done:
	free(e);
}

static void api_pain_get(const struct request *rq, struct reply *r) { list_entries(rq, r, TRP_PAIN_ENTRY); }
static void api_pain_post(const struct request *rq, struct reply *r) { api_add_entry(rq, r, TRP_PAIN_ENTRY); }
static void api_sessions_get(const struct request *rq, struct reply *r) { list_entries(rq, r, TRP_SESSION_ENTRY); }
static void api_sessions_post(const struct request *rq, struct reply *r) { api_add_entry(rq, r, TRP_SESSION_ENTRY); }

/* ---------------------------------------------------------------- moving a diary */

struct exporting {
	char *out;
	size_t used, cap;
	int n, failed;
};

static int export_put(struct exporting *x, char *s)
{
	size_t len = s ? strlen(s) : 0;

	if (!s || (x->used + len + 8 > x->cap &&
		   !(x->out = realloc(x->out, x->cap = (x->used + len + 8) * 2)))) {
		free(s);
		x->failed = 1;
		return 1;
	}
	if (x->n++)
		x->out[x->used++] = ',';
	memcpy(x->out + x->used, s, len);
	x->used += len;
	free(s);
	return 0;
}

static int export_entry(const trp_entry *e, void *arg) { return export_put(arg, trp_entry_json(e, 0)); }
static int export_trial(const trp_trial *t, void *arg) { return export_put(arg, trp_trial_json(t)); }

/* GET /api/export.json: the whole diary as `trp export --json` writes it (deleted entries
 * and trials too), to keep or to move into another trp. */
static void api_export(const struct request *rq, struct reply *r)
{
	struct exporting x = { malloc(4096), 0, 4096, 0, 0 };
	char msg[1024];
	trp_diary *d = request_diary(rq, msg, sizeof msg);
	trp_err err;

	if (!x.out) {
		json_reply(r, 500, NULL);
		return;
	}
	if (!d) {
		free(x.out);
		fail(r, 500, "diary", "%s", msg);
		return;
	}
	memcpy(x.out, "{\"entries\":[", 12);
	x.used = 12;
	err = trp_diary_each(d, INT64_MIN, 1, export_entry, &x);
	if (!err && !x.failed) {
		memcpy(x.out + x.used, "],\"trials\":[", 12);
		x.used += 12;
		x.n = 0;
		err = trp_diary_trial_each(d, export_trial, &x);
	}
	if (err || x.failed || x.used + 3 > x.cap) {
		free(x.out);
		fail(r, 500, "diary", "%s", err ? trp_diary_errmsg(d) : "out of memory");
		return;
	}
	memcpy(x.out + x.used, "]}", 3);
	x.used += 2;
	r->status = 200;
	r->body = x.out;
	r->len = x.used;
}

/* What is in a diary already, for an upload: each entry's CSV line without its id (its
 * content), sorted for bsearch. */
struct contents {
	char **keys;
	size_t n, cap;
	int failed;
};

static int content_key(const trp_entry *e, char **out)
{
	char *line = trp_entry_csv(e), *comma;

	*out = NULL;
	if (!line)
		return -1;
	comma = strchr(line, ',');
	memmove(line, comma ? comma + 1 : line, strlen(comma ? comma + 1 : line) + 1);
	*out = line;
	return 0;
}

static int collect_content(const trp_entry *e, void *arg)
{
	struct contents *c = arg;
	char *key;

	if (c->n == c->cap) {
		char **grown = realloc(c->keys, (c->cap = c->cap ? c->cap * 2 : 256) * sizeof *grown);

		if (!grown) {
			c->failed = 1;
			return 1;
		}
		c->keys = grown;
	}
	if (content_key(e, &key)) {
		c->failed = 1;
		return 1;
	}
	c->keys[c->n++] = key;
	return 0;
}

static int cmp_key(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

struct upload {
	trp_diary *d;
	struct contents have;
	const trp_atlas *atlas;
	size_t added, duplicates, trials;
	char why[600];
};

static int upload_entry(const trp_entry *in, void *arg)
{
	struct upload *u = arg;
	trp_entry *e = malloc(sizeof *e);
	char *key = NULL;
	int stop = 1;

	if (!e || content_key(in, &key)) {
		snprintf(u->why, sizeof u->why, "out of memory");
		goto done;
	}
	if (bsearch(&key, u->have.keys, u->have.n, sizeof *u->have.keys, cmp_key)) {
		/* the same entry, uploaded before (or made on both sides): once is enough */
		u->duplicates++;
		stop = 0;
		goto done;
	}
	*e = *in;
	if (trp_entry_check(e, u->atlas, u->why, sizeof u->why))
		goto done;
	/* a new id in this diary: the ids of the other diary may be taken here */
	e->id = 0;
	if (trp_diary_put(u->d, e)) {
		snprintf(u->why, sizeof u->why, "%s", trp_diary_errmsg(u->d));
		goto done;
	}
	u->added++;
	stop = 0;
done:
	free(key);
	free(e);
	return stop;
}

static int upload_trial(const trp_trial *in, void *arg)
{
	struct upload *u = arg;
	trp_trial t = *in;

	t.id = 0;
	if (trp_diary_trial_put(u->d, &t)) {
		snprintf(u->why, sizeof u->why, "%s", trp_diary_errmsg(u->d));
		return 1;
	}
	u->trials++;
	return 0;
}

/* POST /api/import: a diary as `trp export --json` (or GET /api/export.json) wrote it,
 * moved into this one: every entry that is not here already (the same content, whatever
 * its id) is added under a new id, with its deleted flag; trials too. All or nothing:
 * 200 {"added", "duplicates", "trials"}. */
static void api_import(const struct request *rq, struct reply *r)
{
	char msg[1024];
	struct upload u;
	trp_diary *d = request_diary(rq, msg, sizeof msg);
	trp_err err;
	size_t i;

	memset(&u, 0, sizeof u);
	if (!d) {
		fail(r, 500, "diary", "%s", msg);
		return;
	}
	if (server_damage(rq->server)) {
		fail(r, 503, "diary_damaged", "%s", server_damage(rq->server));
		return;
	}
	u.d = d;
	u.atlas = server_atlas(rq->server);
	if (trp_diary_each(d, INT64_MIN, 1, collect_content, &u.have) || u.have.failed) {
		fail(r, 500, "diary", "%s", u.have.failed ? "out of memory" : trp_diary_errmsg(d));
		goto done;
	}
	qsort(u.have.keys, u.have.n, sizeof *u.have.keys, cmp_key);
	if (trp_diary_begin(d)) {
		fail(r, 500, "diary", "%s", trp_diary_errmsg(d));
		goto done;
	}
	msg[0] = '\0';
	err = trp_export_parse_json(rq->body, rq->len, upload_entry, upload_trial, &u, msg, sizeof msg);
	if (err) {
		trp_diary_rollback(d);
		fail(r, 400, "bad_import", "%s%s%s; nothing was imported", msg, *msg && *u.why ? ": " : "", u.why);
		goto done;
	}
	if (trp_diary_commit(d)) {
		fail(r, 500, "diary", "%s", trp_diary_errmsg(d));
		goto done;
	}
	{
		json_t *o = json_pack("{s:I, s:I, s:I}", "added", (json_int_t)u.added,
				      "duplicates", (json_int_t)u.duplicates, "trials", (json_int_t)u.trials);

		json_reply(r, 200, o ? json_dumps(o, JSON_COMPACT) : NULL);
		json_decref(o);
	}
done:
	for (i = 0; i < u.have.n; i++)
		free(u.have.keys[i]);
	free(u.have.keys);
}

static int feed_entry(const trp_entry *e, void *arg)
{
	return trp_report_add(arg, e) != TRP_OK;
}

static int feed_trial(const trp_trial *t, void *arg)
{
	return trp_report_add_trial(arg, t) != TRP_OK;
}

static void api_report(const struct request *rq, struct reply *r)
{
	char msg[1024];
	trp_diary *d = request_diary(rq, msg, sizeof msg);
	trp_report *rep = NULL;
	int64_t since, at;
	int tz;

	if (!d) {
		fail(r, 500, "diary", "%s", msg);
		return;
	}
	if (server_damage(rq->server)) {
		fail(r, 503, "diary_damaged", "%s", server_damage(rq->server));
		return;
	}
	if (since_of(rq, r, &since))
		return;
	if (trp_report_new(&rep)) {
		json_reply(r, 500, NULL);
		return;
	}
	if (trp_diary_each(d, since, 0, feed_entry, rep) || trp_diary_trial_each(d, feed_trial, rep)) {
		fail(r, 500, "diary", "%s", trp_diary_errmsg(d));
	} else {
		char *text;

		now(&at, &tz);
		text = trp_report_json(rep, trp_local_day(at, tz), 0);
		/* in clinic mode the report holds the home program: adherence, and which version
		 * each session followed */
		if (text && server_config_of(rq->server)->clinic && rq->patient_id)
			text = clinic_report_program(rq, text);
		json_reply(r, 200, text);
	}
	trp_report_free(rep);
}

/* ---------------------------------------------------------------- files */

static const struct trp_asset *asset(const char *path)
{
	const struct trp_asset *a;

	if (strcmp(path, "/") == 0)
		path = "/index.html";
	for (a = trp_assets; a->path; a++)
		if (strcmp(a->path, path) == 0)
			return a;
	return NULL;
}

/* GET /api/experiences?muscle=ID, local mode: the figures of the snapshot given to
 * trp serve --experiences FILE for one muscle; 404 when none was given. */
static void api_experiences(const struct request *rq, struct reply *r)
{
	const struct server_config *c = server_config_of(rq->server);
	const char *id = api_query(rq, "muscle");
	const trp_muscle *m = id ? trp_atlas_find(server_atlas(rq->server), id) : NULL;

	if (!m) {
		fail(r, 400, "bad_request", "muscle: expected a muscle id, as GET /api/muscles gives them");
		return;
	}
	if (!c->experiences) {
		fail(r, 404, "not_found", "no clinic's experiences loaded (trp serve --experiences FILE)");
		return;
	}
	json_reply(r, 200, trp__experiences_muscle(c->experiences, c->experiences_len, trp_muscle_id(m), 0));
}

/* A file built into the program, sent as it is. */
static void asset_reply(struct reply *r, const struct trp_asset *a)
{
	r->status = 200;
	r->fixed = a->data;
	r->len = a->len;
	r->type = a->type;
}

static void api_bodymap(const struct request *rq, struct reply *r)
{
	const struct trp_asset *a = asset("/api/bodymap");

	(void)rq;
	if (!a) {
		fail(r, 404, "not_found", "no body map in this build");
		return;
	}
	asset_reply(r, a);
}

/* ---------------------------------------------------------------- routing */

/* A route's path: exactly this; this prefix followed by one segment (the path ends in
 * '/'); or one segment in place of the '*'. */
enum route_kind { EXACT, SEGMENT, STAR };

/* Who may use a route. */
enum route_access {
	OPEN,          /* the atlas, find, plans, the page: anyone who passed the guard */
	DIARY,         /* a diary: in local mode the file; in clinic mode the asker's own, or
			* under /api/patients/{user}/ that patient's, after the access check */
	CLINIC         /* clinic mode only, with the least role `least` */
};

struct route {
	const char *method;
	const char *path;
	size_t len;
	enum route_kind kind;
	void (*fn)(const struct request *rq, struct reply *r);
	int slow;                  /* answered off the event loops (a picture, a password hash) */
	enum route_access access;
	enum clinic_role least;    /* CLINIC routes: CLINIC_NOBODY (anyone), CLINIC_PATIENT (any
				    * account), CLINIC_THERAPIST (staff) or CLINIC_ADMIN */
	enum diary_by by;          /* DIARY routes in clinic mode: who of those let in may call it */
};

#define ROUTE(method, kind, path, fn) { method, path, sizeof(path) - 1, kind, fn, 0, OPEN, CLINIC_NOBODY, BY_EITHER }
#define PICTURE(method, kind, path, fn) { method, path, sizeof(path) - 1, kind, fn, 1, OPEN, CLINIC_NOBODY, BY_EITHER }
#define DIARY_ROUTE(method, kind, path, fn) { method, path, sizeof(path) - 1, kind, fn, 0, DIARY, CLINIC_NOBODY, BY_EITHER }
#define CLINIC_ROUTE(method, kind, path, fn, least) { method, path, sizeof(path) - 1, kind, fn, 0, CLINIC, least, BY_EITHER }
/* a diary route of clinic mode only (a program, consent) */
#define CLINIC_DIARY(method, kind, path, fn, by) { method, path, sizeof(path) - 1, kind, fn, 0, DIARY, CLINIC_PATIENT, by }
#define CLINIC_SLOW(method, kind, path, fn, least) { method, path, sizeof(path) - 1, kind, fn, 1, CLINIC, least, BY_EITHER }

static const struct route routes[] = {
	ROUTE("GET", EXACT, "/api/regions", api_regions),
	ROUTE("GET", EXACT, "/api/symptoms", api_symptoms),
	ROUTE("GET", EXACT, "/api/muscles", api_muscles),
	ROUTE("GET", SEGMENT, "/api/muscles/", api_muscle),
	PICTURE("GET", STAR, "/api/muscles/*/image.png", api_muscle_image),
	ROUTE("POST", EXACT, "/api/find", api_find),
	PICTURE("POST", EXACT, "/api/find/image.png", api_find_image),
	ROUTE("GET", EXACT, "/api/screen/questions", api_questions),
	ROUTE("POST", EXACT, "/api/screen", api_screen),
	ROUTE("GET", EXACT, "/api/perpetuating-factors", api_factors),
	ROUTE("POST", EXACT, "/api/plan", api_plan),
	DIARY_ROUTE("GET", EXACT, "/api/pain", api_pain_get),
	DIARY_ROUTE("POST", EXACT, "/api/pain", api_pain_post),
	DIARY_ROUTE("GET", EXACT, "/api/sessions", api_sessions_get),
	DIARY_ROUTE("POST", EXACT, "/api/sessions", api_sessions_post),
	DIARY_ROUTE("GET", EXACT, "/api/report", api_report),
	DIARY_ROUTE("GET", EXACT, "/api/export.json", api_export),
	DIARY_ROUTE("POST", EXACT, "/api/import", api_import),
	CLINIC_ROUTE("GET", EXACT, "/api/experiences", clinic_api_experiences, CLINIC_PATIENT),
	ROUTE("GET", EXACT, "/api/experiences", api_experiences),
	CLINIC_DIARY("GET", EXACT, "/api/program", clinic_api_program_get, BY_EITHER),
	CLINIC_DIARY("POST", EXACT, "/api/program", clinic_api_program_post, BY_TEAM),
	CLINIC_DIARY("POST", EXACT, "/api/program/sessions", clinic_api_program_session, BY_EITHER),
	CLINIC_DIARY("GET", EXACT, "/api/consent", clinic_api_consent_get, BY_EITHER),
	CLINIC_DIARY("POST", EXACT, "/api/consent", clinic_api_consent_post, BY_PATIENT),
	ROUTE("GET", EXACT, "/api/bodymap", api_bodymap),
	/* clinic mode (clinic_api.c) */
	CLINIC_SLOW("POST", EXACT, "/api/login", clinic_api_login, CLINIC_NOBODY),
	CLINIC_ROUTE("POST", EXACT, "/api/logout", clinic_api_logout, CLINIC_PATIENT),
	CLINIC_ROUTE("GET", EXACT, "/api/me", clinic_api_me, CLINIC_PATIENT),
	CLINIC_SLOW("POST", EXACT, "/api/password", clinic_api_password, CLINIC_PATIENT),
	CLINIC_SLOW("POST", EXACT, "/api/users", clinic_api_users_post, CLINIC_THERAPIST),
	CLINIC_ROUTE("GET", EXACT, "/api/users", clinic_api_users_get, CLINIC_ADMIN),
	CLINIC_ROUTE("POST", STAR, "/api/users/*/disable", clinic_api_disable, CLINIC_ADMIN),
	CLINIC_ROUTE("POST", STAR, "/api/users/*/enable", clinic_api_enable, CLINIC_ADMIN),
	CLINIC_ROUTE("GET", EXACT, "/api/patients", clinic_api_patients, CLINIC_THERAPIST),
	CLINIC_ROUTE("POST", STAR, "/api/patients/*/team", clinic_api_team, CLINIC_ADMIN),
	CLINIC_ROUTE("POST", STAR, "/api/patients/*/invite", clinic_api_invite, CLINIC_THERAPIST),
	CLINIC_SLOW("POST", STAR, "/api/invites/*/accept", clinic_api_accept, CLINIC_NOBODY),
	CLINIC_ROUTE("GET", EXACT, "/api/audit", clinic_api_audit, CLINIC_ADMIN),
};

#define NROUTES (sizeof routes / sizeof routes[0])

static int path_matches(const struct route *rt, const char *path, size_t len)
{
	const char *star;
	size_t before, segment;

	switch (rt->kind) {
	case EXACT:
		return len == rt->len && memcmp(rt->path, path, len) == 0;
	case SEGMENT:
		return len > rt->len && memcmp(rt->path, path, rt->len) == 0 &&
		       !memchr(path + rt->len, '/', len - rt->len);
	case STAR:
		star = strchr(rt->path, '*');
		before = (size_t)(star - rt->path);
		if (len <= before || memcmp(rt->path, path, before) != 0)
			return 0;
		segment = strcspn(path + before, "/");
		return segment > 0 && strcmp(path + before + segment, star + 1) == 0;
	}
	return 0;
}

/* The method a route is matched with: HEAD as GET (libmicrohttpd leaves out the body). */
static const char *route_method(const char *method)
{
	return strcmp(method, "HEAD") == 0 ? "GET" : method;
}

/* A request's route. In clinic mode a path /api/patients/{user}/REST that is no route of
 * its own is the diary route /api/REST on that patient: *patient gets {user}, and
 * *inner the path of the route (in `buf`). *known says whether the path is a route
 * under another method (a 405). */
static const struct route *find_route(const struct request *rq, int clinic, char *patient,
				      size_t patient_size, char *buf, size_t size, const char **inner,
				      int *known)
{
	const char *method = route_method(rq->method), *path = rq->path, *name, *rest;
	size_t i, len = strlen(path);
	int pass;

	*known = 0;
	*inner = path;
	patient[0] = '\0';
	for (pass = 0; pass < 2; pass++) {
		for (i = 0; i < NROUTES; i++) {
			if ((pass == 1 && routes[i].access != DIARY) || (!clinic && routes[i].access == CLINIC) ||
			    !path_matches(&routes[i], path, len))
				continue;
			if (strcmp(routes[i].method, method) == 0) {
				*inner = path;
				return &routes[i];
			}
			*known = 1;
		}
		if (pass == 1 || !clinic || strncmp(rq->path, "/api/patients/", 14) != 0)
			break;
		name = rq->path + 14;
		rest = strchr(name, '/');
		if (!rest || rest == name || (size_t)(rest - name) >= patient_size ||
		    (size_t)snprintf(buf, size, "/api%s", rest) >= size)
			break;
		memcpy(patient, name, (size_t)(rest - name));
		patient[rest - name] = '\0';
		path = buf;
		len = strlen(path);
	}
	patient[0] = '\0';
	return NULL;
}

size_t api_body_max(const char *method, const char *path)
{
	size_t len = strlen(path);

	/* an upload of a whole diary: a ten-year one is some 7 MB of JSON */
	if (strcmp(method, "POST") == 0 && len >= 11 && strcmp(path + len - 11, "/api/import") == 0 &&
	    (len == 11 || strncmp(path, "/api/patients/", 14) == 0))
		return 32u << 20;
	return 64u << 10;
}

int api_slow(const struct request *rq)
{
	char patient[CLINIC_NAME_MAX + 1], buf[512];
	const char *inner;
	int known;
	const struct route *rt = find_route(rq, server_config_of(rq->server)->clinic != NULL, patient,
					    sizeof patient, buf, sizeof buf, &inner, &known);

	return rt && rt->slow;
}

void api_handle(const struct request *rq, struct reply *r)
{
	int clinic = server_config_of(rq->server)->clinic != NULL, known;
	char patient[CLINIC_NAME_MAX + 1], buf[512], pattern[600];
	const char *inner;
	const struct route *rt = find_route(rq, clinic, patient, sizeof patient, buf, sizeof buf, &inner,
					    &known);
	size_t i, len = strlen(rq->path);

	if (rt && !clinic && rt->least == CLINIC_PATIENT && rt->access == DIARY)
		rt = NULL;   /* a program and consent belong to clinic mode */
	if (rt && !(rt->access == CLINIC && !clinic)) {
		struct request at = *rq;

		at.path = inner;
		if (!clinic || rt->access == OPEN) {
			rt->fn(&at, r);
		} else if (rt->access == DIARY) {
			/* the route as the audit log names it */
			snprintf(pattern, sizeof pattern, "%s%s", patient[0] ? "/api/patients/*" : "",
				 patient[0] ? rt->path + 4 : rt->path);
			clinic_diary_call(&at, r, rt->fn, patient[0] ? patient : NULL, pattern, rt->by);
		} else {
			clinic_call(&at, r, rt->fn, rt->least, rt->path);
		}
		return;
	}
	if (known && !(rt && rt->access == CLINIC && !clinic)) {
		/* the methods this path takes, for the Allow header */
		char methods[sizeof r->allow] = "";

		for (i = 0; i < NROUTES; i++)
			if (path_matches(&routes[i], rq->path, len) && strlen(methods) + 14 < sizeof methods &&
			    (clinic || routes[i].access != CLINIC)) {
				if (*methods)
					strcat(methods, ", ");
				strcat(methods, routes[i].method);
				if (strcmp(routes[i].method, "GET") == 0)
					strcat(methods, ", HEAD");
			}
		if (*methods) {
			fail(r, 405, "method_not_allowed", "%s %s: this path takes %s", rq->method, rq->path, methods);
			memcpy(r->allow, methods, sizeof methods);
			return;
		}
	}
	if (strncmp(rq->path, "/api/", 5) != 0 && strcmp(rq->path, "/api") != 0) {
		const struct trp_asset *a = asset(rq->path);

		if (a && strcmp(route_method(rq->method), "GET") == 0) {
			asset_reply(r, a);
			return;
		}
		if (a) {
			fail(r, 405, "method_not_allowed", "%s %s: files take GET", rq->method, rq->path);
			strcpy(r->allow, "GET, HEAD");
			return;
		}
	}
	fail(r, 404, "not_found", "no such path: %.200s", rq->path);
}

char *api_routes_json(void)
{
	static const char *const access[] = { "open", "diary", "clinic" };
	json_t *a = json_array();
	size_t i;
	char *out;

	for (i = 0; a && i < NROUTES; i++)
		json_array_append_new(a, json_pack("{s:s, s:s, s:s, s:s?, s:s?, s:b}", "method", routes[i].method,
						   "path", routes[i].path, "access", access[routes[i].access],
						   "least", routes[i].access == CLINIC
						   ? (routes[i].least == CLINIC_NOBODY ? "anyone"
						      : routes[i].least == CLINIC_PATIENT ? "account"
						      : clinic_role_name(routes[i].least)) : NULL,
						   "by", routes[i].by == BY_PATIENT ? "patient"
						   : routes[i].by == BY_TEAM ? "team" : NULL,
						   "slow", routes[i].slow));
	out = a ? json_dumps(a, JSON_INDENT(2)) : NULL;
	json_decref(a);
	return out;
}
