/*
 * atlas.c: loading and validating the muscle atlas (docs/atlas.md), and reading it.
 *
 * A run-time atlas is parsed with jansson and copied into an arena owned by the atlas;
 * the built-in atlas is the same structures as static tables (atlasgen writes them from
 * this very loader's result). Every check of the schema lives here.
 */
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <jansson.h>

#include "atlas_impl.h"

#define FILE_MAX (256 * 1024)   /* one muscle's file; the largest real one is ~12 KiB */
#define TEXT_MAX 4096            /* one string */
#define LIST_MAX 64              /* items in one list */
#define DIR_MAX 1024             /* files in an atlas directory */
#define PATH_LEN 256

const char *const trp__families[] = {
	"trapezius", "sternocleidomastoid", "scalene", "deltoid", "multifidus", "iliocostalis",
	"rhomboid", "serratus_posterior", "extensor_carpi_radialis", "fibularis", "gluteus",
	"quadriceps", "hamstrings", "hand_interossei", NULL
};

/* Other names of families, accepted wherever a family is. */
static const struct { const char *alias, *family; } family_aliases[] = {
	{ "scm", "sternocleidomastoid" }, { "traps", "trapezius" }, { "scalenes", "scalene" },
	{ "scaleni", "scalene" }, { "delts", "deltoid" }, { "deltoids", "deltoid" },
	{ "multifidi", "multifidus" }, { "rhomboids", "rhomboid" }, { "peroneus", "fibularis" },
	{ "peroneals", "fibularis" }, { "glutes", "gluteus" }, { "gluteals", "gluteus" },
	{ "quads", "quadriceps" }, { "quadriceps_femoris", "quadriceps" },
	{ "hamstring", "hamstrings" }, { NULL, NULL }
};

/* The family `name` stands for (itself or through an alias), or NULL. */
static const char *family_of(const char *name)
{
	int i;

	for (i = 0; trp__families[i]; i++)
		if (strcmp(trp__families[i], name) == 0)
			return trp__families[i];
	for (i = 0; family_aliases[i].alias; i++)
		if (strcmp(family_aliases[i].alias, name) == 0)
			return family_aliases[i].family;
	return NULL;
}

static const char *const groups[] = {
	"head_jaw", "neck", "shoulder_upper_back", "arm_hand", "trunk", "pelvis", "hip_thigh",
	"leg_foot", NULL
};

static const char *const zone_kinds[] = { "essential", "spillover", NULL };
static const char *const side_rules[] = { "same", "opposite", "both", NULL };
static const char *const techniques[] = {
	"pressure", "ball_wall", "ball_floor", "foam_roller", "stretch", "heat", NULL
};
static const char *const professionals[] = {
	"dry_needling", "injection", "manual_therapy", "spray_and_stretch", NULL
};

/* ---------------------------------------------------------------- validation */

struct ctx {
	trp_atlas *atlas;
	struct trp__json_src src;
};

/* Writes "file:line: path: what" into the message and returns TRP_ESCHEMA. */
#define fail(c, ...) trp__json_fail(&(c)->src, TRP_ESCHEMA, __VA_ARGS__)

static char *copy_text(struct ctx *c, const char *s)
{
	size_t n = strlen(s) + 1;
	char *d = trp__arena_alloc(&c->atlas->arena, n);

	if (d)
		memcpy(d, s, n);
	return d;
}

/* Checks that obj has exactly the fields of `fields` (NULL-terminated). */
static trp_err check_fields(struct ctx *c, json_t *obj, const char *path,
			    const char *const *fields)
{
	return trp__json_check_fields(&c->src, TRP_ESCHEMA, obj, path, fields);
}

/* A non-empty string at obj.key, copied; or NULL when null is allowed and given. */
static trp_err get_text(struct ctx *c, json_t *obj, const char *path, const char *key,
			int null_ok, const char **out)
{
	char p[PATH_LEN];
	json_t *v = json_object_get(obj, key);

	*out = NULL;
	trp__path_join(p, sizeof p, path, key);
	if (null_ok && json_is_null(v))
		return TRP_OK;
	if (!json_is_string(v))
		return fail(c, p, "expected a string%s", null_ok ? " or null" : "");
	if (trp__blank(json_string_value(v)))
		return fail(c, p, "must not be empty");
	if (json_string_length(v) > TEXT_MAX)
		return fail(c, p, "longer than %d bytes", TEXT_MAX);
	*out = copy_text(c, json_string_value(v));
	return *out ? TRP_OK : TRP_ENOMEM;
}

/* A word of `words` at obj.key; *out is its index. */
static trp_err get_word(struct ctx *c, json_t *obj, const char *path, const char *key,
			const char *const *words, int *out)
{
	char p[PATH_LEN], list[512];
	json_t *v = json_object_get(obj, key);

	trp__path_join(p, sizeof p, path, key);
	*out = json_is_string(v) ? trp__word_index(words, json_string_value(v)) : -1;
	if (*out < 0)
		return fail(c, p, "expected %s", trp__word_list(list, sizeof list, words));
	return TRP_OK;
}

