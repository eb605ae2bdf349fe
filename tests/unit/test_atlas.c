/* test_atlas.c: the built-in atlas against the vocabularies, the loader's checks and
 * messages, look-ups, and the JSON form. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "trp/trp.h"

#ifndef TRP_SOURCE_DIR
#error "TRP_SOURCE_DIR must name the source tree"
#endif

static trp_atlas *builtin;

static int setup(void **state)
{
	(void)state;
	return trp_atlas_open_builtin(&builtin) == TRP_OK ? 0 : -1;
}

static int teardown(void **state)
{
	(void)state;
	trp_atlas_free(builtin);
	return 0;
}

/* Reads the tab-separated rows of a data file: calls fn(fields, n) for each. */
static int each_row(const char *rel, void (*fn)(char **f, int n, void *), void *arg)
{
	char path[1024], line[2048];
	int rows = 0;
	FILE *f;

	snprintf(path, sizeof path, "%s/%s", TRP_SOURCE_DIR, rel);
	f = fopen(path, "r");
	assert_non_null(f);
	while (fgets(line, sizeof line, f)) {
		char *fields[4], *p = line;
		int n = 0;

		line[strcspn(line, "\n")] = '\0';
		if (line[0] == '#' || line[0] == '\0')
			continue;
		while (n < 4) {
			fields[n++] = p;
			p = strchr(p, '\t');
			if (!p)
				break;
			*p++ = '\0';
		}
		fn(fields, n, arg);
		rows++;
	}
	fclose(f);
	return rows;
}

static void check_region_row(char **f, int n, void *arg)
{
	int *index = arg;
	const char *view = trp_region_view(*index) == TRP_VIEW_FRONT ? "F"
			 : trp_region_view(*index) == TRP_VIEW_BACK ? "B" : "FB";

	assert_int_equal(n, 3);
	assert_string_equal(trp_region_name(*index), f[0]);
	assert_string_equal(view, f[1]);
	assert_string_equal(trp_region_description(*index), f[2]);
	(*index)++;
}

static void test_regions_match_data_file(void **state)
{
	int index = 0;

	(void)state;
	assert_int_equal(each_row("data/regions.tsv", check_region_row, &index), 78);
	assert_int_equal(index, trp_region_count());
}

static void check_muscle_row(char **f, int n, void *arg)
{
	const trp_muscle *m = trp_atlas_find(builtin, f[0]);
	const trp_zone *zones;
	const trp_trigger_point *tps;
	const char *const *sources;
	size_t nz, i;
	int essential = 0;

	(void)arg;
	assert_int_equal(n, 2);
	if (!m)
		fail_msg("muscle %s of data/muscles.tsv is not in the atlas", f[0]);
	assert_string_equal(trp_muscle_id(m), f[0]);
	assert_string_equal(trp_muscle_group(m), f[1]);
	assert_true(trp_muscle_trigger_points(m, &tps) >= 1);
	nz = trp_muscle_referral(m, &zones);
	for (i = 0; i < nz; i++) {
		assert_non_null(trp_region_name(zones[i].region));
		essential |= zones[i].kind == TRP_ESSENTIAL;
	}
	if (!essential)
		fail_msg("%s has no essential zone", f[0]);
	assert_true(trp_muscle_texts(m, TRP_SOURCES, &sources) >= 1);
	assert_int_equal(trp_atlas_muscle(builtin, trp_muscle_index(m)), m);
}

static void test_builtin_covers_vocabulary(void **state)
{
	int rows;

	(void)state;
	rows = each_row("data/muscles.tsv", check_muscle_row, NULL);
	assert_true(rows > 0);
	/* every muscle of the vocabulary has its file, and the loader takes no id outside it */
	assert_int_equal(trp_atlas_count(builtin), rows);
}

static void test_builtin_equals_loaded_dir(void **state)
{
	char dir[1024], msg[1024] = "";
	trp_atlas *loaded = NULL;
	size_t i;

	(void)state;
	snprintf(dir, sizeof dir, "%s/data/atlas", TRP_SOURCE_DIR);
	if (trp_atlas_open_dir(dir, &loaded, msg, sizeof msg) != TRP_OK)
		fail_msg("%s", msg);
	assert_int_equal(trp_atlas_count(loaded), trp_atlas_count(builtin));
	for (i = 0; i < trp_atlas_count(builtin); i++) {
		char *a = trp_muscle_json(trp_atlas_muscle(builtin, i), 0);
		char *b = trp_muscle_json(trp_atlas_muscle(loaded, i), 0);

		assert_non_null(a);
		assert_non_null(b);
		assert_string_equal(a, b);
		free(a);
		free(b);
	}
	trp_atlas_free(loaded);
}

