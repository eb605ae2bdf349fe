/*
 * screen_load.c: loading and validating the screening questions and their combination
 * rules (data/screen.json) and the whole-body perpetuating factors
 * (data/perpetuating.json), docs/release.md. screengen runs this at build time, so a
 * broken file fails the build with its file, line and field; the tables it writes are
 * what libtrp uses.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "screen_impl.h"

#define CODE_MAX 40      /* bytes in a code */
#define TEXT_MAX 2048    /* bytes in one text */
#define REGIONS_MAX 32   /* regions in one list */
#define LIST_MAX 16      /* codes or tags in one list */
#define SECTIONS_MAX 16
#define FACTORS_MAX 32
#define SOURCES_MAX 8

static const char *const top_fields[] = { "sections", "questions", "rules", NULL };
static const char *const section_fields[] = { "code", "title", NULL };
static const char *const fields[] = {
	"code", "section", "type", "group", "question", "message", "source", "covers", "ask_if",
	"old_codes", "max_pressure", "no_heat", "light_regions", "avoid_regions", "caution_techniques", NULL
};
static const char *const question_required[] = { "code", "section", "question", "source", "covers", NULL };
static const char *const effects[] = {
	"max_pressure", "no_heat", "light_regions", "avoid_regions", "caution_techniques", NULL
};
static const char *const groups[] = { "emergency", "see_doctor", "precaution", "combined", NULL };
static const char *const rule_fields[] = {
	"code", "group", "message", "source", "covers", "all", "any", "age_at_least", NULL
};
static const char *const rule_required[] = {
	"code", "group", "message", "source", "covers", "all", NULL
};
static const char *const factor_fields[] = { "code", "name", "text", "ask", "sources", NULL };

struct ctx {
	struct trp__json_src src;
	struct trp__arena **arena;
	/* the sections, and the questions read so far (for ask_if and the rules) */
	const char *sections[SECTIONS_MAX];
	const char *titles[SECTIONS_MAX];
	size_t nsections;
	struct trp__screen_item *items;
	size_t nitems;
	int age;                 /* index of the age question, or -1 */
	int last_section;        /* the section of the last question read */
};

/* Writes "file:line: path: what" into the message and returns TRP_ESCHEMA. */
#define fail(c, ...) trp__json_fail(&(c)->src, TRP_ESCHEMA, __VA_ARGS__)

static int snake_case(const char *s)
{
	if (!islower((unsigned char)*s))
		return 0;
	for (; *s; s++)
		if (!islower((unsigned char)*s) && !isdigit((unsigned char)*s) && *s != '_')
			return 0;
	return 1;
}

/* A red-flag tag: two snake_case words joined by one dot ("cardiac.acute_coronary"). */
static int tag_form(const char *s)
{
	char head[CODE_MAX + 1];
	const char *dot = strchr(s, '.');
	size_t n;

	if (!dot || strchr(dot + 1, '.'))
		return 0;
	n = (size_t)(dot - s);
	if (n == 0 || n > CODE_MAX)
		return 0;
	memcpy(head, s, n);
	head[n] = '\0';
	return snake_case(head) && snake_case(dot + 1);
}

/* Checks that obj is an object with no field outside `allowed` and every one of
 * `required`. */
static trp_err check_keys(struct ctx *c, json_t *obj, const char *path,
			  const char *const *allowed, const char *const *required)
{
	char p[TRP__PATH_LEN], list[512];
	const char *key;
	json_t *v;
	int i;

	if (!json_is_object(obj))
		return fail(c, path, "expected an object with the fields %s",
			    trp__word_list(list, sizeof list, required));
	json_object_foreach(obj, key, v) {
		if (trp__word_index(allowed, key) < 0) {
			trp__path_join(p, sizeof p, path, key);
			return fail(c, p, "unknown field (expected %s)",
				    trp__word_list(list, sizeof list, allowed));
		}
	}
	for (i = 0; required[i]; i++)
		if (!json_object_get(obj, required[i]))
			return fail(c, path, "missing field '%s'", required[i]);
	return TRP_OK;
}