/* The array at obj.key, with min..LIST_MAX items. */
static trp_err get_array(struct ctx *c, json_t *obj, const char *key, size_t min, json_t **out)
{
	json_t *v = json_object_get(obj, key);

	*out = v;
	if (!json_is_array(v))
		return fail(c, key, "expected a list");
	if (json_array_size(v) < min)
		return fail(c, key, "needs at least %zu item%s", min, min == 1 ? "" : "s");
	if (json_array_size(v) > LIST_MAX)
		return fail(c, key, "more than %d items", LIST_MAX);
	return TRP_OK;
}

static void *alloc_items(struct ctx *c, size_t n, size_t size)
{
	return n ? trp__arena_alloc(&c->atlas->arena, n * size) : NULL;
}

static trp_err get_texts(struct ctx *c, json_t *obj, const char *key, size_t min,
			 const char *const **out, size_t *n)
{
	const char **items;
	json_t *arr, *v;
	size_t i;
	trp_err err = get_array(c, obj, key, min, &arr);

	*out = NULL;
	*n = 0;
	if (err)
		return err;
	items = alloc_items(c, json_array_size(arr), sizeof *items);
	if (json_array_size(arr) && !items)
		return TRP_ENOMEM;
	json_array_foreach(arr, i, v) {
		char p[PATH_LEN];

		snprintf(p, sizeof p, "%s[%zu]", key, i);
		if (!json_is_string(v) || trp__blank(json_string_value(v)))
			return fail(c, p, "expected a non-empty string");
		if (json_string_length(v) > TEXT_MAX)
			return fail(c, p, "longer than %d bytes", TEXT_MAX);
		items[i] = copy_text(c, json_string_value(v));
		if (!items[i])
			return TRP_ENOMEM;
	}
	*out = items;
	*n = json_array_size(arr);
	return TRP_OK;
}

static trp_err get_region(struct ctx *c, json_t *obj, const char *path, int *out)
{
	char p[PATH_LEN];
	json_t *v = json_object_get(obj, "region");

	trp__path_join(p, sizeof p, path, "region");
	*out = json_is_string(v) ? trp_region_find(json_string_value(v)) : -1;
	if (*out >= 0)
		return TRP_OK;
	if (!json_is_string(v))
		return fail(c, p, "expected a region name");
	{
		int near[3], n = trp_region_suggest(json_string_value(v), near, 3);

		return fail(c, p, "unknown region '%.64s'%s%s%s", json_string_value(v),
			    n ? " (did you mean '" : " (see data/regions.tsv)",
			    n ? trp_region_name(near[0]) : "", n ? "'?)" : "");
	}
}

static int snake_case(const char *s)
{
	if (!islower((unsigned char)*s))
		return 0;
	for (; *s; s++)
		if (!islower((unsigned char)*s) && !isdigit((unsigned char)*s) && *s != '_')
			return 0;
	return 1;
}

/* The muscle already in the atlas that uses `name` as id or alias, or NULL. */
static const struct trp_muscle *name_taken(const trp_atlas *a, const char *name)
{
	size_t i, j;

	for (i = 0; i < a->n; i++) {
		const struct trp_muscle *m = &a->owned[i];

		if (strcmp(m->id, name) == 0)
			return m;
		for (j = 0; j < m->ntexts[TRP_ALIASES]; j++)
			if (strcmp(m->texts[TRP_ALIASES][j], name) == 0)
				return m;
	}
	return NULL;
}

static trp_err read_identity(struct ctx *c, json_t *root, const char *expect_id,
			     struct trp_muscle *m)
{
	const struct trp_muscle *other;
	int vocab, g;
	size_t i;
	trp_err err;

	if ((err = get_text(c, root, "", "id", 0, &m->id)))
		return err;
	vocab = trp__vocab_muscle_find(m->id);
	if (vocab < 0)
		return fail(c, "id", "unknown muscle '%.64s' (not in data/muscles.tsv)", m->id);
	if (expect_id && strcmp(expect_id, m->id) != 0)
		return fail(c, "id", "'%s' does not match the file name '%.64s.json'", m->id, expect_id);
	if (name_taken(c->atlas, m->id))
		return fail(c, "id", "duplicate id '%s'", m->id);
	if ((err = get_text(c, root, "", "name", 0, &m->name)))
		return err;
	if ((err = get_text(c, root, "", "family", 1, &m->family)))
		return err;
	if (m->family && trp__word_index(trp__families, m->family) < 0) {
		char list[512];

		return fail(c, "family", "unknown family '%.64s' (expected null or %s)", m->family,
			    trp__word_list(list, sizeof list, trp__families));
	}
	if ((err = get_word(c, root, "", "group", groups, &g)))
		return err;
	m->group = groups[g];
	if (strcmp(m->group, trp__vocab_muscles[vocab].group) != 0)
		return fail(c, "group", "'%s' is in group '%s' in data/muscles.tsv", m->id,
			    trp__vocab_muscles[vocab].group);
	if ((err = get_texts(c, root, "aliases", 0, &m->texts[TRP_ALIASES], &m->ntexts[TRP_ALIASES])))
		return err;
	for (i = 0; i < m->ntexts[TRP_ALIASES]; i++) {
		const char *al = m->texts[TRP_ALIASES][i];
		char p[PATH_LEN];
		size_t j;

		snprintf(p, sizeof p, "aliases[%zu]", i);
		if (!snake_case(al))
			return fail(c, p, "'%.64s' is not snake_case (a-z, 0-9, _)", al);
		if (trp__vocab_muscle_find(al) >= 0 || family_of(al))
			return fail(c, p, "'%s' is a muscle or family identifier", al);
		other = name_taken(c->atlas, al);
		if (other)
			return fail(c, p, "'%s' is already a name of %s", al, other->id);
		for (j = 0; j < i; j++)
			if (strcmp(m->texts[TRP_ALIASES][j], al) == 0)
				return fail(c, p, "'%s' given twice", al);
	}
	return TRP_OK;
}

