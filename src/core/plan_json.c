/*
 * plan_json.c: a release plan as the JSON object of docs/release.md (what `trp plan
 * --json` prints), and that object read back, as `trp session --plan FILE` does.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "plan_impl.h"
#include "screen_impl.h"

#define TEXT_MAX (16 * 1024)   /* one string of a plan file */
#define STEPS_MAX 4096         /* steps of a plan file */
#define LIST_MAX 256           /* items of any other list */
#define PATH_LEN 128

/* ---------------------------------------------------------------- writing */

/* Appends v to arr, taking it; a NULL v (out of memory) fails. */
static int append(json_t *arr, json_t *v)
{
	return !v || json_array_append_new(arr, v) != 0;
}

static json_t *dose_object(const trp_dose *d)
{
	json_t *discomfort = d->discomfort_max ? json_pack("[i, i]", d->discomfort_min, d->discomfort_max)
				: json_null();

	if (!discomfort || !d->text) {
		json_decref(discomfort);
		return NULL;
	}
	return json_pack("{s:o, s:[i, i], s:[i, i], s:i, s:b, s:s}", "discomfort", discomfort,
			 "hold_seconds", d->hold_min, d->hold_max, "rounds", d->rounds_min, d->rounds_max,
			 "rest_seconds", d->rest_seconds, "light", d->light, "text", d->text);
}

static json_t *side_value(int side)
{
	return side == TRP_SIDE_ANY ? json_null() : json_string(trp_plan_side_code(side));
}

static json_t *point_object(const trp_plan_step *s)
{
	char where[64];

	if (!s->point)
		return json_null();
	if (s->side == TRP_SIDE_ANY) {
		snprintf(where, sizeof where, "%s", trp_region_name(s->point_region));
	} else {
		trp_located loc = { s->point_region, (trp_side)s->side, -1 };

		trp_located_format(&loc, where, sizeof where);
	}
	return json_pack("{s:s, s:s}", "name", s->point, "region", where);
}

static json_t *step_object(const trp_plan_step *s)
{
	json_t *cautions = json_array();
	size_t i;
	int bad = !cautions;

	for (i = 0; !bad && i < s->ncautions; i++)
		bad |= append(cautions, json_string(s->cautions[i]));
	if (bad) {
		json_decref(cautions);
		return NULL;
	}
	return json_pack("{s:s, s:o, s:s, s:s, s:o, s:o, s:i, s:o}",
			 "muscle", trp_muscle_id(s->muscle), "side", side_value(s->side),
			 "technique", trp_technique_name(s->technique), "instructions", s->instructions,
			 "dose", dose_object(&s->dose), "cautions", cautions, "day", s->day,
			 "point", point_object(s));
}

static json_t *plan_object(const trp_plan *p)
{
	json_t *o = json_object(), *steps = json_array(), *pro = json_array();
	json_t *flags = json_array(), *dropped = json_array();
	size_t i;
	int bad = !o || !steps || !pro || !flags || !dropped;

	for (i = 0; !bad && i < p->nsteps; i++)
		bad |= append(steps, step_object(&p->steps[i]));
	for (i = 0; !bad && i < p->npro; i++)
		bad |= append(pro, json_string(p->pro[i]));
	for (i = 0; !bad && i < p->nflags; i++)
		bad |= append(flags, json_pack("{s:s, s:s}", "code", p->flags[i].code,
					       "message", p->flags[i].message));
	for (i = 0; !bad && i < p->ndrops; i++) {
		const trp_plan_drop *d = &p->drops[i];

		bad |= append(dropped, json_pack("{s:s, s:o, s:s, s:o, s:s}",
			"muscle", trp_muscle_id(d->muscle), "side", side_value(d->side),
			"technique", trp_technique_name(d->technique),
			"point", d->point ? json_string(d->point) : json_null(), "reason", d->reason));
	}
	if (!bad) {
		bad |= json_object_set_new(o, "refused", json_boolean(p->refused)) != 0;
		bad |= json_object_set_new(o, "reason", p->reason ? json_string(p->reason) : json_null()) != 0;
		bad |= json_object_set(o, "steps", steps) != 0;
		bad |= json_object_set_new(o, "frequency", json_string(p->frequency ? p->frequency : "")) != 0;
		bad |= json_object_set(o, "professional", pro) != 0;
		bad |= json_object_set(o, "flags", flags) != 0;
		bad |= json_object_set(o, "dropped", dropped) != 0;
		/* the whole-body factors keep points going in any muscle; a refused plan has none */
		bad |= json_object_set_new(o, "perpetuating_factors", p->refused ? json_array()
					   : trp__body_factors_value()) != 0;
	}
	json_decref(steps);
	json_decref(pro);
	json_decref(flags);
	json_decref(dropped);
	if (bad) {
		json_decref(o);
		return NULL;
	}
	return o;
}