/* A non-empty string of at most TEXT_MAX bytes at obj.key, copied into the arena. */
static trp_err get_text(struct ctx *c, json_t *obj, const char *path, const char *key,
			const char **out)
{
	char p[TRP__PATH_LEN];
	json_t *v = json_object_get(obj, key);

	*out = NULL;
	trp__path_join(p, sizeof p, path, key);
	if (!json_is_string(v) || trp__blank(json_string_value(v)))
		return fail(c, p, "expected a non-empty string");
	if (json_string_length(v) > TEXT_MAX)
		return fail(c, p, "longer than %d bytes", TEXT_MAX);
	*out = trp__arena_strdup(c->arena, json_string_value(v));
	return *out ? TRP_OK : TRP_ENOMEM;
}

/* A snake_case code of at most CODE_MAX bytes at obj.key. */
static trp_err get_code(struct ctx *c, json_t *obj, const char *path, const char *key,
			const char **out)
{
	char p[TRP__PATH_LEN];
	trp_err err = get_text(c, obj, path, key, out);

	if (err)
		return err;
	trp__path_join(p, sizeof p, path, key);
	if (!snake_case(*out) || strlen(*out) > CODE_MAX)
		return fail(c, p, "'%.64s' is not a snake_case code of at most %d bytes (a-z, 0-9, _)",
			    *out, CODE_MAX);
	return TRP_OK;
}

/* A whole number in lo..hi at obj.key. */
static trp_err get_int(struct ctx *c, json_t *obj, const char *path, const char *key, int lo,
		       int hi, int *out)
{
	char p[TRP__PATH_LEN];
	json_t *v = json_object_get(obj, key);

	trp__path_join(p, sizeof p, path, key);
	if (!json_is_integer(v) || json_integer_value(v) < lo || json_integer_value(v) > hi)
		return fail(c, p, "expected a whole number from %d to %d", lo, hi);
	*out = (int)json_integer_value(v);
	return TRP_OK;
}

/* A list of 1 to `max` distinct strings at obj.key, each checked by `form` (may be NULL),
 * copied into the arena. `what` names an item in messages. */
static trp_err get_strings(struct ctx *c, json_t *obj, const char *path, const char *key,
			   size_t max, int (*form)(const char *), const char *what,
			   const char *const **out, size_t *n)
{
	char p[TRP__PATH_LEN], q[TRP__PATH_LEN * 2];
	json_t *arr = json_object_get(obj, key), *v;
	const char **list;
	size_t i, j;

	*out = NULL;
	*n = 0;
	trp__path_join(p, sizeof p, path, key);
	if (!json_is_array(arr) || json_array_size(arr) == 0 || json_array_size(arr) > max)
		return fail(c, p, "expected a list of 1 to %zu %ss", max, what);
	list = trp__arena_alloc(c->arena, json_array_size(arr) * sizeof *list);
	if (!list)
		return TRP_ENOMEM;
	json_array_foreach(arr, i, v) {
		snprintf(q, sizeof q, "%s[%zu]", p, i);
		if (!json_is_string(v) || trp__blank(json_string_value(v)) ||
		    json_string_length(v) > TEXT_MAX)
			return fail(c, q, "expected a %s", what);
		if (form && !form(json_string_value(v)))
			return fail(c, q, "'%.64s' is not a %s", json_string_value(v), what);
		for (j = 0; j < i; j++)
			if (strcmp(list[j], json_string_value(v)) == 0)
				return fail(c, q, "'%.64s' given twice", list[j]);
		list[i] = trp__arena_strdup(c->arena, json_string_value(v));
		if (!list[i])
			return TRP_ENOMEM;
	}
	*out = list;
	*n = json_array_size(arr);
	return TRP_OK;
}

/* The index of the yes/no question `code` among those read so far, or -1. */
static int question_index(const struct ctx *c, const char *code)
{
	size_t i;

	for (i = 0; i < c->nitems; i++)
		if (strcmp(c->items[i].q.code, code) == 0)
			return (int)i;
	return -1;
}