static trp_err read_points(struct ctx *c, json_t *root, struct trp_muscle *m)
{
	static const char *const fields[] = { "name", "region", "location", "palpation", NULL };
	trp_trigger_point *tps;
	json_t *arr, *v;
	size_t i;
	trp_err err;

	if ((err = get_array(c, root, "trigger_points", 1, &arr)))
		return err;
	tps = alloc_items(c, json_array_size(arr), sizeof *tps);
	if (!tps)
		return TRP_ENOMEM;
	json_array_foreach(arr, i, v) {
		char p[PATH_LEN];

		snprintf(p, sizeof p, "trigger_points[%zu]", i);
		if ((err = check_fields(c, v, p, fields)) ||
		    (err = get_text(c, v, p, "name", 0, &tps[i].name)) ||
		    (err = get_region(c, v, p, &tps[i].region)) ||
		    (err = get_text(c, v, p, "location", 0, &tps[i].location)) ||
		    (err = get_text(c, v, p, "palpation", 0, &tps[i].palpation)))
			return err;
	}
	m->tps = tps;
	m->ntps = json_array_size(arr);
	return TRP_OK;
}

static trp_err read_referral(struct ctx *c, json_t *root, struct trp_muscle *m)
{
	static const char *const fields[] = { "region", "kind", "side", NULL };
	trp_zone *zones;
	json_t *arr, *v;
	size_t i, j;
	int essential = 0;
	trp_err err;

	if ((err = get_array(c, root, "referral", 1, &arr)))
		return err;
	zones = alloc_items(c, json_array_size(arr), sizeof *zones);
	if (!zones)
		return TRP_ENOMEM;
	json_array_foreach(arr, i, v) {
		char p[PATH_LEN];
		int kind, side;

		snprintf(p, sizeof p, "referral[%zu]", i);
		if ((err = check_fields(c, v, p, fields)) ||
		    (err = get_region(c, v, p, &zones[i].region)) ||
		    (err = get_word(c, v, p, "kind", zone_kinds, &kind)) ||
		    (err = get_word(c, v, p, "side", side_rules, &side)))
			return err;
		zones[i].kind = (trp_zone_kind)kind;
		zones[i].side = (trp_side_rule)side;
		essential |= kind == TRP_ESSENTIAL;
		for (j = 0; j < i; j++)
			if (zones[j].region == zones[i].region)
				return fail(c, p, "region '%s' appears twice in the pattern",
					    trp_region_name(zones[i].region));
	}
	if (!essential)
		return fail(c, "referral", "needs at least one essential zone");
	m->zones = zones;
	m->nzones = json_array_size(arr);
	return TRP_OK;
}