char *trp_plan_json(const trp_plan *plan, int pretty)
{
	json_t *o = plan ? plan_object(plan) : NULL;
	char *s;

	if (!o)
		return NULL;
	s = json_dumps(o, pretty ? JSON_INDENT(2) : JSON_COMPACT);
	json_decref(o);
	return s;
}

/* ---------------------------------------------------------------- reading */

struct ctx {
	trp_plan *plan;
	struct trp__json_src src;
};

/* Writes "file:line: path: what" into the message and returns TRP_EINVAL. */
#define fail(c, ...) trp__json_fail(&(c)->src, TRP_EINVAL, __VA_ARGS__)

/* Checks that obj is an object with exactly `fields`. */
static trp_err check_fields(struct ctx *c, json_t *obj, const char *path, const char *const *fields)
{
	return trp__json_check_fields(&c->src, TRP_EINVAL, obj, path, fields);
}

/* A non-empty string at obj.key (or NULL when null_ok and null), copied. */
static trp_err get_text(struct ctx *c, json_t *obj, const char *path, const char *key,
			int null_ok, const char **out)
{
	char p[PATH_LEN];
	json_t *v = json_object_get(obj, key);

	*out = NULL;
	trp__path_join(p, sizeof p, path, key);
	if (null_ok && json_is_null(v))
		return TRP_OK;
	if (!json_is_string(v) || json_string_length(v) == 0)
		return fail(c, p, "expected a non-empty string%s", null_ok ? " or null" : "");
	if (json_string_length(v) > TEXT_MAX)
		return fail(c, p, "longer than %d bytes", TEXT_MAX);
	*out = trp__arena_strdup(&c->plan->arena, json_string_value(v));
	return *out ? TRP_OK : TRP_ENOMEM;
}

/* A whole number in lo..hi at v. */
static trp_err get_int(struct ctx *c, json_t *v, const char *path, int lo, int hi, int *out)
{
	if (!json_is_integer(v) || json_integer_value(v) < lo || json_integer_value(v) > hi)
		return fail(c, path, "expected a whole number from %d to %d", lo, hi);
	*out = (int)json_integer_value(v);
	return TRP_OK;
}

/* [MIN, MAX] with lo <= MIN <= MAX <= hi at obj.key. */
static trp_err get_range(struct ctx *c, json_t *obj, const char *path, const char *key, int lo,
			 int hi, int *min, int *max)
{
	char p[PATH_LEN], q[PATH_LEN + 8];
	json_t *v = json_object_get(obj, key);
	trp_err err;

	trp__path_join(p, sizeof p, path, key);
	if (!json_is_array(v) || json_array_size(v) != 2)
		return fail(c, p, "expected [MIN, MAX], whole numbers from %d to %d", lo, hi);
	snprintf(q, sizeof q, "%s[0]", p);
	if ((err = get_int(c, json_array_get(v, 0), q, lo, hi, min)))
		return err;
	snprintf(q, sizeof q, "%s[1]", p);
	if ((err = get_int(c, json_array_get(v, 1), q, lo, hi, max)))
		return err;
	if (*min > *max)
		return fail(c, p, "MIN %d is greater than MAX %d", *min, *max);
	return TRP_OK;
}

static trp_err get_muscle(struct ctx *c, json_t *obj, const char *path, const trp_muscle **out)
{
	char p[PATH_LEN];
	json_t *v = json_object_get(obj, "muscle");

	trp__path_join(p, sizeof p, path, "muscle");
	*out = json_is_string(v) ? trp_atlas_find(c->plan->atlas, json_string_value(v)) : NULL;
	if (!*out)
		return fail(c, p, "unknown muscle%s%.64s%s (expected an identifier from 'trp muscles')",
			    json_is_string(v) ? " '" : "", json_is_string(v) ? json_string_value(v) : "",
			    json_is_string(v) ? "'" : "");
	return TRP_OK;
}