/* A list of codes of yes/no questions (read so far) at obj.key, with their indices. */
static trp_err get_refs(struct ctx *c, json_t *obj, const char *path, const char *key,
			const char *const **codes, size_t *n, const int **indices)
{
	char p[TRP__PATH_LEN], q[TRP__PATH_LEN * 2];
	int *idx;
	size_t i;
	trp_err err = get_strings(c, obj, path, key, LIST_MAX, snake_case, "question code", codes, n);

	*indices = NULL;
	if (err)
		return err;
	trp__path_join(p, sizeof p, path, key);
	idx = trp__arena_alloc(c->arena, *n * sizeof *idx);
	if (!idx)
		return TRP_ENOMEM;
	for (i = 0; i < *n; i++) {
		snprintf(q, sizeof q, "%s[%zu]", p, i);
		idx[i] = question_index(c, (*codes)[i]);
		if (idx[i] < 0)
			return fail(c, q, "'%.64s' is not a question above this one", (*codes)[i]);
		if (c->items[idx[i]].q.type != TRP_QUESTION_YES_NO)
			return fail(c, q, "'%s' is not a yes/no question", (*codes)[i]);
	}
	*indices = idx;
	return TRP_OK;
}

/* A list of region names at obj.key (absent: none), as indices in the arena. */
static trp_err get_regions(struct ctx *c, json_t *obj, const char *path, const char *key,
			   const int **out, size_t *n)
{
	char p[TRP__PATH_LEN];
	json_t *arr = json_object_get(obj, key), *v;
	int *regions;
	size_t i, j;

	*out = NULL;
	*n = 0;
	if (!arr)
		return TRP_OK;
	trp__path_join(p, sizeof p, path, key);
	if (!json_is_array(arr) || json_array_size(arr) == 0 || json_array_size(arr) > REGIONS_MAX)
		return fail(c, p, "expected a list of 1 to %d region names", REGIONS_MAX);
	regions = trp__arena_alloc(c->arena, json_array_size(arr) * sizeof *regions);
	if (!regions)
		return TRP_ENOMEM;
	json_array_foreach(arr, i, v) {
		char q[TRP__PATH_LEN * 2];
		int near[1];

		snprintf(q, sizeof q, "%s[%zu]", p, i);
		if (!json_is_string(v))
			return fail(c, q, "expected a region name");
		regions[i] = trp_region_find(json_string_value(v));
		if (regions[i] < 0) {
			if (trp_region_suggest(json_string_value(v), near, 1) == 1)
				return fail(c, q, "unknown region '%.64s' (did you mean '%s'?)",
					    json_string_value(v), trp_region_name(near[0]));
			return fail(c, q, "unknown region '%.64s' (see data/regions.tsv)",
				    json_string_value(v));
		}
		for (j = 0; j < i; j++)
			if (regions[j] == regions[i])
				return fail(c, q, "region '%s' given twice", trp_region_name(regions[i]));
	}
	*out = regions;
	*n = json_array_size(arr);
	return TRP_OK;
}

/* The effects of a precaution: what a "yes" changes in a plan. */
static trp_err read_effects(struct ctx *c, json_t *obj, const char *path,
			    struct trp__screen_item *it)
{
	char p[TRP__PATH_LEN];
	json_t *v;
	size_t i;
	trp_err err;

	if ((v = json_object_get(obj, "max_pressure"))) {
		trp__path_join(p, sizeof p, path, "max_pressure");
		if (!json_is_string(v) || strcmp(json_string_value(v), "light") != 0)
			return fail(c, p, "expected \"light\"");
		it->light_pressure = 1;
	}
	if ((v = json_object_get(obj, "no_heat"))) {
		trp__path_join(p, sizeof p, path, "no_heat");
		if (!json_is_true(v))
			return fail(c, p, "expected true (leave the field out when heat is fine)");
		it->no_heat = 1;
	}
	if ((err = get_regions(c, obj, path, "light_regions", &it->light_regions, &it->nlight)) ||
	    (err = get_regions(c, obj, path, "avoid_regions", &it->avoid_regions, &it->navoid)))
		return err;
	if ((v = json_object_get(obj, "caution_techniques"))) {
		json_t *t;

		trp__path_join(p, sizeof p, path, "caution_techniques");
		if (!json_is_array(v) || json_array_size(v) == 0)
			return fail(c, p, "expected a list of techniques");
		json_array_foreach(v, i, t) {
			char q[TRP__PATH_LEN * 2];
			int k, found = -1;

			snprintf(q, sizeof q, "%s[%zu]", p, i);
			for (k = 0; json_is_string(t) && k < TRP_TECHNIQUE_COUNT; k++)
				if (strcmp(json_string_value(t), trp_technique_name((trp_technique)k)) == 0)
					found = k;
			if (found < 0)
				return fail(c, q, "expected pressure, ball_wall, ball_floor, foam_roller, stretch or heat");
			if (it->caution_techniques & (1u << found))
				return fail(c, q, "technique '%s' given twice", trp_technique_name((trp_technique)found));
			it->caution_techniques |= 1u << found;
		}
	}
	return TRP_OK;
}