static trp_err read_care(struct ctx *c, json_t *root, struct trp_muscle *m)
{
	static const char *const care_fields[] = { "technique", "how", NULL };
	static const char *const caution_fields[] = { "text", "techniques", NULL };
	static const char *const pro_fields[] = { "option", "note", NULL };
	trp_self_care *care;
	trp_caution *cautions;
	trp_professional *pro;
	json_t *arr, *v;
	size_t i;
	unsigned seen = 0;
	trp_err err;

	if ((err = get_array(c, root, "self_care", 1, &arr)))
		return err;
	care = alloc_items(c, json_array_size(arr), sizeof *care);
	if (!care)
		return TRP_ENOMEM;
	json_array_foreach(arr, i, v) {
		char p[PATH_LEN];
		int t;

		snprintf(p, sizeof p, "self_care[%zu]", i);
		if ((err = check_fields(c, v, p, care_fields)) ||
		    (err = get_word(c, v, p, "technique", techniques, &t)) ||
		    (err = get_text(c, v, p, "how", 0, &care[i].how)))
			return err;
		if (seen & (1u << t))
			return fail(c, p, "technique '%s' appears twice", techniques[t]);
		seen |= 1u << t;
		care[i].technique = (trp_technique)t;
	}
	m->care = care;
	m->ncare = json_array_size(arr);

	if ((err = get_array(c, root, "cautions", 0, &arr)))
		return err;
	cautions = alloc_items(c, json_array_size(arr), sizeof *cautions);
	if (json_array_size(arr) && !cautions)
		return TRP_ENOMEM;
	json_array_foreach(arr, i, v) {
		char p[PATH_LEN], q[PATH_LEN * 2], list[512];
		json_t *ts, *t;
		size_t k;

		snprintf(p, sizeof p, "cautions[%zu]", i);
		if ((err = check_fields(c, v, p, caution_fields)) ||
		    (err = get_text(c, v, p, "text", 0, &cautions[i].text)))
			return err;
		ts = json_object_get(v, "techniques");
		snprintf(q, sizeof q, "%s.techniques", p);
		if (!json_is_array(ts))
			return fail(c, q, "expected a list of techniques");
		cautions[i].techniques = 0;
		json_array_foreach(ts, k, t) {
			int w = json_is_string(t) ? trp__word_index(techniques, json_string_value(t)) : -1;

			snprintf(q, sizeof q, "%s.techniques[%zu]", p, k);
			if (w < 0)
				return fail(c, q, "expected %s", trp__word_list(list, sizeof list, techniques));
			cautions[i].techniques |= 1u << w;
		}
	}
	m->cautions = cautions;
	m->ncautions = json_array_size(arr);

	if ((err = get_array(c, root, "professional", 0, &arr)))
		return err;
	pro = alloc_items(c, json_array_size(arr), sizeof *pro);
	if (json_array_size(arr) && !pro)
		return TRP_ENOMEM;
	json_array_foreach(arr, i, v) {
		char p[PATH_LEN];
		int o;

		snprintf(p, sizeof p, "professional[%zu]", i);
		if ((err = check_fields(c, v, p, pro_fields)) ||
		    (err = get_word(c, v, p, "option", professionals, &o)) ||
		    (err = get_text(c, v, p, "note", 0, &pro[i].note)))
			return err;
		pro[i].option = (trp_professional_option)o;
	}
	m->pro = pro;
	m->npro = json_array_size(arr);
	return TRP_OK;
}

/* "symptoms": free text (strings) and coded entries ({"symptom", "side", "source"}) in
 * one list; the strings become the TRP_SYMPTOMS texts, the objects m->coded. */
static trp_err read_symptoms(struct ctx *c, json_t *root, struct trp_muscle *m)
{
	static const char *const fields[] = { "symptom", "side", "source", NULL };
	const char **texts;
	trp_coded_symptom *coded;
	json_t *arr, *v;
	size_t i, j, ntexts = 0, ncoded = 0, n;
	trp_err err;

	if ((err = get_array(c, root, "symptoms", 0, &arr)))
		return err;
	n = json_array_size(arr);
	texts = alloc_items(c, n, sizeof *texts);
	coded = alloc_items(c, n, sizeof *coded);
	if (n && (!texts || !coded))
		return TRP_ENOMEM;
	json_array_foreach(arr, i, v) {
		char p[PATH_LEN], q[PATH_LEN + 16];
		json_t *name;
		int side;

		snprintf(p, sizeof p, "symptoms[%zu]", i);
		if (json_is_string(v)) {
			if (trp__blank(json_string_value(v)))
				return fail(c, p, "expected a non-empty string");
			if (json_string_length(v) > TEXT_MAX)
				return fail(c, p, "longer than %d bytes", TEXT_MAX);
			if (!(texts[ntexts++] = copy_text(c, json_string_value(v))))
				return TRP_ENOMEM;
			continue;
		}
		if (!json_is_object(v))
			return fail(c, p, "expected a string or {\"symptom\", \"side\", \"source\"}");
		if ((err = check_fields(c, v, p, fields)))
			return err;
		name = json_object_get(v, "symptom");
		snprintf(q, sizeof q, "%s.symptom", p);
		coded[ncoded].symptom = json_is_string(name) ? trp_symptom_find(json_string_value(name)) : -1;
		if (coded[ncoded].symptom < 0) {
			int near[1], k = json_is_string(name) ? trp_symptom_suggest(json_string_value(name), near, 1) : 0;

			if (!json_is_string(name))
				return fail(c, q, "expected a symptom name");
			return fail(c, q, "unknown symptom '%.64s'%s%s%s", json_string_value(name),
				    k ? " (did you mean '" : " (see data/symptoms.tsv)",
				    k ? trp_symptom_name(near[0]) : "", k ? "'?)" : "");
		}
		if ((err = get_word(c, v, p, "side", side_rules, &side)) ||
		    (err = get_text(c, v, p, "source", 0, &coded[ncoded].source)))
			return err;
		coded[ncoded].side = (trp_side_rule)side;
		snprintf(q, sizeof q, "%s.side", p);
		if (!trp_symptom_sided(coded[ncoded].symptom) && side != TRP_BOTH_SIDES)
			return fail(c, q, "'%s' takes no side: the side is \"both\"",
				    trp_symptom_name(coded[ncoded].symptom));
		for (j = 0; j < ncoded; j++)
			if (coded[j].symptom == coded[ncoded].symptom)
				return fail(c, q, "symptom '%s' is coded twice",
					    trp_symptom_name(coded[ncoded].symptom));
		ncoded++;
	}
	m->texts[TRP_SYMPTOMS] = ntexts ? texts : NULL;
	m->ntexts[TRP_SYMPTOMS] = ntexts;
	m->coded = ncoded ? coded : NULL;
	m->ncoded = ncoded;
	return TRP_OK;
}