static trp_err get_side(struct ctx *c, json_t *obj, const char *path, int *out)
{
	char p[PATH_LEN];
	json_t *v = json_object_get(obj, "side");
	const char *s = json_is_string(v) ? json_string_value(v) : "";

	trp__path_join(p, sizeof p, path, "side");
	if (json_is_null(v))
		*out = TRP_SIDE_ANY;
	else if (strcmp(s, "l") == 0)
		*out = TRP_LEFT;
	else if (strcmp(s, "r") == 0)
		*out = TRP_RIGHT;
	else
		return fail(c, p, "expected \"l\", \"r\" or null");
	return TRP_OK;
}

static trp_err get_technique(struct ctx *c, json_t *obj, const char *path, trp_technique *out)
{
	char p[PATH_LEN];
	json_t *v = json_object_get(obj, "technique");
	int t;

	trp__path_join(p, sizeof p, path, "technique");
	for (t = 0; json_is_string(v) && t < TRP_TECHNIQUE_COUNT; t++)
		if (strcmp(json_string_value(v), trp_technique_name((trp_technique)t)) == 0) {
			*out = (trp_technique)t;
			return TRP_OK;
		}
	return fail(c, p, "expected pressure, ball_wall, ball_floor, foam_roller, stretch or heat");
}

/* A list of strings at obj.key, copied into the arena. */
static trp_err get_texts(struct ctx *c, json_t *obj, const char *path, const char *key,
			 const char ***out, size_t *n)
{
	char p[PATH_LEN], q[PATH_LEN + 24];
	json_t *arr = json_object_get(obj, key), *v;
	const char **items;
	size_t i;

	*out = NULL;
	*n = 0;
	trp__path_join(p, sizeof p, path, key);
	if (!json_is_array(arr) || json_array_size(arr) > LIST_MAX)
		return fail(c, p, "expected a list of at most %d strings", LIST_MAX);
	if (json_array_size(arr) == 0)
		return TRP_OK;
	items = trp__arena_alloc(&c->plan->arena, json_array_size(arr) * sizeof *items);
	if (!items)
		return TRP_ENOMEM;
	json_array_foreach(arr, i, v) {
		snprintf(q, sizeof q, "%s[%zu]", p, i);
		if (!json_is_string(v) || json_string_length(v) == 0 || json_string_length(v) > TEXT_MAX)
			return fail(c, q, "expected a non-empty string of at most %d bytes", TEXT_MAX);
		items[i] = trp__arena_strdup(&c->plan->arena, json_string_value(v));
		if (!items[i])
			return TRP_ENOMEM;
	}
	*out = items;
	*n = json_array_size(arr);
	return TRP_OK;
}

static trp_err read_dose(struct ctx *c, json_t *obj, const char *path, trp_technique tech,
			 trp_dose *d)
{
	static const char *const fields[] = {
		"discomfort", "hold_seconds", "rounds", "rest_seconds", "light", "text", NULL
	};
	char p[PATH_LEN];
	json_t *v;
	trp_err err;

	if ((err = check_fields(c, obj, path, fields)))
		return err;
	if (!json_is_null(json_object_get(obj, "discomfort")) &&
	    (err = get_range(c, obj, path, "discomfort", 0, 10, &d->discomfort_min, &d->discomfort_max)))
		return err;
	/* no timer longer than the planner's caps (release.h) */
	if ((err = get_range(c, obj, path, "hold_seconds", 1, tech == TRP_HEAT ? TRP_HEAT_MAX_SECONDS
			     : TRP_HOLD_MAX_SECONDS, &d->hold_min, &d->hold_max)) ||
	    (err = get_range(c, obj, path, "rounds", 1, 20, &d->rounds_min, &d->rounds_max)))
		return err;
	trp__path_join(p, sizeof p, path, "rest_seconds");
	if ((err = get_int(c, json_object_get(obj, "rest_seconds"), p, 0, 600, &d->rest_seconds)))
		return err;
	v = json_object_get(obj, "light");
	trp__path_join(p, sizeof p, path, "light");
	if (!json_is_boolean(v))
		return fail(c, p, "expected true or false");
	d->light = json_is_true(v);
	return get_text(c, obj, path, "text", 0, &d->text);
}