/* When a question is asked: {"yes": [CODE, ...], "age_at_least": N}, either or both. */
static trp_err read_ask_if(struct ctx *c, json_t *obj, const char *path,
			   struct trp__screen_item *it)
{
	static const char *const ask_fields[] = { "yes", "age_at_least", NULL };
	char p[TRP__PATH_LEN], q[TRP__PATH_LEN * 2];
	json_t *v = json_object_get(obj, "ask_if");
	const char *key;
	json_t *x;
	trp_err err;

	if (!v)
		return TRP_OK;
	trp__path_join(p, sizeof p, path, "ask_if");
	if (!json_is_object(v) || json_object_size(v) == 0)
		return fail(c, p, "expected {\"yes\": [CODE, ...], \"age_at_least\": N} (either or both)");
	json_object_foreach(v, key, x) {
		if (trp__word_index(ask_fields, key) < 0) {
			trp__path_join(q, sizeof q, p, key);
			return fail(c, q, "unknown field (expected yes or age_at_least)");
		}
	}
	if (json_object_get(v, "yes") &&
	    (err = get_refs(c, v, p, "yes", &it->q.ask_if_yes, &it->q.nask_if_yes, &it->ask_yes)))
		return err;
	if (json_object_get(v, "age_at_least")) {
		if ((err = get_int(c, v, p, "age_at_least", 1, TRP_AGE_MAX, &it->q.ask_if_age_at_least)))
			return err;
		if (c->age < 0) {
			trp__path_join(q, sizeof q, p, "age_at_least");
			return fail(c, q, "no age question above this one");
		}
	}
	return TRP_OK;
}