/* "prior": {"share": 0..1, "among": TEXT, "source": TEXT}, or null where no study gives
 * a figure (docs/find.md says what the model uses then). */
static trp_err read_prior(struct ctx *c, json_t *root, struct trp_muscle *m)
{
	static const char *const fields[] = { "share", "among", "source", NULL };
	json_t *v = json_object_get(root, "prior"), *share;
	trp_err err;

	m->prior.share = -1;
	m->prior.among = NULL;
	m->prior.source = NULL;
	if (json_is_null(v))
		return TRP_OK;
	if (!json_is_object(v))
		return fail(c, "prior", "expected {\"share\", \"among\", \"source\"} or null");
	if ((err = check_fields(c, v, "prior", fields)))
		return err;
	share = json_object_get(v, "share");
	if (!json_is_number(share) || json_number_value(share) < 0 || json_number_value(share) > 1)
		return fail(c, "prior.share", "expected a number from 0 to 1");
	m->prior.share = json_number_value(share);
	if ((err = get_text(c, v, "prior", "among", 0, &m->prior.among)) ||
	    (err = get_text(c, v, "prior", "source", 0, &m->prior.source)))
		return err;
	return TRP_OK;
}

static trp_err read_muscle(struct ctx *c, json_t *root, const char *expect_id,
			   struct trp_muscle *m)
{
	static const char *const fields[] = {
		"id", "name", "family", "aliases", "group", "actions", "trigger_points",
		"referral", "symptoms", "functional_complaints", "causes", "perpetuating_factors",
		"self_care", "cautions", "professional", "prior", "sources", NULL
	};
	trp_err err;

	memset(m, 0, sizeof *m);
	if ((err = check_fields(c, root, "", fields)) ||
	    (err = read_identity(c, root, expect_id, m)) ||
	    (err = get_texts(c, root, "actions", 1, &m->texts[TRP_ACTIONS], &m->ntexts[TRP_ACTIONS])) ||
	    (err = read_points(c, root, m)) ||
	    (err = read_referral(c, root, m)) ||
	    (err = read_symptoms(c, root, m)) ||
	    (err = get_texts(c, root, "functional_complaints", 0, &m->texts[TRP_FUNCTIONAL_COMPLAINTS],
			     &m->ntexts[TRP_FUNCTIONAL_COMPLAINTS])) ||
	    (err = get_texts(c, root, "causes", 1, &m->texts[TRP_CAUSES], &m->ntexts[TRP_CAUSES])) ||
	    (err = get_texts(c, root, "perpetuating_factors", 0, &m->texts[TRP_PERPETUATING_FACTORS],
			     &m->ntexts[TRP_PERPETUATING_FACTORS])) ||
	    (err = read_care(c, root, m)) ||
	    (err = read_prior(c, root, m)) ||
	    (err = get_texts(c, root, "sources", 1, &m->texts[TRP_SOURCES], &m->ntexts[TRP_SOURCES])))
		return err;
	return TRP_OK;
}

/* ---------------------------------------------------------------- building */

trp_err trp__atlas_new(trp_atlas **out)
{
	*out = calloc(1, sizeof **out);
	return *out ? TRP_OK : TRP_ENOMEM;
}

trp_err trp__atlas_add_json(trp_atlas *atlas, const char *file, const char *expect_id,
			    const char *text, size_t len, char *msg, size_t msgsize)
{
	struct ctx c = { atlas, { file, text, len, msg, msgsize } };
	json_error_t jerr;
	json_t *root;
	trp_err err;

	root = json_loadb(text, len, JSON_REJECT_DUPLICATES, &jerr);
	if (!root) {
		trp__msg(msg, msgsize, "%s:%d:%d: %s", file, jerr.line, jerr.column, jerr.text);
		return TRP_EPARSE;
	}
	if (atlas->n == atlas->cap) {
		size_t cap = atlas->cap ? atlas->cap * 2 : 128;
		struct trp_muscle *grown = realloc(atlas->owned, cap * sizeof *grown);

		if (!grown) {
			err = TRP_ENOMEM;
			goto done;
		}
		atlas->owned = grown;
		atlas->muscles = grown;
		atlas->cap = cap;
	}
	err = read_muscle(&c, root, expect_id, &atlas->owned[atlas->n]);
	if (err == TRP_ENOMEM)
		trp__msg(msg, msgsize, "%s: out of memory", file);
	if (err == TRP_OK)
		atlas->n++;
done:
	json_decref(root);
	return err;
}

static int by_vocabulary(const void *a, const void *b)
{
	int ia = trp__vocab_muscle_find(((const struct trp_muscle *)a)->id);
	int ib = trp__vocab_muscle_find(((const struct trp_muscle *)b)->id);

	return (ia > ib) - (ia < ib);
}