static trp_err read_point(struct ctx *c, json_t *obj, const char *path, trp_plan_step *s)
{
	static const char *const fields[] = { "name", "region", NULL };
	char p[PATH_LEN], msg[256];
	const char *region;
	trp_located loc;
	trp_err err;

	s->point = NULL;
	s->point_region = -1;
	if (json_is_null(obj))
		return TRP_OK;
	if ((err = check_fields(c, obj, path, fields)) ||
	    (err = get_text(c, obj, path, "name", 0, &s->point)) ||
	    (err = get_text(c, obj, path, "region", 0, &region)))
		return err;
	trp__path_join(p, sizeof p, path, "region");
	s->point_region = trp_region_find(region);
	if (s->point_region >= 0)
		return TRP_OK;
	if (trp_located_parse(region, &loc, msg, sizeof msg))
		return fail(c, p, "%s", msg);
	s->point_region = loc.region;
	return TRP_OK;
}

static trp_err read_step(struct ctx *c, json_t *obj, const char *path, trp_plan_step *s)
{
	static const char *const fields[] = {
		"muscle", "side", "technique", "instructions", "dose", "cautions", "day", "point", NULL
	};
	char p[PATH_LEN];
	const char **cautions;
	trp_err err;

	memset(s, 0, sizeof *s);
	if ((err = check_fields(c, obj, path, fields)) ||
	    (err = get_muscle(c, obj, path, &s->muscle)) ||
	    (err = get_side(c, obj, path, &s->side)) ||
	    (err = get_technique(c, obj, path, &s->technique)) ||
	    (err = get_text(c, obj, path, "instructions", 0, &s->instructions)))
		return err;
	trp__path_join(p, sizeof p, path, "dose");
	if ((err = read_dose(c, json_object_get(obj, "dose"), p, s->technique, &s->dose)) ||
	    (err = get_texts(c, obj, path, "cautions", &cautions, &s->ncautions)))
		return err;
	s->cautions = cautions;
	trp__path_join(p, sizeof p, path, "day");
	if ((err = get_int(c, json_object_get(obj, "day"), p, 1, 1000, &s->day)))
		return err;
	trp__path_join(p, sizeof p, path, "point");
	return read_point(c, json_object_get(obj, "point"), p, s);
}

/* The whole-body factors of a plan file: checked for their form, not kept (the plan
 * writes the built-in list). */
static trp_err check_factors(struct ctx *c, json_t *arr)
{
	static const char *const fields[] = { "code", "name", "text", "ask", "sources", NULL };
	json_t *v;
	size_t i;
	trp_err err;

	if (!json_is_array(arr) || json_array_size(arr) > LIST_MAX)
		return fail(c, "perpetuating_factors", "expected a list of at most %d factor objects",
			    LIST_MAX);
	json_array_foreach(arr, i, v) {
		char path[PATH_LEN];
		const char *text;
		const char **sources;
		size_t n;

		snprintf(path, sizeof path, "perpetuating_factors[%zu]", i);
		if ((err = check_fields(c, v, path, fields)) ||
		    (err = get_text(c, v, path, "code", 0, &text)) ||
		    (err = get_text(c, v, path, "name", 0, &text)) ||
		    (err = get_text(c, v, path, "text", 0, &text)) ||
		    (err = get_text(c, v, path, "ask", 0, &text)) ||
		    (err = get_texts(c, v, path, "sources", &sources, &n)))
			return err;
	}
	return TRP_OK;
}