static trp_err read_item(struct ctx *c, json_t *obj, size_t index)
{
	struct trp__screen_item *it = &c->items[index];
	char path[32], p[TRP__PATH_LEN];
	const char *section;
	json_t *v;
	size_t i;
	int g, k, s, has_effect = 0, age;
	trp_err err;

	memset(it, 0, sizeof *it);
	snprintf(path, sizeof path, "questions[%zu]", index);
	if ((err = check_keys(c, obj, path, fields, question_required)))
		return err;
	if ((err = get_code(c, obj, path, "code", &it->q.code)))
		return err;
	trp__path_join(p, sizeof p, path, "code");
	for (i = 0; i < index; i++)
		if (strcmp(c->items[i].q.code, it->q.code) == 0)
			return fail(c, p, "duplicate code '%s'", it->q.code);

	/* the section, in the order the sections are declared */
	if ((err = get_code(c, obj, path, "section", &section)))
		return err;
	trp__path_join(p, sizeof p, path, "section");
	for (s = 0; s < (int)c->nsections && strcmp(c->sections[s], section) != 0; s++)
		;
	if (s == (int)c->nsections)
		return fail(c, p, "unknown section '%.64s' (declare it under \"sections\")", section);
	if (s < c->last_section)
		return fail(c, p, "section '%s' after a question of section '%s' (list the questions "
			    "section by section, in the order of \"sections\")", section,
			    c->sections[c->last_section]);
	c->last_section = s;
	it->q.section = c->sections[s];
	it->q.section_title = c->titles[s];

	/* the type: the age, or a yes/no question with a group */
	v = json_object_get(obj, "type");
	trp__path_join(p, sizeof p, path, "type");
	age = json_is_string(v) && strcmp(json_string_value(v), "age") == 0;
	if (v && !age && !(json_is_string(v) && strcmp(json_string_value(v), "yes_no") == 0))
		return fail(c, p, "expected \"yes_no\" (the default) or \"age\"");
	if (age && c->age >= 0)
		return fail(c, p, "a second age question (there is one, '%s')", c->items[c->age].q.code);
	it->q.type = age ? TRP_QUESTION_AGE : TRP_QUESTION_YES_NO;
	v = json_object_get(obj, "group");
	trp__path_join(p, sizeof p, path, "group");
	if (age) {
		if (v)
			return fail(c, p, "the age question has no group (the rules that use it have)");
		g = TRP_GROUP_COMBINED;
	} else {
		g = json_is_string(v) ? trp__word_index(groups, json_string_value(v)) : -1;
		if (g < 0)
			return fail(c, p, "expected emergency, see_doctor, precaution or combined");
	}
	it->q.group = (trp_screen_group)g;

	if ((err = get_text(c, obj, path, "question", &it->q.question)) ||
	    (err = get_text(c, obj, path, "source", &it->q.source)) ||
	    (err = get_strings(c, obj, path, "covers", LIST_MAX, tag_form,
			       "red-flag tag (area.flag, as cardiac.acute_coronary)",
			       &it->q.covers, &it->q.ncovers)))
		return err;
	trp__path_join(p, sizeof p, path, "message");
	if (g == TRP_GROUP_COMBINED) {
		if (json_object_get(obj, "message"))
			return fail(c, p, "a %s has no message of its own (its rules give one)",
				    age ? "the age question" : "combined question");
	} else if ((err = get_text(c, obj, path, "message", &it->q.message))) {
		return err;
	}
	if ((err = read_ask_if(c, obj, path, it)))
		return err;
	if (json_object_get(obj, "old_codes") &&
	    (err = get_strings(c, obj, path, "old_codes", LIST_MAX, snake_case, "retired question code",
			       &it->old_codes, &it->nold)))
		return err;

	for (k = 0; effects[k]; k++) {
		if (!json_object_get(obj, effects[k]))
			continue;
		has_effect = 1;
		if (it->q.group != TRP_GROUP_PRECAUTION) {
			trp__path_join(p, sizeof p, path, effects[k]);
			return fail(c, p, "only a precaution question changes a plan (this one is '%s')",
				    groups[g]);
		}
	}
	if (it->q.group == TRP_GROUP_PRECAUTION && !has_effect)
		return fail(c, path, "a precaution must change the plan: give max_pressure, no_heat, "
			    "light_regions, avoid_regions or caution_techniques");
	if ((err = read_effects(c, obj, path, it)))
		return err;
	if (age)
		c->age = (int)index;
	return TRP_OK;
}

static trp_err read_rule(struct ctx *c, json_t *obj, size_t index, struct trp__screen_rule *rules)
{
	struct trp__screen_rule *r = &rules[index];
	char path[32], p[TRP__PATH_LEN];
	size_t i;
	json_t *v;
	int g;
	trp_err err;

	memset(r, 0, sizeof *r);
	snprintf(path, sizeof path, "rules[%zu]", index);
	if ((err = check_keys(c, obj, path, rule_fields, rule_required)))
		return err;
	if ((err = get_code(c, obj, path, "code", &r->r.code)))
		return err;
	trp__path_join(p, sizeof p, path, "code");
	if (question_index(c, r->r.code) >= 0)
		return fail(c, p, "'%s' is already a question's code", r->r.code);
	for (i = 0; i < index; i++)
		if (strcmp(rules[i].r.code, r->r.code) == 0)
			return fail(c, p, "duplicate code '%s'", r->r.code);
	v = json_object_get(obj, "group");
	trp__path_join(p, sizeof p, path, "group");
	g = json_is_string(v) ? trp__word_index(groups, json_string_value(v)) : -1;
	if (g != TRP_GROUP_EMERGENCY && g != TRP_GROUP_SEE_DOCTOR)
		return fail(c, p, "expected emergency or see_doctor (a rule raises a warning sign)");
	r->r.group = (trp_screen_group)g;
	if ((err = get_text(c, obj, path, "message", &r->r.message)) ||
	    (err = get_text(c, obj, path, "source", &r->r.source)) ||
	    (err = get_strings(c, obj, path, "covers", LIST_MAX, tag_form,
			       "red-flag tag (area.flag, as cardiac.acute_coronary)",
			       &r->r.covers, &r->r.ncovers)) ||
	    (err = get_refs(c, obj, path, "all", &r->r.all, &r->r.nall, &r->all)))
		return err;
	if (json_object_get(obj, "any") &&
	    (err = get_refs(c, obj, path, "any", &r->r.any, &r->r.nany, &r->any)))
		return err;
	if (json_object_get(obj, "age_at_least")) {
		if ((err = get_int(c, obj, path, "age_at_least", 1, TRP_AGE_MAX, &r->r.age_at_least)))
			return err;
		if (c->age < 0) {
			trp__path_join(p, sizeof p, path, "age_at_least");
			return fail(c, p, "there is no age question");
		}
	}
	if (r->r.nall == 1 && r->r.nany == 0 && r->r.age_at_least == 0)
		return fail(c, path, "a rule of one question alone is that question's group: give "
			    "it more in all, any or age_at_least");
	return TRP_OK;
}