void trp__atlas_finish(trp_atlas *atlas)
{
	size_t i;

	if (atlas->n)
		qsort(atlas->owned, atlas->n, sizeof *atlas->owned, by_vocabulary);
	for (i = 0; i < atlas->n; i++)
		atlas->owned[i].index = i;
}

static int by_name(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static trp_err read_file(const char *path, char **text, size_t *len, char *msg, size_t msgsize)
{
	FILE *f = fopen(path, "rb");
	char *buf = NULL;
	size_t n = 0;
	trp_err err = TRP_OK;

	*text = NULL;
	*len = 0;
	if (!f) {
		trp__msg(msg, msgsize, "%s: %s", path, strerror(errno));
		return TRP_EIO;
	}
	buf = malloc(FILE_MAX + 1);
	if (!buf) {
		err = TRP_ENOMEM;
		goto done;
	}
	n = fread(buf, 1, FILE_MAX + 1, f);
	if (ferror(f)) {
		trp__msg(msg, msgsize, "%s: %s", path, strerror(errno));
		err = TRP_EIO;
	} else if (n > FILE_MAX) {
		trp__msg(msg, msgsize, "%s: larger than %d KiB", path, FILE_MAX / 1024);
		err = TRP_ESCHEMA;
	}
done:
	fclose(f);
	if (err) {
		free(buf);
		return err;
	}
	buf[n] = '\0';
	*text = buf;
	*len = n;
	return TRP_OK;
}

trp_err trp_atlas_open_dir(const char *dir, trp_atlas **out, char *msg, size_t msgsize)
{
	char *names[DIR_MAX];
	size_t nnames = 0, i;
	trp_atlas *atlas = NULL;
	struct dirent *ent;
	DIR *d;
	trp_err err = TRP_OK;

	if (out)
		*out = NULL;
	if (!dir || !out) {
		trp__msg(msg, msgsize, "no atlas directory given");
		return TRP_EINVAL;
	}
	d = opendir(dir);
	if (!d) {
		trp__msg(msg, msgsize, "%s: %s", dir, strerror(errno));
		return TRP_EIO;
	}
	while ((ent = readdir(d))) {
		size_t n = strlen(ent->d_name);

		if (n <= 5 || strcmp(ent->d_name + n - 5, ".json") != 0 || ent->d_name[0] == '.')
			continue;
		if (nnames == DIR_MAX) {
			trp__msg(msg, msgsize, "%s: more than %d atlas files", dir, DIR_MAX);
			err = TRP_ESCHEMA;
			goto done;
		}
		names[nnames] = strdup(ent->d_name);
		if (!names[nnames]) {
			err = TRP_ENOMEM;
			goto done;
		}
		nnames++;
	}
	if (nnames == 0) {
		trp__msg(msg, msgsize, "%s: no muscle files (*.json) in this directory", dir);
		err = TRP_ESCHEMA;
		goto done;
	}
	qsort(names, nnames, sizeof names[0], by_name);
	if ((err = trp__atlas_new(&atlas)))
		goto done;
	for (i = 0; i < nnames; i++) {
		char path[4096], id[PATH_LEN];
		char *text;
		size_t len, idlen = strlen(names[i]) - 5;

		snprintf(path, sizeof path, "%s/%s", dir, names[i]);
		snprintf(id, sizeof id, "%.*s", (int)(idlen < sizeof id ? idlen : sizeof id - 1), names[i]);
		if ((err = read_file(path, &text, &len, msg, msgsize)))
			goto done;
		err = trp__atlas_add_json(atlas, path, id, text, len, msg, msgsize);
		free(text);
		if (err)
			goto done;
	}
	trp__atlas_finish(atlas);
done:
	closedir(d);
	for (i = 0; i < nnames; i++)
		free(names[i]);
	if (err) {
		trp_atlas_free(atlas);
		if (err == TRP_ENOMEM)
			trp__msg(msg, msgsize, "%s: out of memory", dir);
		return err;
	}
	*out = atlas;
	return TRP_OK;
}

void trp_atlas_free(trp_atlas *atlas)
{
	if (!atlas)
		return;
	trp__arena_free(atlas->arena);
	free(atlas->owned);
	free(atlas);
}

/* ---------------------------------------------------------------- reading */

int trp__vocab_muscle_find(const char *id)
{
	size_t i;

	for (i = 0; i < trp__vocab_muscle_n; i++)
		if (strcmp(trp__vocab_muscles[i].id, id) == 0)
			return (int)i;
	return -1;
}

size_t trp_atlas_count(const trp_atlas *atlas)
{
	return atlas ? atlas->n : 0;
}

const trp_muscle *trp_atlas_muscle(const trp_atlas *atlas, size_t i)
{
	return atlas && i < atlas->n ? &atlas->muscles[i] : NULL;
}

/* Lower-cases name into buf with '-' and ' ' as '_'; 0 when it does not fit. */
static int normalise(const char *name, char *buf, size_t size)
{
	size_t i;

	for (i = 0; name[i]; i++) {
		if (i + 1 >= size)
			return 0;
		buf[i] = name[i] == '-' || name[i] == ' ' ? '_' : (char)tolower((unsigned char)name[i]);
	}
	buf[i] = '\0';
	return 1;
}

const trp_muscle *trp_atlas_find(const trp_atlas *atlas, const char *name)
{
	char key[128];
	size_t i, j;

	if (!atlas || !name || !normalise(name, key, sizeof key))
		return NULL;
	for (i = 0; i < atlas->n; i++)
		if (strcmp(atlas->muscles[i].id, key) == 0)
			return &atlas->muscles[i];
	for (i = 0; i < atlas->n; i++) {
		const struct trp_muscle *m = &atlas->muscles[i];

		for (j = 0; j < m->ntexts[TRP_ALIASES]; j++)
			if (strcmp(m->texts[TRP_ALIASES][j], key) == 0)
				return m;
	}
	return NULL;
}

size_t trp_atlas_family(const trp_atlas *atlas, const char *family,
			const trp_muscle **out, size_t max)
{
	char key[128];
	const char *fam;
	size_t i, n = 0;

	if (!atlas || !family || !normalise(family, key, sizeof key))
		return 0;
	fam = family_of(key);
	for (i = 0; fam && i < atlas->n; i++) {
		const struct trp_muscle *m = &atlas->muscles[i];

		if (m->family && strcmp(m->family, fam) == 0) {
			if (out && n < max)
				out[n] = m;
			n++;
		}
	}
	return n;
}

size_t trp_muscle_index(const trp_muscle *m) { return m->index; }
const char *trp_muscle_id(const trp_muscle *m) { return m->id; }
const char *trp_muscle_name(const trp_muscle *m) { return m->name; }
const char *trp_muscle_family(const trp_muscle *m) { return m->family; }
const char *trp_muscle_group(const trp_muscle *m) { return m->group; }

size_t trp_muscle_texts(const trp_muscle *m, trp_text_list which, const char *const **items)
{
	if ((unsigned)which >= TRP__TEXT_LISTS) {
		*items = NULL;
		return 0;
	}
	*items = m->texts[which];
	return m->ntexts[which];
}

size_t trp_muscle_trigger_points(const trp_muscle *m, const trp_trigger_point **items)
{
	*items = m->tps;
	return m->ntps;
}

size_t trp_muscle_referral(const trp_muscle *m, const trp_zone **items)
{
	*items = m->zones;
	return m->nzones;
}

size_t trp_muscle_self_care(const trp_muscle *m, const trp_self_care **items)
{
	*items = m->care;
	return m->ncare;
}

size_t trp_muscle_cautions(const trp_muscle *m, const trp_caution **items)
{
	*items = m->cautions;
	return m->ncautions;
}

size_t trp_muscle_professional(const trp_muscle *m, const trp_professional **items)
{
	*items = m->pro;
	return m->npro;
}

size_t trp_muscle_symptoms(const trp_muscle *m, const trp_coded_symptom **items)
{
	*items = m->coded;
	return m->ncoded;
}

const trp_prior *trp_muscle_prior(const trp_muscle *m)
{
	return &m->prior;
}

int trp_muscle_gives_symptom(const trp_muscle *m, int symptom, trp_side_rule *rule)
{
	size_t i;

	for (i = 0; i < m->ncoded; i++)
		if (m->coded[i].symptom == symptom) {
			if (rule)
				*rule = m->coded[i].side;
			return 1;
		}
	return 0;
}

const char *trp_zone_kind_name(trp_zone_kind kind)
{
	return (unsigned)kind < 2 ? zone_kinds[kind] : NULL;
}

const char *trp_side_rule_name(trp_side_rule rule)
{
	return (unsigned)rule < 3 ? side_rules[rule] : NULL;
}

const char *trp_technique_name(trp_technique t)
{
	return (unsigned)t < TRP_TECHNIQUE_COUNT ? techniques[t] : NULL;
}

const char *trp_professional_name(trp_professional_option o)
{
	return (unsigned)o < TRP_PROFESSIONAL_COUNT ? professionals[o] : NULL;
}

int trp_muscle_touches_region(const trp_muscle *m, int region)
{
	size_t i;

	for (i = 0; i < m->nzones; i++)
		if (m->zones[i].region == region)
			return 1;
	for (i = 0; i < m->ntps; i++)
		if (m->tps[i].region == region)
			return 1;
	return 0;
}

/* Keeps the best `max` candidates by distance in out/score. */
static void consider(const char *cand, int d, const char **out, int *score, size_t max,
		     size_t *n)
{
	size_t i;

	for (i = 0; i < *n; i++)
		if (strcmp(out[i], cand) == 0)
			return;
	if (*n == max && d >= score[max - 1])
		return;
	for (i = *n < max ? *n : max - 1; i > 0 && score[i - 1] > d; i--) {
		out[i] = out[i - 1];
		score[i] = score[i - 1];
	}
	out[i] = cand;
	score[i] = d;
	if (*n < max)
		(*n)++;
}

size_t trp_atlas_suggest(const trp_atlas *atlas, const char *name, const char **out,
			 size_t max)
{
	char key[128];
	int score[16];
	size_t n = 0, i, j, klen;
	int limit;

	if (!atlas || !name || !out || max == 0 || !normalise(name, key, sizeof key))
		return 0;
	if (max > 16)
		max = 16;
	klen = strlen(key);
	limit = klen <= 4 ? 1 : klen <= 8 ? 2 : 3;
	for (i = 0; i < atlas->n + 32; i++) {
		const struct trp_muscle *m = i < atlas->n ? &atlas->muscles[i] : NULL;
		size_t nnames = m ? 1 + m->ntexts[TRP_ALIASES] : 1;

		if (!m && !trp__families[i - atlas->n])
			break;
		for (j = 0; j < nnames; j++) {
			const char *cand = !m ? trp__families[i - atlas->n]
					 : j == 0 ? m->id : m->texts[TRP_ALIASES][j - 1];
			int d = trp__edit_distance(key, klen, cand, strlen(cand), limit + 1);

			if (d > limit) {
				if (klen < 3 || !strstr(cand, key))
					continue;
				d = limit + 1;
			}
			/* an alias stands for its muscle: suggest the identifier */
			consider(m ? m->id : cand, d, out, score, max, &n);
		}
	}
	return n;
}

trp_relation trp_muscle_relation(const trp_muscle *m, int region)
{
	trp_relation best = TRP_RELATION_NONE;
	size_t i;

	for (i = 0; i < m->nzones; i++)
		if (m->zones[i].region == region) {
			trp_relation r = m->zones[i].kind == TRP_ESSENTIAL ? TRP_REFERS_ESSENTIAL
					 : TRP_REFERS_SPILLOVER;

			if (r > best)
				best = r;
		}
	if (best != TRP_RELATION_NONE)
		return best;
	for (i = 0; i < m->ntps; i++)
		if (m->tps[i].region == region)
			return TRP_LIES_IN;
	return TRP_RELATION_NONE;
}

const char *trp_relation_name(trp_relation relation)
{
	switch (relation) {
	case TRP_REFERS_ESSENTIAL: return "essential_referral";
	case TRP_REFERS_SPILLOVER: return "spillover_referral";
	case TRP_LIES_IN: return "trigger_point";
	case TRP_RELATION_NONE: break;
	}
	return NULL;
}

/* A muscle with the score it would have for a map of one item alone. */
struct scored {
	const trp_muscle *m;
	double score;
};

/* Best score first, then trp_find's tie order, then atlas order (nothing else tells them
 * apart). */
static int by_score(const void *pa, const void *pb)
{
	const struct scored *a = pa, *b = pb;
	int t;

	if (a->score != b->score)
		return a->score > b->score ? -1 : 1;
	t = trp__tie_order(a->m, b->m);
	if (t)
		return t;
	return (a->m->index > b->m->index) - (a->m->index < b->m->index);
}

/* Sorts list[0..n) by the scores and copies up to max into out. */
static size_t put_sorted(struct scored *list, size_t n, const trp_muscle **out, size_t max,
			 size_t at)
{
	size_t i;

	qsort(list, n, sizeof *list, by_score);
	for (i = 0; i < n; i++)
		if (out && at + i < max)
			out[at + i] = list[i].m;
	return n;
}

size_t trp_atlas_region_muscles(const trp_atlas *atlas, int region, const trp_muscle **out,
				size_t max)
{
	struct scored *list;
	size_t n = 0, i, k;
	int r;

	if (region < 0) {
		for (i = 0; i < atlas->n; i++)
			if (out && i < max)
				out[i] = &atlas->muscles[i];
		return atlas->n;
	}
	list = malloc((atlas->n ? atlas->n : 1) * sizeof *list);
	if (!list)
		return 0;
	/* the relation first; within it, as trp_find ranks the region alone */
	for (r = TRP_REFERS_ESSENTIAL; r > TRP_RELATION_NONE; r--) {
		k = 0;
		for (i = 0; i < atlas->n; i++) {
			const trp_muscle *m = &atlas->muscles[i];

			if (trp_muscle_relation(m, region) != (trp_relation)r)
				continue;
			list[k].m = m;
			list[k++].score = trp__alone_score(m, region);
		}
		n += put_sorted(list, k, out, max, n);
	}
	free(list);
	return n;
}

size_t trp_atlas_symptom_muscles(const trp_atlas *atlas, int symptom, const trp_muscle **out,
				 size_t max)
{
	struct scored *list = malloc((atlas->n ? atlas->n : 1) * sizeof *list);
	size_t n = 0, i;

	if (!list)
		return 0;
	for (i = 0; i < atlas->n; i++)
		if (trp_muscle_gives_symptom(&atlas->muscles[i], symptom, NULL)) {
			list[n].m = &atlas->muscles[i];
			list[n++].score = trp__symptom_alone_score(&atlas->muscles[i]);
		}
	n = put_sorted(list, n, out, max, 0);
	free(list);
	return n;
}