static trp_err read_plan(struct ctx *c, json_t *root)
{
	/* "perpetuating_factors" came later: a plan file may lack it */
	static const char *const fields_then[] = {
		"refused", "reason", "steps", "frequency", "professional", "flags", "dropped", NULL
	};
	static const char *const fields_now[] = {
		"refused", "reason", "steps", "frequency", "professional", "flags", "dropped",
		"perpetuating_factors", NULL
	};
	json_t *factors = json_is_object(root) ? json_object_get(root, "perpetuating_factors") : NULL;
	const char *const *fields = factors ? fields_now : fields_then;
	static const char *const flag_fields[] = { "code", "message", NULL };
	static const char *const drop_fields[] = { "muscle", "side", "technique", "point", "reason", NULL };
	trp_plan *p = c->plan;
	json_t *arr, *v;
	const char **pro;
	size_t i;
	trp_err err;

	if ((err = check_fields(c, root, "", fields)))
		return err;
	if (!json_is_boolean(json_object_get(root, "refused")))
		return fail(c, "refused", "expected true or false");
	p->refused = json_is_true(json_object_get(root, "refused"));
	if ((err = get_text(c, root, "", "reason", !p->refused, &p->reason)) ||
	    (err = get_text(c, root, "", "frequency", 0, &p->frequency)))
		return err;
	arr = json_object_get(root, "steps");
	if (!json_is_array(arr) || json_array_size(arr) > STEPS_MAX)
		return fail(c, "steps", "expected a list of at most %d steps", STEPS_MAX);
	if (p->refused && json_array_size(arr))
		return fail(c, "steps", "a refused plan has no steps");
	json_array_foreach(arr, i, v) {
		char path[PATH_LEN];

		snprintf(path, sizeof path, "steps[%zu]", i);
		if (trp__plan_grow((void **)&p->steps, &p->capsteps, p->nsteps, sizeof *p->steps))
			return TRP_ENOMEM;
		if ((err = read_step(c, v, path, &p->steps[p->nsteps])))
			return err;
		if (p->steps[p->nsteps].day > p->days)
			p->days = p->steps[p->nsteps].day;
		p->nsteps++;
	}
	if ((err = get_texts(c, root, "", "professional", &pro, &p->npro)))
		return err;
	if (p->npro) {
		p->pro = malloc(p->npro * sizeof *p->pro);
		if (!p->pro)
			return TRP_ENOMEM;
		memcpy(p->pro, pro, p->npro * sizeof *p->pro);
		p->cappro = p->npro;
	}
	arr = json_object_get(root, "flags");
	if (!json_is_array(arr) || json_array_size(arr) > LIST_MAX)
		return fail(c, "flags", "expected a list of at most %d {\"code\", \"message\"} objects", LIST_MAX);
	json_array_foreach(arr, i, v) {
		char path[PATH_LEN];
		trp_caution_note *f;

		snprintf(path, sizeof path, "flags[%zu]", i);
		if (trp__plan_grow((void **)&p->flags, &p->capflags, p->nflags, sizeof *p->flags))
			return TRP_ENOMEM;
		f = &p->flags[p->nflags];
		if ((err = check_fields(c, v, path, flag_fields)) ||
		    (err = get_text(c, v, path, "code", 0, &f->code)) ||
		    (err = get_text(c, v, path, "message", 0, &f->message)))
			return err;
		p->nflags++;
	}
	arr = json_object_get(root, "dropped");
	if (!json_is_array(arr) || json_array_size(arr) > STEPS_MAX)
		return fail(c, "dropped", "expected a list of at most %d objects", STEPS_MAX);
	json_array_foreach(arr, i, v) {
		char path[PATH_LEN];
		trp_plan_drop *d;

		snprintf(path, sizeof path, "dropped[%zu]", i);
		if (trp__plan_grow((void **)&p->drops, &p->capdrops, p->ndrops, sizeof *p->drops))
			return TRP_ENOMEM;
		d = &p->drops[p->ndrops];
		if ((err = check_fields(c, v, path, drop_fields)) ||
		    (err = get_muscle(c, v, path, &d->muscle)) ||
		    (err = get_side(c, v, path, &d->side)) ||
		    (err = get_technique(c, v, path, &d->technique)) ||
		    (err = get_text(c, v, path, "point", 1, &d->point)) ||
		    (err = get_text(c, v, path, "reason", 0, &d->reason)))
			return err;
		p->ndrops++;
	}
	return factors ? check_factors(c, factors) : TRP_OK;
}

trp_err trp_plan_parse(const trp_atlas *atlas, const char *file, const char *text, size_t len,
		       trp_plan **out, char *msg, size_t msgsize)
{
	struct ctx c = { NULL, { file ? file : "plan", text, len, msg, msgsize } };
	json_error_t jerr;
	json_t *root;
	trp_err err;

	if (out)
		*out = NULL;
	if (!atlas || !text || !out) {
		trp__msg(msg, msgsize, "no plan given");
		return TRP_EINVAL;
	}
	root = json_loadb(text, len, JSON_REJECT_DUPLICATES, &jerr);
	if (!root) {
		trp__msg(msg, msgsize, "%s:%d:%d: %s (expected a plan as 'trp plan --json' writes it)",
			 c.src.file, jerr.line, jerr.column, jerr.text);
		return TRP_EPARSE;
	}
	c.plan = trp__plan_alloc(atlas);
	err = c.plan ? read_plan(&c, root) : TRP_ENOMEM;
	json_decref(root);
	if (err) {
		if (err == TRP_ENOMEM)
			trp__msg(msg, msgsize, "%s: out of memory", c.src.file);
		trp_plan_free(c.plan);
		return err;
	}
	*out = c.plan;
	return TRP_OK;
}