static trp_err read_sections(struct ctx *c, json_t *arr)
{
	json_t *v;
	size_t i, j;
	trp_err err;

	if (!json_is_array(arr) || json_array_size(arr) == 0 || json_array_size(arr) > SECTIONS_MAX)
		return fail(c, "sections", "expected a list of 1 to %d {\"code\", \"title\"} objects",
			    SECTIONS_MAX);
	json_array_foreach(arr, i, v) {
		char path[32];

		snprintf(path, sizeof path, "sections[%zu]", i);
		if ((err = trp__json_check_fields(&c->src, TRP_ESCHEMA, v, path, section_fields)) ||
		    (err = get_code(c, v, path, "code", &c->sections[i])) ||
		    (err = get_text(c, v, path, "title", &c->titles[i])))
			return err;
		for (j = 0; j < i; j++)
			if (strcmp(c->sections[j], c->sections[i]) == 0) {
				char p[48];

				snprintf(p, sizeof p, "%s.code", path);
				return fail(c, p, "duplicate section '%s'", c->sections[i]);
			}
		c->nsections++;
	}
	return TRP_OK;
}

/* Starts a load: the context for messages, and the parsed text; NULL (with the message
 * and *err set) when it is not JSON. */
static json_t *open_text(struct ctx *c, struct trp__arena **arena, const char *file,
			 const char *text, size_t len, char *msg, size_t msgsize, trp_err *err)
{
	json_error_t jerr;
	json_t *root;

	memset(c, 0, sizeof *c);
	c->src = (struct trp__json_src){ file, text, len, msg, msgsize };
	c->arena = arena;
	c->age = -1;
	*err = TRP_OK;
	root = json_loadb(text, len, JSON_REJECT_DUPLICATES, &jerr);
	if (!root) {
		trp__msg(msg, msgsize, "%s:%d:%d: %s", file, jerr.line, jerr.column, jerr.text);
		*err = TRP_EPARSE;
	}
	return root;
}

/* Ends a load: frees the parsed text, and on failure the arena (saying so when memory
 * ran out). Returns err. */
static trp_err close_text(struct ctx *c, json_t *root, struct trp__arena *arena, trp_err err)
{
	json_decref(root);
	if (err) {
		if (err == TRP_ENOMEM)
			trp__msg(c->src.msg, c->src.msgsize, "%s: out of memory", c->src.file);
		trp__arena_free(arena);
	}
	return err;
}

trp_err trp__screen_load(const char *file, const char *text, size_t len,
			 struct trp__screen_set *out, char *msg, size_t msgsize)
{
	struct trp__screen_set set = { NULL, 0, NULL, 0, NULL };
	struct ctx c;
	json_t *root, *arr, *v;
	size_t i, s;
	trp_err err;