static void test_find(void **state)
{
	const trp_muscle *parts[8];
	const char *near[3];

	(void)state;
	assert_string_equal(trp_muscle_id(trp_atlas_find(builtin, "trapezius_upper")), "trapezius_upper");
	assert_string_equal(trp_muscle_id(trp_atlas_find(builtin, "upper_trapezius")), "trapezius_upper");
	assert_string_equal(trp_muscle_id(trp_atlas_find(builtin, "Upper-Trapezius")), "trapezius_upper");
	assert_string_equal(trp_muscle_id(trp_atlas_find(builtin, "upper trapezius")), "trapezius_upper");
	assert_string_equal(trp_muscle_id(trp_atlas_find(builtin, "peroneus_longus")), "fibularis_longus");
	assert_null(trp_atlas_find(builtin, "trapezius"));
	assert_null(trp_atlas_find(builtin, ""));
	assert_null(trp_atlas_find(builtin, NULL));

	assert_int_equal(trp_atlas_family(builtin, "trapezius", parts, 8), 3);
	assert_string_equal(trp_muscle_id(parts[0]), "trapezius_upper");
	assert_string_equal(trp_muscle_id(parts[1]), "trapezius_middle");
	assert_string_equal(trp_muscle_id(parts[2]), "trapezius_lower");
	assert_int_equal(trp_atlas_family(builtin, "scalene", parts, 8), 4);
	assert_string_equal(trp_muscle_id(parts[3]), "scalene_minimus");
	assert_int_equal(trp_atlas_family(builtin, "quadriceps", parts, 8), 4);
	assert_int_equal(trp_atlas_family(builtin, "hamstrings", NULL, 0), 3);
	assert_int_equal(trp_atlas_family(builtin, "masseter", parts, 8), 0);

	/* names that moved to muscles added later: lumbar_rotatores is the rotatores now, and
	 * hand_interossei a family of the dorsal and palmar interossei, no longer one muscle */
	assert_string_equal(trp_muscle_id(trp_atlas_find(builtin, "lumbar_rotatores")), "rotatores");
	assert_null(trp_atlas_find(builtin, "hand_interossei"));
	assert_int_equal(trp_atlas_family(builtin, "hand_interossei", parts, 8), 2);
	assert_string_equal(trp_muscle_id(parts[0]), "dorsal_interossei_hand");
	assert_string_equal(trp_muscle_id(parts[1]), "palmar_interossei_hand");
	assert_int_equal(trp_atlas_family(builtin, "Hand-Interossei", NULL, 0), 2);

	assert_int_equal(trp_atlas_suggest(builtin, "trapezus_upper", near, 3) >= 1, 1);
	assert_string_equal(near[0], "trapezius_upper");
	assert_int_equal(trp_atlas_suggest(builtin, "soleos", near, 3) >= 1, 1);
	assert_string_equal(near[0], "soleus");
	assert_int_equal(trp_atlas_suggest(builtin, "qqqqqqqqqqqq", near, 3), 0);
}

static void test_every_family_has_parts(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < trp_atlas_count(builtin); i++) {
		const trp_muscle *m = trp_atlas_muscle(builtin, i);

		if (trp_muscle_family(m))
			assert_true(trp_atlas_family(builtin, trp_muscle_family(m), NULL, 0) >= 2);
	}
}

/* Every other name of every muscle finds that muscle (the loader keeps them unique). */
static void test_every_alias_finds_its_muscle(void **state)
{
	size_t i, j, n, aliases = 0;

	(void)state;
	for (i = 0; i < trp_atlas_count(builtin); i++) {
		const trp_muscle *m = trp_atlas_muscle(builtin, i);
		const char *const *names;

		n = trp_muscle_texts(m, TRP_ALIASES, &names);
		for (j = 0; j < n; j++, aliases++)
			if (trp_atlas_find(builtin, names[j]) != m)
				fail_msg("alias %s of %s does not find it", names[j], trp_muscle_id(m));
	}
	assert_true(aliases > trp_atlas_count(builtin));
}

static void test_touches_region(void **state)
{
	const trp_muscle *m = trp_atlas_find(builtin, "trapezius_upper");

	(void)state;
	assert_true(trp_muscle_touches_region(m, trp_region_find("temple")));
	assert_true(trp_muscle_touches_region(m, trp_region_find("shoulder_top")));
	assert_false(trp_muscle_touches_region(m, trp_region_find("heel")));
}

/* ---- the loader's checks, on files written to a fresh directory */

static char tmpdir[256];

static void write_file(const char *name, const char *text)
{
	char path[512];
	FILE *f;

	snprintf(path, sizeof path, "%s/%s", tmpdir, name);
	f = fopen(path, "w");
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
}

