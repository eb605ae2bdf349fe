/*
 * screen_load.c: loading and validating the screening questions (data/screen.json,
 * docs/release.md). screengen runs this at build time, so a broken file fails the build
 * with its file, line and field; the tables it writes are what libtrp uses.
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

static const char *const fields[] = {
	"code", "group", "question", "message", "source", "max_pressure", "no_heat",
	"light_regions", "avoid_regions", "caution_techniques", NULL
};
static const char *const required[] = { "code", "group", "question", "message", "source", NULL };
static const char *const effects[] = {
	"max_pressure", "no_heat", "light_regions", "avoid_regions", "caution_techniques", NULL
};

struct ctx {
	struct trp__json_src src;
	struct trp__arena **arena;
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

/* A non-empty string of at most TEXT_MAX bytes at obj.key, copied into the arena. */
static trp_err get_text(struct ctx *c, json_t *obj, const char *path, const char *key,
			const char **out)
{
	char p[128];
	json_t *v = json_object_get(obj, key);

	*out = NULL;
	snprintf(p, sizeof p, "%s.%s", path, key);
	if (!json_is_string(v) || trp__blank(json_string_value(v)))
		return fail(c, p, "expected a non-empty string");
	if (json_string_length(v) > TEXT_MAX)
		return fail(c, p, "longer than %d bytes", TEXT_MAX);
	*out = trp__arena_strdup(c->arena, json_string_value(v));
	return *out ? TRP_OK : TRP_ENOMEM;
}

