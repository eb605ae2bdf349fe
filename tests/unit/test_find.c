/* test_find.c: the find engine: scoring, sides, intensity, painless regions, the
 * explanation, cautions, map parsing and reuse of a result. Most tests run on a small
 * synthetic atlas (written to a temporary directory) so that each rule is seen alone;
 * a few run on the built-in atlas. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>
#include <jansson.h>

#include "trp/trp.h"

static char dir[256];
static trp_atlas *atlas;          /* synthetic */
static trp_finder *finder;
static trp_find_result *result;
static trp_atlas *builtin;
static trp_finder *bfinder;
static trp_find_result *bresult;

/* Writes a minimal muscle file: zones as "region:kind:side ..." (kind e|s, side s|o|b),
 * coded symptoms as "name:side ..." (side s|o|b), and the prior's share (< 0: null). */
static void muscle_with(const char *id, const char *group, const char *tp_region, const char *zones,
			const char *symptoms, double prior)
{
	char path[512], buf[256];
	const char *p = zones;
	FILE *f;
	int first = 1;

	snprintf(path, sizeof path, "%s/%s.json", dir, id);
	f = fopen(path, "w");
	assert_non_null(f);
	/* the name needs escaping in JSON: a quote, a backslash, a tab (as \u0009 in JSON) */
	fprintf(f, "{\"id\": \"%s\", \"name\": \"%s \\\"q\\\" \\\\ \\u0009 \u00e9\", "
		"\"family\": null, \"aliases\": [], "
		"\"group\": \"%s\", \"actions\": [\"a\"], \"trigger_points\": [{"
		"\"name\": \"tp\", "
		"\"region\": \"%s\", \"location\": \"l\", \"palpation\": \"p\"}], \"referral\": [",
		id, id, group, tp_region);
	while (sscanf(p, "%255s", buf) == 1) {
		char *k = strchr(buf, ':'), *s = k ? strchr(k + 1, ':') : NULL;

		assert_non_null(s);
		*k = *s = '\0';
		fprintf(f, "%s{\"region\": \"%s\", \"kind\": \"%s\", \"side\": \"%s\"}", first ? "" : ", ",
			buf, k[1] == 'e' ? "essential" : "spillover",
			s[1] == 's' ? "same" : s[1] == 'o' ? "opposite" : "both");
		first = 0;
		p += strspn(p, " ");
		p += strcspn(p, " ");
	}
	fprintf(f, "], \"symptoms\": [");
	first = 1;
	for (p = symptoms; sscanf(p, "%255s", buf) == 1; first = 0) {
		char *k = strchr(buf, ':');

		assert_non_null(k);
		*k = '\0';
		fprintf(f, "%s{\"symptom\": \"%s\", \"side\": \"%s\", \"source\": \"s\"}, \"free text\"",
			first ? "" : ", ", buf, k[1] == 's' ? "same" : k[1] == 'o' ? "opposite" : "both");
		p += strspn(p, " ");
		p += strcspn(p, " ");
	}
	fprintf(f, "], \"functional_complaints\": [], \"causes\": [\"c\"], "
		"\"perpetuating_factors\": [], \"self_care\": [{\"technique\": \"pressure\", "
		"\"how\": \"h\"}], \"cautions\": [], \"professional\": [], ");
	if (prior < 0)
		fprintf(f, "\"prior\": null, ");
	else
		fprintf(f, "\"prior\": {\"share\": %g, \"among\": \"a\", \"source\": \"s\"}, ", prior);
	fprintf(f, "\"sources\": [\"s\"]}\n");
	fclose(f);
}

static void muscle(const char *id, const char *group, const char *tp_region, const char *zones)
{
	muscle_with(id, group, tp_region, zones, "", -1);
}