static void clear_dir(void)
{
	char cmd[600];

	snprintf(cmd, sizeof cmd, "rm -f %s/*.json", tmpdir);
	assert_int_equal(system(cmd), 0);
}

static int setup_dir(void **state)
{
	(void)state;
	snprintf(tmpdir, sizeof tmpdir, "%s/trp-atlas-test-XXXXXX", getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
	return mkdtemp(tmpdir) ? 0 : -1;
}

static int teardown_dir(void **state)
{
	(void)state;
	clear_dir();
	return rmdir(tmpdir);
}

/* The JSON of a built-in muscle, with `from` replaced by `to` (first occurrence). */
static char *mutated(const char *id, const char *from, const char *to)
{
	char *json = trp_muscle_json(trp_atlas_find(builtin, id), 1), *at, *out;
	size_t len;

	assert_non_null(json);
	if (!from)
		return json;
	at = strstr(json, from);
	if (!at)
		fail_msg("'%s' not in the JSON of %s", from, id);
	len = strlen(json) - strlen(from) + strlen(to);
	out = malloc(len + 1);
	assert_non_null(out);
	memcpy(out, json, (size_t)(at - json));
	strcpy(out + (at - json), to);
	strcat(out, at + strlen(from));
	free(json);
	return out;
}

/* The 1-based line of the first occurrence of needle in text. */
static int line_of(const char *text, const char *needle)
{
	const char *at = strstr(text, needle), *p;
	int line = 1;

	assert_non_null(at);
	for (p = text; p < at; p++)
		line += *p == '\n';
	return line;
}

/* Loads tmpdir and expects err with every one of the words in the message. */
static void expect_load(trp_err want, const char *w1, const char *w2, const char *w3)
{
	char msg[1024] = "";
	trp_atlas *a = (trp_atlas *)1;
	trp_err err = trp_atlas_open_dir(tmpdir, &a, msg, sizeof msg);

	if (err != want)
		fail_msg("wanted %s, got %s: %s", trp_strerror(want), trp_strerror(err), msg);
	if (want != TRP_OK) {
		assert_null(a);
		if (!strstr(msg, w1) || (w2 && !strstr(msg, w2)) || (w3 && !strstr(msg, w3)))
			fail_msg("message '%s' lacks '%s' / '%s' / '%s'", msg, w1, w2 ? w2 : "", w3 ? w3 : "");
	}
	trp_atlas_free(want == TRP_OK ? a : NULL);
}

static void test_loader_accepts_round_trip(void **state)
{
	size_t i;
	char name[160];

	(void)state;
	clear_dir();
	for (i = 0; i < trp_atlas_count(builtin); i++) {
		char *json = trp_muscle_json(trp_atlas_muscle(builtin, i), 1);

		snprintf(name, sizeof name, "%s.json", trp_muscle_id(trp_atlas_muscle(builtin, i)));
		write_file(name, json);
		free(json);
	}
	expect_load(TRP_OK, NULL, NULL, NULL);
}

static void test_loader_errors(void **state)
{
	char *text, want_line[64];

	(void)state;
	/* an unknown region: file, line and field, and the nearest name */
	clear_dir();
	text = mutated("trapezius_upper", "\"region\": \"temple\"", "\"region\": \"templ\"");
	write_file("trapezius_upper.json", text);
	snprintf(want_line, sizeof want_line, "trapezius_upper.json:%d: referral[0].region",
		 line_of(text, "\"templ\""));
	expect_load(TRP_ESCHEMA, want_line, "unknown region 'templ'", "did you mean 'temple'");
	free(text);

	/* a trigger point in an unknown region */
	clear_dir();
	text = mutated("trapezius_upper", "\"region\": \"shoulder_top\"", "\"region\": \"shoulders\"");
	write_file("trapezius_upper.json", text);
	snprintf(want_line, sizeof want_line, ":%d: trigger_points[0].region", line_of(text, "\"shoulders\""));
	expect_load(TRP_ESCHEMA, want_line, "unknown region 'shoulders'", NULL);
	free(text);

	/* a missing field */
	clear_dir();
	text = mutated("trapezius_upper", "\"symptoms\":", "\"symptomz\":");
	write_file("trapezius_upper.json", text);
	expect_load(TRP_ESCHEMA, "symptomz: unknown field", NULL, NULL);
	free(text);

	/* an unknown muscle */
	clear_dir();
	text = mutated("trapezius_upper", "\"id\": \"trapezius_upper\"", "\"id\": \"trapezius_top\"");
	write_file("trapezius_top.json", text);
	expect_load(TRP_ESCHEMA, "trapezius_top.json:2: id", "unknown muscle 'trapezius_top'", NULL);
	free(text);

	/* an id that is not the file's name */
	clear_dir();
	text = mutated("soleus", NULL, NULL);
	write_file("gastrocnemius.json", text);
	expect_load(TRP_ESCHEMA, "gastrocnemius.json:2: id", "does not match the file name", NULL);
	free(text);

	/* a duplicate name across files: an alias of one muscle used by another */
	clear_dir();
	text = mutated("trapezius_upper", NULL, NULL);
	write_file("trapezius_upper.json", text);
	free(text);
	text = mutated("trapezius_middle", "\"aliases\": [", "\"aliases\": [\"upper_traps\", ");
	write_file("trapezius_middle.json", text);
	free(text);
	/* files load in name order, so the clash is found in the later one */
	expect_load(TRP_ESCHEMA, "trapezius_upper.json", "aliases[1]", "already a name of trapezius_middle");

	/* wrong kinds and sides, a pattern with no essential zone */
	clear_dir();
	text = mutated("soleus", "\"kind\": \"essential\"", "\"kind\": \"main\"");
	write_file("soleus.json", text);
	expect_load(TRP_ESCHEMA, "referral[0].kind", "expected essential or spillover", NULL);
	free(text);
	clear_dir();
	text = mutated("soleus", "\"side\": \"same\"", "\"side\": \"left\"");
	write_file("soleus.json", text);
	expect_load(TRP_ESCHEMA, "referral[0].side", "expected same, opposite or both", NULL);
	free(text);

	/* a duplicate key and broken JSON stop the load with line and column */
	clear_dir();
	text = mutated("soleus", "\"name\": \"", "\"name\": \"x\", \"name\": \"");
	write_file("soleus.json", text);
	expect_load(TRP_EPARSE, "soleus.json:", "duplicate", NULL);
	free(text);
	clear_dir();
	write_file("soleus.json", "{\n  \"id\": \"soleus\",\n  oops\n}\n");
	expect_load(TRP_EPARSE, "soleus.json:3:", NULL, NULL);

	/* not an object; wrong types */
	clear_dir();
	write_file("soleus.json", "[1, 2]");
	expect_load(TRP_ESCHEMA, "soleus.json:1: (top)", "expected an object", NULL);
	clear_dir();
	text = mutated("soleus", "\"family\": null", "\"family\": \"calf\"");
	write_file("soleus.json", text);
	expect_load(TRP_ESCHEMA, "family", "unknown family 'calf'", NULL);
	free(text);
	clear_dir();
	text = mutated("soleus", "\"actions\": [", "\"actions\": [17, ");
	write_file("soleus.json", text);
	expect_load(TRP_ESCHEMA, "actions[0]", "expected a non-empty string", NULL);
	free(text);
	clear_dir();
	text = mutated("soleus", "\"technique\": \"", "\"technique\": \"x");
	write_file("soleus.json", text);
	expect_load(TRP_ESCHEMA, "self_care[0].technique", "expected pressure", NULL);
	free(text);
	clear_dir();
	text = mutated("soleus", "\"group\": \"leg_foot\"", "\"group\": \"neck\"");
	write_file("soleus.json", text);
	expect_load(TRP_ESCHEMA, "group", "'leg_foot' in data/muscles.tsv", NULL);
	free(text);

	/* an empty directory, and one that does not exist */
	clear_dir();
	expect_load(TRP_ESCHEMA, "no muscle files", NULL, NULL);
	{
		char msg[512];
		trp_atlas *a;

		assert_int_equal(trp_atlas_open_dir("/nonexistent/trp", &a, msg, sizeof msg), TRP_EIO);
		assert_null(a);
		assert_non_null(strstr(msg, "/nonexistent/trp"));
	}
}

static void test_no_essential_zone(void **state)
{
	char *text, *p;

	(void)state;
	clear_dir();
	text = mutated("soleus", NULL, NULL);
	while ((p = strstr(text, "\"essential\"")))
		memcpy(p, "\"spillover\"", strlen("\"spillover\""));
	write_file("soleus.json", text);
	expect_load(TRP_ESCHEMA, "referral", "at least one essential zone", NULL);
	free(text);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_regions_match_data_file),
		cmocka_unit_test(test_builtin_covers_vocabulary),
		cmocka_unit_test(test_builtin_equals_loaded_dir),
		cmocka_unit_test(test_find),
		cmocka_unit_test(test_every_family_has_parts),
		cmocka_unit_test(test_every_alias_finds_its_muscle),
		cmocka_unit_test(test_touches_region),
		cmocka_unit_test_setup_teardown(test_loader_accepts_round_trip, setup_dir, teardown_dir),
		cmocka_unit_test_setup_teardown(test_loader_errors, setup_dir, teardown_dir),
		cmocka_unit_test_setup_teardown(test_no_essential_zone, setup_dir, teardown_dir),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