/* A list of region names at obj.key (absent: none), as indices in the arena. */
static trp_err get_regions(struct ctx *c, json_t *obj, const char *path, const char *key,
			   const int **out, size_t *n)
{
	char p[128];
	json_t *arr = json_object_get(obj, key), *v;
	int *regions;
	size_t i, j;

	*out = NULL;
	*n = 0;
	if (!arr)
		return TRP_OK;
	snprintf(p, sizeof p, "%s.%s", path, key);
	if (!json_is_array(arr) || json_array_size(arr) == 0 || json_array_size(arr) > REGIONS_MAX)
		return fail(c, p, "expected a list of 1 to %d region names", REGIONS_MAX);
	regions = trp__arena_alloc(c->arena, json_array_size(arr) * sizeof *regions);
	if (!regions)
		return TRP_ENOMEM;
	json_array_foreach(arr, i, v) {
		char q[160];
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
	char p[128];
	json_t *v;
	size_t i;
	trp_err err;

	if ((v = json_object_get(obj, "max_pressure"))) {
		snprintf(p, sizeof p, "%s.max_pressure", path);
		if (!json_is_string(v) || strcmp(json_string_value(v), "light") != 0)
			return fail(c, p, "expected \"light\"");
		it->light_pressure = 1;
	}
	if ((v = json_object_get(obj, "no_heat"))) {
		snprintf(p, sizeof p, "%s.no_heat", path);
		if (!json_is_true(v))
			return fail(c, p, "expected true (leave the field out when heat is fine)");
		it->no_heat = 1;
	}
	if ((err = get_regions(c, obj, path, "light_regions", &it->light_regions, &it->nlight)) ||
	    (err = get_regions(c, obj, path, "avoid_regions", &it->avoid_regions, &it->navoid)))
		return err;
	if ((v = json_object_get(obj, "caution_techniques"))) {
		json_t *t;

		snprintf(p, sizeof p, "%s.caution_techniques", path);
		if (!json_is_array(v) || json_array_size(v) == 0)
			return fail(c, p, "expected a list of techniques");
		json_array_foreach(v, i, t) {
			char q[160];
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

static trp_err read_item(struct ctx *c, json_t *obj, size_t index, struct trp__screen_item *items)
{
	static const char *const groups[] = { "emergency", "see_doctor", "precaution", NULL };
	struct trp__screen_item *it = &items[index];
	char path[32], p[128];
	const char *key;
	json_t *v;
	size_t i;
	int g, k, has_effect = 0;
	trp_err err;

	memset(it, 0, sizeof *it);
	snprintf(path, sizeof path, "[%zu]", index);
	if (!json_is_object(obj))
		return fail(c, path, "expected an object with the fields code, group, question, message and source");
	json_object_foreach(obj, key, v) {
		if (trp__word_index(fields, key) < 0) {
			snprintf(p, sizeof p, "%s.%s", path, key);
			return fail(c, p, "unknown field (expected code, group, question, message, source, "
				    "and for a precaution max_pressure, no_heat, light_regions, avoid_regions "
				    "or caution_techniques)");
		}
	}
	for (k = 0; required[k]; k++)
		if (!json_object_get(obj, required[k]))
			return fail(c, path, "missing field '%s'", required[k]);
	if ((err = get_text(c, obj, path, "code", &it->q.code)))
		return err;
	snprintf(p, sizeof p, "%s.code", path);
	if (!snake_case(it->q.code) || strlen(it->q.code) > CODE_MAX)
		return fail(c, p, "'%.64s' is not a snake_case code of at most %d bytes (a-z, 0-9, _)",
			    it->q.code, CODE_MAX);
	for (i = 0; i < index; i++)
		if (strcmp(items[i].q.code, it->q.code) == 0)
			return fail(c, p, "duplicate code '%s'", it->q.code);
	v = json_object_get(obj, "group");
	snprintf(p, sizeof p, "%s.group", path);
	g = json_is_string(v) ? trp__word_index(groups, json_string_value(v)) : -1;
	if (g < 0)
		return fail(c, p, "expected emergency, see_doctor or precaution");
	it->q.group = (trp_screen_group)g;
	if (index > 0 && items[index - 1].q.group > it->q.group)
		return fail(c, p, "'%s' after a '%s' question (list the groups in the order they are "
			    "asked: emergency, see_doctor, precaution)", groups[g],
			    groups[items[index - 1].q.group]);
	if ((err = get_text(c, obj, path, "question", &it->q.question)) ||
	    (err = get_text(c, obj, path, "message", &it->q.message)) ||
	    (err = get_text(c, obj, path, "source", &it->q.source)))
		return err;
	for (k = 0; effects[k]; k++) {
		if (!json_object_get(obj, effects[k]))
			continue;
		has_effect = 1;
		if (it->q.group != TRP_GROUP_PRECAUTION) {
			snprintf(p, sizeof p, "%s.%s", path, effects[k]);
			return fail(c, p, "only a precaution question changes a plan (this one is '%s')",
				    groups[g]);
		}
	}
	if (it->q.group == TRP_GROUP_PRECAUTION && !has_effect)
		return fail(c, path, "a precaution must change the plan: give max_pressure, no_heat, "
			    "light_regions, avoid_regions or caution_techniques");
	return read_effects(c, obj, path, it);
}

trp_err trp__screen_load(const char *file, const char *text, size_t len,
			 struct trp__screen_set *out, char *msg, size_t msgsize)
{
	struct trp__screen_set set = { NULL, 0, NULL };
	struct ctx c = { { file, text, len, msg, msgsize }, &set.arena };
	json_error_t jerr;
	json_t *root, *v;
	size_t i;
	trp_err err = TRP_OK;

	memset(out, 0, sizeof *out);
	root = json_loadb(text, len, JSON_REJECT_DUPLICATES, &jerr);
	if (!root) {
		trp__msg(msg, msgsize, "%s:%d:%d: %s", file, jerr.line, jerr.column, jerr.text);
		return TRP_EPARSE;
	}
	if (!json_is_array(root) || json_array_size(root) == 0 ||
	    json_array_size(root) > TRP_SCREEN_MAX) {
		err = fail(&c, "", "expected a list of 1 to %d question objects", TRP_SCREEN_MAX);
		goto done;
	}
	set.items = trp__arena_alloc(&set.arena, json_array_size(root) * sizeof *set.items);
	if (!set.items) {
		err = TRP_ENOMEM;
		goto done;
	}
	json_array_foreach(root, i, v) {
		if ((err = read_item(&c, v, i, set.items)))
			goto done;
		set.n++;
	}
done:
	json_decref(root);
	if (err) {
		if (err == TRP_ENOMEM)
			trp__msg(msg, msgsize, "%s: out of memory", file);
		trp__arena_free(set.arena);
		return err;
	}
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