static int setup(void **state)
{
	char msg[512];

	(void)state;
	snprintf(dir, sizeof dir, "%s/trp-find-test-XXXXXX", getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
	if (!mkdtemp(dir))
		return -1;
	/* temple only, same side: a small, specific pattern */
	muscle_with("temporalis", "head_jaw", "temple", "temple:e:s upper_teeth:s:s",
		    "tooth_sensitivity:s", -1);
	/* temple and more: a bigger pattern */
	muscle_with("trapezius_upper", "neck", "shoulder_top",
		    "temple:e:s neck_side:e:s mastoid:e:s jaw:s:s", "neck_stiffness:s dizziness:b", -1);
	/* refers to the opposite side, and gives tinnitus there */
	muscle_with("masseter", "head_jaw", "jaw", "ear:e:o", "tinnitus:o", -1);
	/* the same heel pattern, one with a more specific pattern, the other more common */
	muscle_with("vastus_medialis", "hip_thigh", "thigh_front", "knee_front:e:s", "", 0.2);
	muscle_with("rectus_femoris", "hip_thigh", "thigh_front", "knee_front:e:s knee_medial:s:s", "", 0.9);
	/* refers to both sides */
	muscle("multifidus_lumbar", "trunk", "low_back", "sacrum:e:b");
	/* the heel */
	muscle("soleus", "leg_foot", "calf", "heel:e:s achilles:s:s");
	/* the calf only as its trigger point's site */
	muscle("gastrocnemius", "leg_foot", "calf", "arch:e:s");
	if (trp_atlas_open_dir(dir, &atlas, msg, sizeof msg)) {
		fprintf(stderr, "%s\n", msg);
		return -1;
	}
	if (trp_finder_new(atlas, &finder) || trp_find_result_new(finder, &result))
		return -1;
	if (trp_atlas_open_builtin(&builtin) || trp_finder_new(builtin, &bfinder) ||
	    trp_find_result_new(bfinder, &bresult))
		return -1;
	return 0;
}

static int teardown(void **state)
{
	char cmd[400];

	(void)state;
	trp_find_result_free(result);
	trp_finder_free(finder);
	trp_atlas_free(atlas);
	trp_find_result_free(bresult);
	trp_finder_free(bfinder);
	trp_atlas_free(builtin);
	snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
	return system(cmd);
}

/* Runs a map given as text tokens on the synthetic (or built-in) finder. */
static void run_on(trp_finder *f, trp_find_result *r, const char *text, size_t top)
{
	const char *tokens[32];
	char buf[512], msg[256], *save, *t;
	trp_located map[TRP_MAP_MAX];
	size_t n = 0, nmap;

	snprintf(buf, sizeof buf, "%s", text);
	for (t = strtok_r(buf, " ", &save); t; t = strtok_r(NULL, " ", &save))
		tokens[n++] = t;
	if (trp_map_parse(tokens, n, map, &nmap, msg, sizeof msg))
		fail_msg("%s: %s", text, msg);
	assert_int_equal(trp_find(f, map, nmap, top, r), TRP_OK);
}

static void run(const char *text)
{
	run_on(finder, result, text, 10);
}

/* "id.s" of candidate i, or "-". */
static const char *cand(const trp_find_result *r, size_t i)
{
	static char buf[8][128];
	static int slot;
	const trp_candidate *c;
	size_t n = trp_find_candidates(r, &c);

	slot = (slot + 1) % 8;
	if (i >= n)
		return "-";
	snprintf(buf[slot], sizeof buf[slot], "%s.%s", trp_muscle_id(c[i].muscle), trp_side_code(c[i].side));
	return buf[slot];
}

static double score(const trp_find_result *r, size_t i)
{
	const trp_candidate *c;

	assert_true(i < trp_find_candidates(r, &c));
	return c[i].score;
}

static void test_scores_and_order(void **state)
{
	const trp_candidate *c;
	size_t n, i;

	(void)state;
	/* the whole essential pattern of the upper trapezius beats a muscle with one zone */
	run("temple.l=7 neck_side.l=5 mastoid.l=4");
	assert_string_equal(cand(result, 0), "trapezius_upper.l");
	assert_string_equal(cand(result, 1), "temporalis.l");
	/* the whole pattern: all that is left is the prior's factor (the default here) */
	assert_true(score(result, 0) > 1 - 0.15 && score(result, 0) <= 1.0);
	assert_true(score(result, 1) < score(result, 0));
	/* the temple alone: the specific pattern ranks above the broad one */
	run("temple.l");
	assert_string_equal(cand(result, 0), "temporalis.l");
	assert_string_equal(cand(result, 1), "trapezius_upper.l");
	/* scores are within 0..1 and never increase down the list */
	n = trp_find_candidates(result, &c);
	for (i = 0; i < n; i++) {
		assert_true(c[i].score > 0 && c[i].score <= 1);
		if (i)
			assert_true(c[i].score <= c[i - 1].score);
	}
	/* a missing part of the pattern costs only a little */
	run("temple.l neck_side.l mastoid.l");
	{
		double full = score(result, 0);

		run("temple.l neck_side.l");
		assert_string_equal(cand(result, 0), "trapezius_upper.l");
		assert_true(score(result, 0) < full);
		assert_true(score(result, 0) > 0.8 * full);
	}
}

static void test_sides(void **state)
{
	(void)state;
	/* same side: a right temple is the right muscle's, never the left's */
	run("temple.r");
	assert_string_equal(cand(result, 0), "temporalis.r");
	for (size_t i = 0; i < 10; i++)
		assert_null(strstr(cand(result, i), ".l"));
	/* opposite side: a left ear comes from the right masseter */
	run("ear.l");
	assert_string_equal(cand(result, 0), "masseter.r");
	assert_string_equal(cand(result, 1), "-");
	/* both sides: either multifidus explains a sacrum, its own side first */
	run("sacrum.r");
	assert_string_equal(cand(result, 0), "multifidus_lumbar.r");
	assert_string_equal(cand(result, 1), "multifidus_lumbar.l");
	assert_true(score(result, 1) < score(result, 0));
	/* pain on both sides of a same-side pattern: one candidate per side */
	run("heel.l heel.r");
	assert_true((strcmp(cand(result, 0), "soleus.l") == 0 && strcmp(cand(result, 1), "soleus.r") == 0) ||
		    (strcmp(cand(result, 0), "soleus.r") == 0 && strcmp(cand(result, 1), "soleus.l") == 0));
}

static void test_intensity(void **state)
{
	(void)state;
	/* the more painful region decides between two muscles */
	run("upper_teeth.l=9 heel.l=2");
	assert_string_equal(cand(result, 0), "temporalis.l");
	run("upper_teeth.l=2 heel.l=9");
	assert_string_equal(cand(result, 0), "soleus.l");
	/* no intensity counts as 5: two one-zone essential patterns then tie */
	run("temple.l heel.l=5");
	assert_true(score(result, 0) == score(result, 1));
	run("temple.l heel.l=6");
	assert_string_equal(cand(result, 0), "soleus.l");
}

static void test_painless_region(void **state)
{
	double with_zero;

	(void)state;
	run("temple.l");
	assert_string_equal(cand(result, 0), "temporalis.l");
	/* a marked painless neck side is evidence against the upper trapezius only */
	run("temple.l neck_side.l=0");
	assert_string_equal(cand(result, 0), "temporalis.l");
	with_zero = score(result, 1);
	run("temple.l");
	assert_true(with_zero < score(result, 1));
	/* a painless region is neither explained nor unexplained */
	run("temple.l neck_side.l=0");
	assert_int_equal(trp_find_attributed(result, 1), -1);
}

static void test_explanation(void **state)
{
	const trp_candidate *m;
	size_t n;

	(void)state;
	/* one muscle explains the whole map */
	run("temple.l neck_side.l jaw.l");
	n = trp_find_explanation(result, &m);
	assert_int_equal(n, 1);
	assert_string_equal(trp_muscle_id(m[0].muscle), "trapezius_upper");
	assert_int_equal(trp_find_attributed(result, 0), 0);
	assert_int_equal(trp_find_attributed(result, 2), 0);
	/* two separate problems: two muscles, each region attributed to its own */
	run("temple.r heel.l");
	n = trp_find_explanation(result, &m);
	assert_int_equal(n, 2);
	assert_true(m[trp_find_attributed(result, 0)].side == TRP_RIGHT);
	assert_string_equal(trp_muscle_id(m[trp_find_attributed(result, 1)].muscle), "soleus");
	/* the smallest set: upper trapezius covers temple and jaw; temporalis adds nothing */
	run("temple.l jaw.l upper_teeth.l");
	n = trp_find_explanation(result, &m);
	assert_int_equal(n, 2);
	/* a region no muscle reaches stays unexplained */
	run("temple.l knee_back.r");
	n = trp_find_explanation(result, &m);
	assert_int_equal(n, 1);
	assert_int_equal(trp_find_attributed(result, 1), -1);
	/* the trigger point's own site explains local pain */
	run("calf.l");
	n = trp_find_explanation(result, &m);
	assert_int_equal(n, 1);
	{
		size_t regions[4];
		trp_link links[4];

		assert_int_equal(trp_find_explains(result, 0, regions, links, 4), 1);
		assert_int_equal(links[0], TRP_LINK_LOCAL);
	}
}

static int has_caution(const trp_find_result *r, const char *code)
{
	const trp_caution_note *c;
	size_t n = trp_find_cautions(r, &c), i;

	for (i = 0; i < n; i++)
		if (strcmp(c[i].code, code) == 0) {
			assert_true(strlen(c[i].message) > 40);
			return 1;
		}
	return 0;
}

static void test_cautions(void **state)
{
	(void)state;
	run_on(bfinder, bresult, "chest.l=6 upper_arm_medial.l=4", 10);
	assert_true(has_caution(bresult, "cardiac"));
	assert_true(trp_find_candidates(bresult, &(const trp_candidate *){ NULL }) > 0);
	run_on(bfinder, bresult, "chest.l jaw.r", 10);
	assert_true(has_caution(bresult, "cardiac"));
	run_on(bfinder, bresult, "chest.r upper_arm_medial.r", 10);
	assert_false(has_caution(bresult, "cardiac"));
	run_on(bfinder, bresult, "calf.r=5", 10);
	assert_true(has_caution(bresult, "calf_clot"));
	run_on(bfinder, bresult, "calf.r=5 calf.l=5", 10);
	assert_false(has_caution(bresult, "calf_clot"));
	run_on(bfinder, bresult, "crown.l=10", 10);
	assert_true(has_caution(bresult, "headache"));
	run_on(bfinder, bresult, "temple.l=7 temple.r=8", 10);
	assert_true(has_caution(bresult, "headache"));
	run_on(bfinder, bresult, "temple.l=6", 10);
	assert_false(has_caution(bresult, "headache"));
	run_on(bfinder, bresult, "lower_abdomen.r", 10);
	assert_true(has_caution(bresult, "abdomen"));
	run_on(bfinder, bresult, "temple.l neck_side.l", 10);
	assert_int_equal(trp_find_cautions(bresult, &(const trp_caution_note *){ NULL }), 0);
	/* a painless calf is not a caution */
	run_on(bfinder, bresult, "calf.r=0 heel.r", 10);
	assert_false(has_caution(bresult, "calf_clot"));
}

/* Every region each caution names sets it off, on the side the caution looks at. */
static void test_caution_regions(void **state)
{
	static const char *const arm[] = { "upper_arm_medial.l", "upper_arm_front.l",
		"elbow_medial.l", "forearm_ulnar.l", "ring_little_fingers.l", "shoulder_front.l",
		"armpit.l", "jaw.l", "throat.l", "lower_teeth.l", "jaw.r", "throat.r",
		"lower_teeth.r", NULL };
	static const char *const head[] = { "crown", "forehead", "temple", "occiput", "eye", NULL };
	char map[64];
	size_t i;

	(void)state;
	for (i = 0; arm[i]; i++) {
		snprintf(map, sizeof map, "chest.l %s", arm[i]);
		run_on(bfinder, bresult, map, 10);
		assert_true(has_caution(bresult, "cardiac"));
		snprintf(map, sizeof map, "sternum.l %s", arm[i]);
		run_on(bfinder, bresult, map, 10);
		assert_true(has_caution(bresult, "cardiac"));
		snprintf(map, sizeof map, "shin.l %s", arm[i]);
		run_on(bfinder, bresult, map, 10);
		assert_false(has_caution(bresult, "cardiac"));
	}
	for (i = 0; head[i]; i++) {
		snprintf(map, sizeof map, "%s.r=9", head[i]);
		run_on(bfinder, bresult, map, 10);
		assert_true(has_caution(bresult, "headache"));
		snprintf(map, sizeof map, "%s.l=7 %s.r=7", head[i], head[i]);
		run_on(bfinder, bresult, map, 10);
		assert_true(has_caution(bresult, "headache"));
		snprintf(map, sizeof map, "%s.l=8", head[i]);
		run_on(bfinder, bresult, map, 10);
		assert_false(has_caution(bresult, "headache"));
	}
	run_on(bfinder, bresult, "upper_abdomen.l", 10);
	assert_true(has_caution(bresult, "abdomen"));
	run_on(bfinder, bresult, "lower_abdomen.l=3", 10);
	assert_true(has_caution(bresult, "abdomen"));
	run_on(bfinder, bresult, "calf.l=2", 10);
	assert_true(has_caution(bresult, "calf_clot"));
}

static void test_map_parse(void **state)
{
	const char *dup[] = { "temple.l=3", "Temple.left=8", "heel.r" };
	const char *bad[] = { "temple.l", "heal.r" };
	trp_located map[TRP_MAP_MAX];
	char msg[256];
	size_t n;

	(void)state;
	assert_int_equal(trp_map_parse(dup, 3, map, &n, msg, sizeof msg), TRP_OK);
	assert_int_equal(n, 2);
	assert_int_equal(map[0].intensity, 8);
	assert_int_equal(trp_map_parse(bad, 2, map, &n, msg, sizeof msg), TRP_EINVAL);
	assert_non_null(strstr(msg, "unknown region 'heal.r'"));
	assert_non_null(strstr(msg, "'heel.r'"));
	assert_int_equal(trp_map_parse(bad, 0, map, &n, msg, sizeof msg), TRP_EINVAL);
	assert_non_null(strstr(msg, "no regions"));
}

static void test_bad_queries(void **state)
{
	trp_located map[2] = { { 0, TRP_LEFT, 5 }, { 0, TRP_LEFT, 6 } };

	(void)state;
	assert_int_equal(trp_find(finder, map, 0, 10, result), TRP_EINVAL);
	assert_int_equal(trp_find(finder, map, 2, 10, result), TRP_EINVAL);  /* repeated */
	map[1].region = 200;
	assert_int_equal(trp_find(finder, map, 2, 10, result), TRP_EINVAL);
	map[1].region = 1;
	map[1].intensity = 11;
	assert_int_equal(trp_find(finder, map, 2, 10, result), TRP_EINVAL);
	/* a result belongs to its finder */
	map[1].intensity = 3;
	assert_int_equal(trp_find(bfinder, map, 2, 10, result), TRP_EINVAL);
}

static void test_every_located_region_alone(void **state)
{
	const trp_candidate *c;
	size_t nc;

	(void)state;
	/* every region on each side: scores in range, an explanation or an unexplained
	 * region, and every member also among the reachable candidates */
	for (int reg = 0; reg < trp_region_count(); reg++)
		for (int s = 0; s < 2; s++) {
			trp_located one = { reg, (trp_side)s, 6 };
			const trp_candidate *m;
			size_t nm;

			assert_int_equal(trp_find(bfinder, &one, 1, 5, bresult), TRP_OK);
			nc = trp_find_candidates(bresult, &c);
			nm = trp_find_explanation(bresult, &m);
			assert_true(nc <= 5);
			if (nc == 0)
				assert_int_equal(nm, 0);
			else
				assert_int_equal(nm, 1);
			assert_int_equal(trp_find_attributed(bresult, 0), nc ? 0 : -1);
		}
}

static void test_result_reuse(void **state)
{
	char *a, *b, *other;

	(void)state;
	run_on(bfinder, bresult, "temple.l=7 neck_side.l=6 heel.r", 10);
	a = trp_find_json(bresult, 0);
	run_on(bfinder, bresult, "calf.l low_back.r=8 thumb.r chest.l=2", 10);
	other = trp_find_json(bresult, 0);
	run_on(bfinder, bresult, "temple.l=7 neck_side.l=6 heel.r", 10);
	b = trp_find_json(bresult, 0);
	assert_non_null(a);
	assert_non_null(b);
	assert_string_equal(a, b);
	assert_string_not_equal(a, other);
	free(a);
	free(b);
	free(other);
}

/* The compact JSON (the server's, with each candidate's head built once by the finder)
 * and the pretty JSON (the CLI's, written member by member) hold the same values, and
 * the names and ids in them are the atlas's own. */
static void compare_json(const trp_find_result *r)
{
	char *compact = trp_find_json(r, 0), *pretty = trp_find_json(r, 1);
	const trp_candidate *c;
	size_t nc = trp_find_candidates(r, &c), i, j, nlinks, regions[TRP_MAP_MAX];
	trp_link links[TRP_MAP_MAX];
	json_error_t err;
	json_t *a, *b, *cands;

	assert_non_null(compact);
	assert_non_null(pretty);
	assert_null(strchr(compact, '\n'));
	a = json_loads(compact, 0, &err);
	if (!a)
		fail_msg("compact JSON: %s: %s", err.text, compact);
	b = json_loads(pretty, 0, &err);
	assert_non_null(b);
	assert_true(json_equal(a, b));
	cands = json_object_get(a, "candidates");
	assert_int_equal(json_array_size(cands), nc);
	for (i = 0; i < nc; i++) {
		json_t *o = json_array_get(cands, i);

		assert_string_equal(json_string_value(json_object_get(o, "muscle")),
				    trp_muscle_id(c[i].muscle));
		assert_string_equal(json_string_value(json_object_get(o, "name")),
				    trp_muscle_name(c[i].muscle));
		assert_string_equal(json_string_value(json_object_get(o, "side")),
				    c[i].side == TRP_RIGHT ? "r" : "l");
		/* the links by the library's own names (the writer keeps them quoted) */
		nlinks = trp_find_explains(r, i, regions, links, TRP_MAP_MAX);
		assert_int_equal(json_array_size(json_object_get(o, "why")), nlinks);
		for (j = 0; j < nlinks; j++)
			assert_string_equal(json_string_value(json_object_get(
				json_array_get(json_object_get(o, "why"), j), "link")),
				trp_link_name(links[j]));
	}
	json_decref(a);
	json_decref(b);
	free(compact);
	free(pretty);
}

static void test_compact_json(void **state)
{
	static const char *const maps[] = { "temple.l=7 neck_side.l=4 shoulder_top.l=3",
		"temple.r jaw.r ear.l", "low_back.r=8 sacrum.l heel.r=2 arch.l", "calf.l=0 heel.l=9",
		"chest.l=6 upper_arm_medial.l=4 jaw.r", NULL };
	size_t i;

	(void)state;
	/* the synthetic atlas's names need escaping */
	run_on(finder, result, "temple.l upper_teeth.l ear.r", 10);
	assert_true(strchr(trp_muscle_name(trp_atlas_muscle(atlas, 0)), '"') != NULL);
	compare_json(result);
	/* and the compact reply is exactly this (checked by hand: the links, the escapes) */
	{
		static const char expected[] =
		"{\"query\":[\"temple.l\",\"upper_teeth.l\",\"ear.r\"],\"symptoms\":[],"
		"\"candidates\":[{\"muscle\":\"temporalis\","
		"\"name\":\"temporalis \\\"q\\\" \\\\ \\u0009 \u00e9\","
		"\"side\":\"l\",\"score\":0.444,\"explains\":[\"temple.l\","
		"\"upper_teeth.l\"],\"why\":[{\"region\":\"temple.l\","
		"\"link\":\"essential\"},{\"region\":\"upper_teeth.l\","
		"\"link\":\"spillover\"}],\"symptoms\":[]},{\"muscle\":\"masseter\","
		"\"name\":\"masseter \\\"q\\\" \\\\ \\u0009 \u00e9\","
		"\"side\":\"l\",\"score\":0.296,\"explains\":[\"ear.r\"],"
		"\"why\":[{\"region\":\"ear.r\",\"link\":\"essential\"}],\"symptoms\":[]},"
		"{\"muscle\":\"trapezius_upper\","
		"\"name\":\"trapezius_upper \\\"q\\\" \\\\ \\u0009 \u00e9\","
		"\"side\":\"l\",\"score\":0.217,\"explains\":[\"temple.l\"],"
		"\"why\":[{\"region\":\"temple.l\",\"link\":\"essential\"}],\"symptoms\":[]}],"
		"\"explanation\":[{\"muscle\":\"temporalis\","
		"\"name\":\"temporalis \\\"q\\\" \\\\ \\u0009 \u00e9\","
		"\"side\":\"l\",\"regions\":[\"temple.l\",\"upper_teeth.l\"],\"symptoms\":[]},"
		"{\"muscle\":\"masseter\",\"name\":\"masseter \\\"q\\\" \\\\ \\u0009 \u00e9\","
		"\"side\":\"l\",\"regions\":[\"ear.r\"],\"symptoms\":[]}],\"unexplained\":[],"
		"\"cautions\":[]}";
		char *got = trp_find_json(result, 0);

		assert_non_null(got);
		assert_string_equal(got, expected);
		free(got);
	}
	for (i = 0; maps[i]; i++) {
		run_on(finder, result, maps[i], 10);
		compare_json(result);
		run_on(bfinder, bresult, maps[i], 10);
		compare_json(bresult);
	}
	for (int reg = 0; reg < trp_region_count(); reg++)
		for (int s = 0; s < 2; s++) {
			trp_located one = { reg, (trp_side)s, 6 };

			assert_int_equal(trp_find(bfinder, &one, 1, 10, bresult), TRP_OK);
			compare_json(bresult);
		}
}

static void test_symptom_vocabulary(void **state)
{
	trp_located_symptom s;
	char buf[64], msg[256];
	int i, near[3];

	(void)state;
	assert_int_equal(trp_symptom_count(), 45);
	for (i = 0; i < trp_symptom_count(); i++) {
		/* disjoint from the regions, found by name, described */
		assert_int_equal(trp_region_find(trp_symptom_name(i)), -1);
		assert_int_equal(trp_symptom_find(trp_symptom_name(i)), i);
		assert_true(strlen(trp_symptom_description(i)) > 5);
	}
	assert_int_equal(trp_symptom_find("temple"), -1);
	assert_int_equal(trp_symptom_parse("Tinnitus.LEFT", &s, msg, sizeof msg), TRP_OK);
	assert_int_equal(s.symptom, trp_symptom_find("tinnitus"));
	assert_int_equal(s.side, TRP_LEFT);
	trp_symptom_format(&s, buf, sizeof buf);
	assert_string_equal(buf, "tinnitus.l");
	assert_int_equal(trp_symptom_parse("dizziness", &s, msg, sizeof msg), TRP_OK);
	assert_int_equal(s.side, TRP_NO_SIDE);
	trp_symptom_format(&s, buf, sizeof buf);
	assert_string_equal(buf, "dizziness");
	assert_int_equal(trp_symptom_parse("dizziness.r", &s, msg, sizeof msg), TRP_EINVAL);
	assert_non_null(strstr(msg, "takes no side"));
	assert_int_equal(trp_symptom_parse("tinnitus.x", &s, msg, sizeof msg), TRP_EINVAL);
	assert_non_null(strstr(msg, "unknown side"));
	assert_int_equal(trp_symptom_parse("tinitus.r", &s, msg, sizeof msg), TRP_EINVAL);
	assert_string_equal(msg, "unknown symptom 'tinitus.r' (did you mean 'tinnitus.r'?)");
	assert_true(trp_symptom_suggest("weak_grp", near, 3) >= 1);
	assert_string_equal(trp_symptom_name(near[0]), "weak_grip");
}

static void test_query_parse(void **state)
{
	const char *mixed[] = { "jaw.l=5", "tinnitus.l", "tinnitus", "dizziness", "jaw.l=7", "tinnitus.r" };
	const char *bad_symptom[] = { "jaw.l", "tinitus" };
	const char *bad_region[] = { "tinnitus", "templ.l" };
	trp_located regions[TRP_MAP_MAX];
	trp_located_symptom syms[TRP_SYMPTOMS_MAX];
	size_t nr, ns;
	char msg[256];

	(void)state;
	assert_int_equal(trp_query_parse(mixed, 6, regions, &nr, syms, &ns, msg, sizeof msg), TRP_OK);
	assert_int_equal(nr, 1);
	assert_int_equal(regions[0].intensity, 7);
	/* dizziness, then tinnitus on both sides given (the bare one is merged into them) */
	assert_int_equal(ns, 3);
	assert_int_equal(syms[0].symptom, trp_symptom_find("dizziness"));
	assert_int_equal(syms[1].side, TRP_LEFT);
	assert_int_equal(syms[2].side, TRP_RIGHT);
	assert_int_equal(trp_query_parse(bad_symptom, 2, regions, &nr, syms, &ns, msg, sizeof msg), TRP_EINVAL);
	assert_string_equal(msg, "unknown symptom 'tinitus' (did you mean 'tinnitus'?)");
	assert_int_equal(trp_query_parse(bad_region, 2, regions, &nr, syms, &ns, msg, sizeof msg), TRP_EINVAL);
	assert_non_null(strstr(msg, "unknown region 'templ.l' (did you mean 'temple.l'"));
	assert_int_equal(trp_query_parse(mixed, 0, regions, &nr, syms, &ns, msg, sizeof msg), TRP_EINVAL);
}

/* Runs a mixed map of regions and symptoms on the synthetic finder. */
static void run_query(const char *text)
{
	const char *tokens[32];
	char buf[512], msg[256], *save, *t;
	trp_located map[TRP_MAP_MAX];
	trp_located_symptom syms[TRP_SYMPTOMS_MAX];
	size_t n = 0, nmap, ns;

	snprintf(buf, sizeof buf, "%s", text);
	for (t = strtok_r(buf, " ", &save); t; t = strtok_r(NULL, " ", &save))
		tokens[n++] = t;
	if (trp_query_parse(tokens, n, map, &nmap, syms, &ns, msg, sizeof msg))
		fail_msg("%s: %s", text, msg);
	assert_int_equal(trp_find_symptoms(finder, map, nmap, syms, ns, 10, result), TRP_OK);
}

static void test_symptoms_in_find(void **state)
{
	const trp_candidate *c, *m;
	const trp_caution_note *notes;
	size_t items[8];

	(void)state;
	/* the masseter gives tinnitus on the opposite side */
	run_query("tinnitus.l");
	assert_string_equal(cand(result, 0), "masseter.r");
	assert_int_equal(trp_find_candidates(result, &c), 1);
	assert_int_equal(trp_find_explains_symptoms(result, 0, items, 8), 1);
	assert_int_equal(trp_find_symptom_side(result, &c[0], 0), TRP_LEFT);
	assert_int_equal(trp_find_explanation(result, &m), 1);
	assert_int_equal(trp_find_symptom_attributed(result, 0), 0);
	/* without a side it counts for both, explained on the side the rule gives */
	run_query("tinnitus");
	assert_int_equal(trp_find_candidates(result, &c), 2);
	assert_int_equal(trp_find_symptom_side(result, &c[0], 0), (trp_side)!c[0].side);
	/* a symptom without sides, on both sides, with its caution */
	run_query("dizziness");
	assert_int_equal(trp_find_candidates(result, &c), 2);
	assert_int_equal(trp_find_symptom_side(result, &c[0], 0), c[0].side);
	assert_int_equal(trp_find_cautions(result, &notes), 1);
	assert_string_equal(notes[0].code, "dizziness");
	/* a symptom joins a region: one muscle explains both */
	run_query("temple.l tooth_sensitivity.l");
	assert_string_equal(cand(result, 0), "temporalis.l");
	assert_int_equal(trp_find_explanation(result, &m), 1);
	/* on the wrong side it needs another muscle, or none */
	run_query("temple.l tooth_sensitivity.r");
	assert_int_equal(trp_find_explanation(result, &m), 2);
	run_query("temple.l tinnitus.l");
	assert_int_equal(trp_find_explanation(result, &m), 2);
	assert_string_equal(trp_muscle_id(m[trp_find_symptom_attributed(result, 0)].muscle), "masseter");
	run_query("temple.l calf_cramps.l");
	assert_int_equal(trp_find_explanation(result, &m), 1);
	assert_int_equal(trp_find_symptom_attributed(result, 0), -1);
	/* a symptom of no muscle alone: nothing, and it is unexplained */
	run_query("calf_cramps");
	assert_int_equal(trp_find_candidates(result, &c), 0);
	assert_int_equal(trp_find_symptom_attributed(result, 0), -1);
}

static void test_prior(void **state)
{
	const trp_muscle *list[16];

	(void)state;
	/* the same fit: the more common source first, though its pattern is broader */
	run("knee_front.r");
	assert_string_equal(cand(result, 0), "rectus_femoris.r");
	assert_string_equal(cand(result, 1), "vastus_medialis.r");
	assert_true(score(result, 0) > score(result, 1));
	/* muscles --region agrees */
	assert_int_equal(trp_atlas_region_muscles(atlas, trp_region_find("knee_front"), list, 16), 2);
	assert_string_equal(trp_muscle_id(list[0]), "rectus_femoris");
	/* the prior is the atlas's share, or the default */
	assert_true(trp_muscle_prior_share(list[0]) == 0.9);
	assert_true(trp_muscle_prior(trp_atlas_find(atlas, "soleus"))->share < 0);
	assert_true(trp_muscle_prior_share(trp_atlas_find(atlas, "soleus")) > 0);
	/* and the symptom list orders the same way */
	assert_int_equal(trp_atlas_symptom_muscles(atlas, trp_symptom_find("dizziness"), list, 16), 1);
}

/* trp muscles --region and trp find of the region alone give the muscles in one order. */
static void test_region_order_agrees(void **state)
{
	const trp_muscle *list[512], *seen[512];
	const trp_candidate *c;
	int reg;

	(void)state;
	for (reg = 0; reg < trp_region_count(); reg++) {
		trp_located one = { reg, TRP_RIGHT, -1 };
		size_t n = trp_atlas_region_muscles(builtin, reg, list, 512), nc, k, j, ns = 0;

		assert_int_equal(trp_find(bfinder, &one, 1, 1000, bresult), TRP_OK);
		nc = trp_find_candidates(bresult, &c);
		for (k = 0; k < nc; k++) {
			for (j = 0; j < ns && seen[j] != c[k].muscle; j++)
				;
			if (j == ns)
				seen[ns++] = c[k].muscle;
		}
		assert_int_equal(ns, n);
		for (k = 0; k < n; k++)
			if (seen[k] != list[k])
				fail_msg("%s: find gives %s where muscles --region gives %s", trp_region_name(reg),
					 trp_muscle_id(seen[k]), trp_muscle_id(list[k]));
	}
}

static void test_top_and_json(void **state)
{
	const trp_candidate *c;
	json_error_t err;
	json_t *o, *cands;
	char *s;

	(void)state;
	run_on(bfinder, bresult, "temple.l neck_side.l=6", 3);
	assert_true(trp_find_candidates(bresult, &c) <= 3);
	s = trp_find_json(bresult, 1);
	assert_non_null(s);
	o = json_loads(s, 0, &err);
	assert_non_null(o);
	assert_string_equal(json_string_value(json_array_get(json_object_get(o, "query"), 0)), "temple.l");
	assert_string_equal(json_string_value(json_array_get(json_object_get(o, "query"), 1)), "neck_side.l=6");
	cands = json_object_get(o, "candidates");
	assert_int_equal(json_array_size(cands), trp_find_candidates(bresult, &c));
	assert_string_equal(json_string_value(json_object_get(json_array_get(cands, 0), "muscle")), "trapezius_upper");
	assert_string_equal(json_string_value(json_object_get(json_array_get(cands, 0), "side")), "l");
	assert_true(json_is_number(json_object_get(json_array_get(cands, 0), "score")));
	assert_true(json_is_array(json_object_get(json_array_get(cands, 0), "explains")));
	assert_true(json_is_array(json_object_get(o, "explanation")));
	assert_true(json_is_array(json_object_get(o, "unexplained")));
	assert_true(json_is_array(json_object_get(o, "cautions")));
	json_decref(o);
	free(s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_scores_and_order),
		cmocka_unit_test(test_sides),
		cmocka_unit_test(test_intensity),
		cmocka_unit_test(test_painless_region),
		cmocka_unit_test(test_explanation),
		cmocka_unit_test(test_cautions),
		cmocka_unit_test(test_caution_regions),
		cmocka_unit_test(test_compact_json),
		cmocka_unit_test(test_map_parse),
		cmocka_unit_test(test_bad_queries),
		cmocka_unit_test(test_every_located_region_alone),
		cmocka_unit_test(test_result_reuse),
		cmocka_unit_test(test_top_and_json),
		cmocka_unit_test(test_symptom_vocabulary),
		cmocka_unit_test(test_query_parse),
		cmocka_unit_test(test_symptoms_in_find),
		cmocka_unit_test(test_prior),
		cmocka_unit_test(test_region_order_agrees),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