	memset(out, 0, sizeof *out);
	root = open_text(&c, &set.arena, file, text, len, msg, msgsize, &err);
	if (!root)
		return err;
	if ((err = trp__json_check_fields(&c.src, TRP_ESCHEMA, root, "", top_fields)) ||
	    (err = read_sections(&c, json_object_get(root, "sections"))))
		goto done;
	arr = json_object_get(root, "questions");
	if (!json_is_array(arr) || json_array_size(arr) == 0 || json_array_size(arr) > TRP_SCREEN_MAX) {
		err = fail(&c, "questions", "expected a list of 1 to %d question objects", TRP_SCREEN_MAX);
		goto done;
	}
	set.items = trp__arena_alloc(&set.arena, json_array_size(arr) * sizeof *set.items);
	if (!set.items) {
		err = TRP_ENOMEM;
		goto done;
	}
	c.items = set.items;
	json_array_foreach(arr, i, v) {
		if ((err = read_item(&c, v, i)))
			goto done;
		c.nitems = ++set.n;
	}
	for (i = 0; i < set.n; i++) {
		size_t k;

		for (k = 0; k < set.items[i].nold; k++)
			if (question_index(&c, set.items[i].old_codes[k]) >= 0) {
				char p[64];

				snprintf(p, sizeof p, "questions[%zu].old_codes[%zu]", i, k);
				err = fail(&c, p, "'%s' is a question's code now", set.items[i].old_codes[k]);
				goto done;
			}
	}
	for (s = 0; s < c.nsections; s++) {
		for (i = 0; i < set.n && set.items[i].q.section != c.sections[s]; i++)
			;
		if (i == set.n) {
			char p[32];

			snprintf(p, sizeof p, "sections[%zu]", s);
			err = fail(&c, p, "section '%s' has no questions", c.sections[s]);
			goto done;
		}
	}
	arr = json_object_get(root, "rules");
	if (!json_is_array(arr) || json_array_size(arr) > TRP_SCREEN_RULES_MAX) {
		err = fail(&c, "rules", "expected a list of at most %d rule objects", TRP_SCREEN_RULES_MAX);
		goto done;
	}
	if (json_array_size(arr)) {
		set.rules = trp__arena_alloc(&set.arena, json_array_size(arr) * sizeof *set.rules);
		if (!set.rules) {
			err = TRP_ENOMEM;
			goto done;
		}
	}
	json_array_foreach(arr, i, v) {
		if ((err = read_rule(&c, v, i, set.rules)))
			goto done;
		set.nrules++;
	}
done:
	if (close_text(&c, root, set.arena, err))
		return err;
	*out = set;
	return TRP_OK;
}

void trp__screen_set_free(struct trp__screen_set *set)
{
	if (!set)
		return;
	trp__arena_free(set->arena);
	memset(set, 0, sizeof *set);
}

/* ---------------------------------------------------------------- whole-body factors */

trp_err trp__factors_load(const char *file, const char *text, size_t len,
			  struct trp__factor_set *out, char *msg, size_t msgsize)
{
	struct trp__factor_set set = { NULL, 0, NULL };
	struct ctx c;
	json_t *root, *v;
	size_t i, j;
	trp_err err;

	memset(out, 0, sizeof *out);
	root = open_text(&c, &set.arena, file, text, len, msg, msgsize, &err);
	if (!root)
		return err;
	if (!json_is_array(root) || json_array_size(root) == 0 || json_array_size(root) > FACTORS_MAX) {
		err = fail(&c, "", "expected a list of 1 to %d factor objects", FACTORS_MAX);
		goto done;
	}
	set.items = trp__arena_alloc(&set.arena, json_array_size(root) * sizeof *set.items);
	if (!set.items) {
		err = TRP_ENOMEM;
		goto done;
	}
	json_array_foreach(root, i, v) {
		trp_body_factor *f = &set.items[i];
		char path[32], p[48];

		snprintf(path, sizeof path, "[%zu]", i);
		memset(f, 0, sizeof *f);
		if ((err = trp__json_check_fields(&c.src, TRP_ESCHEMA, v, path, factor_fields)) ||
		    (err = get_code(&c, v, path, "code", &f->code)) ||
		    (err = get_text(&c, v, path, "name", &f->name)) ||
		    (err = get_text(&c, v, path, "text", &f->text)) ||
		    (err = get_text(&c, v, path, "ask", &f->ask)) ||
		    (err = get_strings(&c, v, path, "sources", SOURCES_MAX, NULL, "source",
				       &f->sources, &f->nsources)))
			goto done;
		snprintf(p, sizeof p, "%s.code", path);
		for (j = 0; j < i; j++)
			if (strcmp(set.items[j].code, f->code) == 0) {
				err = fail(&c, p, "duplicate code '%s'", f->code);
				goto done;
			}
		set.n++;
	}
done:
	if (close_text(&c, root, set.arena, err))
		return err;
	*out = set;
	return TRP_OK;
}

void trp__factor_set_free(struct trp__factor_set *set)
{
	if (!set)
		return;
	trp__arena_free(set->arena);
	memset(set, 0, sizeof *set);
}
