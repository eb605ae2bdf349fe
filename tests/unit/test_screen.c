/* test_screen.c: the safety screening: the questions compiled in from data/screen.json
 * (every item of the issue is there, in the order they are asked), every outcome, the
 * flags and their order, answers files (good and bad), the JSON, and the loader that
 * fails the build on a broken questions file with its file, line and field. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <jansson.h>

#include "trp/release.h"
#include "screen_impl.h"

static const char *const emergency[] = {
	"chest_pressure", "saddle_numbness", "stroke_signs", "thunderclap_headache",
	"hot_swollen_calf", "sudden_breathlessness", NULL
};
static const char *const see_doctor[] = {
	"fever_spinal_pain", "cancer_history", "weight_loss", "night_pain", "spreading_numbness",
	"osteoporosis_fall", "headache_over_50", "hot_swollen_joint", "no_better", NULL
};
static const char *const precaution[] = {
	"blood_thinners", "pregnancy", "reduced_sensation", "varicose_veins", "known_clot",
	"recent_surgery", "broken_skin", NULL
};

/* Answers with the given codes "yes" (NULL-terminated). */
static trp_answers yes(const char *first, ...)
{
	trp_answers a;
	const char *code;
	va_list ap;

	trp_answers_clear(&a);
	va_start(ap, first);
	for (code = first; code; code = va_arg(ap, const char *)) {
		int i = trp_screen_find(code);

		if (i < 0)
			fail_msg("no question '%s'", code);
		a.yes[i] = 1;
	}
	va_end(ap);
	return a;
}

static void test_questions(void **state)
{
	const char *const *const lists[] = { emergency, see_doctor, precaution };
	size_t n = trp_screen_count(), i;
	int g;

	(void)state;
	assert_true(n >= 22 && n <= TRP_SCREEN_MAX);
	/* every item of the issue, in its group */
	for (g = 0; g < 3; g++)
		for (i = 0; lists[g][i]; i++) {
			int k = trp_screen_find(lists[g][i]);

			if (k < 0)
				fail_msg("missing question '%s'", lists[g][i]);
			assert_int_equal(trp_screen_question((size_t)k)->group, (trp_screen_group)g);
		}
	/* asked in group order, each with words and a source */
	for (i = 0; i < n; i++) {
		const trp_question *q = trp_screen_question(i);

		assert_non_null(q);
		if (i)
			assert_true(trp_screen_question(i - 1)->group <= q->group);
		assert_true(strlen(q->question) > 20 && q->question[strlen(q->question) - 1] == '?');
		assert_true(strlen(q->message) > 20);
		assert_true(strlen(q->source) > 10);
		assert_int_equal(trp_screen_find(q->code), (int)i);
	}
	assert_null(trp_screen_question(n));
	assert_int_equal(trp_screen_find("nope"), -1);
	assert_int_equal(trp_screen_find(NULL), -1);
	assert_string_equal(trp_screen_group_name(TRP_GROUP_SEE_DOCTOR), "see_doctor");
	assert_null(trp_screen_group_name((trp_screen_group)7));
	assert_string_equal(trp_outcome_name(TRP_OUTCOME_PRECAUTIONS), "precautions");
	assert_null(trp_outcome_name((trp_outcome)9));
	/* only precautions change a plan, and each one does */
	for (i = 0; i < trp__screen_n; i++) {
		const struct trp__screen_item *it = &trp__screen_items[i];
		int changes = it->light_pressure || it->no_heat || it->nlight || it->navoid ||
			      it->caution_techniques;

		assert_int_equal(changes, it->q.group == TRP_GROUP_PRECAUTION);
	}
}

static void test_outcomes(void **state)
{
	const char *const *const lists[] = { emergency, see_doctor, precaution };
	static const trp_outcome alone[] = {
		TRP_OUTCOME_EMERGENCY, TRP_OUTCOME_SEE_DOCTOR, TRP_OUTCOME_PRECAUTIONS
	};
	trp_answers a;
	size_t i;
	int g;

	(void)state;
	trp_answers_clear(&a);
	assert_int_equal(trp_screen_outcome(&a), TRP_OUTCOME_CLEAR);
	assert_int_equal(trp_screen_flags(&a, NULL, 0), 0);
	/* every question alone gives the outcome of its group */
	for (g = 0; g < 3; g++)
		for (i = 0; lists[g][i]; i++) {
			a = yes(lists[g][i], NULL);
			assert_int_equal(trp_screen_outcome(&a), alone[g]);
			assert_int_equal(trp_screen_flags(&a, NULL, 0), 1);
		}
	/* the most serious wins */
	a = yes("pregnancy", "night_pain", NULL);
	assert_int_equal(trp_screen_outcome(&a), TRP_OUTCOME_SEE_DOCTOR);
	a = yes("pregnancy", "night_pain", "stroke_signs", NULL);
	assert_int_equal(trp_screen_outcome(&a), TRP_OUTCOME_EMERGENCY);
	/* advice for every outcome */
	for (i = 0; i <= TRP_OUTCOME_EMERGENCY; i++)
		assert_true(strlen(trp_screen_advice((trp_outcome)i)) > 40);
	assert_non_null(strstr(trp_screen_advice(TRP_OUTCOME_EMERGENCY), "emergency"));
	assert_non_null(strstr(trp_screen_advice(TRP_OUTCOME_SEE_DOCTOR), "doctor"));
}

static void test_flags_order(void **state)
{
	const trp_question *flags[TRP_SCREEN_MAX];
	trp_answers a = yes("broken_skin", "no_better", "sudden_breathlessness", "pregnancy", NULL);
	size_t n = trp_screen_flags(&a, flags, TRP_SCREEN_MAX);

	(void)state;
	assert_int_equal(n, 4);
	assert_string_equal(flags[0]->code, "sudden_breathlessness");
	assert_string_equal(flags[1]->code, "no_better");
	assert_string_equal(flags[2]->code, "pregnancy");
	assert_string_equal(flags[3]->code, "broken_skin");
	/* a short buffer still gets the count */
	assert_int_equal(trp_screen_flags(&a, flags, 1), 4);
	assert_string_equal(flags[0]->code, "sudden_breathlessness");
}

/* Parses text and expects err with msg containing want. */
static void bad_answers(const char *text, trp_err want, const char *contains)
{
	trp_answers a;
	char msg[512];
	size_t i;

	msg[0] = '\0';
	memset(&a, 0xff, sizeof a);
	assert_int_equal(trp_answers_parse(text, strlen(text), &a, msg, sizeof msg), want);
	if (!strstr(msg, contains))
		fail_msg("'%s': message '%s' lacks '%s'", text, msg, contains);
	for (i = 0; i < TRP_SCREEN_MAX; i++)
		assert_int_equal(a.yes[i], 0);
}

static void test_answers_parse(void **state)
{
	const char *text = "{\"pregnancy\": true, \"night_pain\": false, \"chest_pressure\": false}";
	trp_answers a;
	char msg[256];

	(void)state;
	assert_int_equal(trp_answers_parse(text, strlen(text), &a, msg, sizeof msg), TRP_OK);
	assert_int_equal(a.yes[trp_screen_find("pregnancy")], 1);
	assert_int_equal(a.yes[trp_screen_find("night_pain")], 0);
	assert_int_equal(trp_screen_flags(&a, NULL, 0), 1);
	assert_int_equal(trp_screen_outcome(&a), TRP_OUTCOME_PRECAUTIONS);
	/* codes not named count as no */
	assert_int_equal(trp_answers_parse("{}", 2, &a, msg, sizeof msg), TRP_OK);
	assert_int_equal(trp_screen_outcome(&a), TRP_OUTCOME_CLEAR);
	assert_int_equal(trp_answers_parse(" {\n} \n", 6, &a, NULL, 0), TRP_OK);

	bad_answers("{\"chest_presure\": true}", TRP_EINVAL,
		    "'chest_presure': unknown screening code (did you mean 'chest_pressure'?)");
	bad_answers("{\"xyzzy\": true}", TRP_EINVAL, "'xyzzy': unknown screening code (the screening questions list the codes)");
	bad_answers("{\"pregnancy\": \"yes\"}", TRP_EINVAL, "'pregnancy': expected true or false, got a string");
	bad_answers("{\"pregnancy\": 1}", TRP_EINVAL, "'pregnancy': expected true or false, got a number");
	bad_answers("{\"pregnancy\": null}", TRP_EINVAL, "got null");
	bad_answers("{\"pregnancy\": [true]}", TRP_EINVAL, "got a list");
	bad_answers("[\"pregnancy\"]", TRP_EINVAL, "expected a JSON object");
	bad_answers("true", TRP_EPARSE, "expected a JSON object");
	bad_answers("{\"pregnancy\": true,}", TRP_EPARSE, "line 1");
	bad_answers("{\"pregnancy\": true, \"pregnancy\": false}", TRP_EPARSE, "duplicate");
	bad_answers("", TRP_EPARSE, "expected a JSON object");
	/* the last good answer set survives nothing: a failure clears it */
	assert_int_equal(trp_answers_parse(NULL, 0, &a, msg, sizeof msg), TRP_EINVAL);
}

static void test_answers_json(void **state)
{
	trp_answers a = yes("known_clot", "weight_loss", NULL), b;
	char *s = trp_answers_json(&a, 1), msg[128];
	json_t *o;

	(void)state;
	assert_non_null(s);
	o = json_loads(s, 0, NULL);
	assert_int_equal(json_object_size(o), trp_screen_count());
	assert_true(json_is_true(json_object_get(o, "known_clot")));
	assert_true(json_is_false(json_object_get(o, "chest_pressure")));
	assert_int_equal(trp_answers_parse(s, strlen(s), &b, msg, sizeof msg), TRP_OK);
	assert_memory_equal(&a, &b, sizeof a);
	json_decref(o);
	free(s);
}

static void test_screen_json(void **state)
{
	static const char *const keys[] = { "outcome", "flags", "advice" };
	trp_answers a = yes("varicose_veins", "fever_spinal_pain", NULL);
	char *s = trp_screen_json(&a, 0);
	json_t *o, *flags;
	const char *key;
	json_t *v;
	int k = 0;

	(void)state;
	assert_non_null(s);
	o = json_loads(s, 0, NULL);
	assert_non_null(o);
	json_object_foreach(o, key, v) {
		assert_true(k < 3);
		assert_string_equal(key, keys[k]);
		k++;
	}
	assert_string_equal(json_string_value(json_object_get(o, "outcome")), "see_doctor");
	flags = json_object_get(o, "flags");
	assert_int_equal(json_array_size(flags), 2);
	assert_string_equal(json_string_value(json_object_get(json_array_get(flags, 0), "code")),
			    "fever_spinal_pain");
	assert_true(json_string_length(json_object_get(json_array_get(flags, 0), "message")) > 20);
	assert_string_equal(json_string_value(json_object_get(o, "advice")),
			    trp_screen_advice(TRP_OUTCOME_SEE_DOCTOR));
	json_decref(o);
	free(s);

	s = trp_screen_list_json(1);
	o = json_loads(s, 0, NULL);
	assert_int_equal(json_array_size(o), trp_screen_count());
	assert_string_equal(json_string_value(json_object_get(json_array_get(o, 0), "group")), "emergency");
	assert_int_equal(json_object_size(json_array_get(o, 0)), 3);
	json_decref(o);
	free(s);
}

/* Loads a questions file given as text; returns the error and the message. */
static trp_err load(const char *text, char *msg, size_t size)
{
	struct trp__screen_set set;
	trp_err err = trp__screen_load("q.json", text, strlen(text), &set, msg, size);

	trp__screen_set_free(&set);
	return err;
}

static void expect_load_error(const char *text, trp_err want, const char *contains)
{
	char msg[512] = "";

	assert_int_equal(load(text, msg, sizeof msg), want);
	if (!strstr(msg, contains))
		fail_msg("message '%s' lacks '%s'", msg, contains);
}

#define Q(group, extra) "{\"code\": \"a\", \"group\": \"" group "\", \"question\": \"q?\", " \
	"\"message\": \"m\", \"source\": \"s\"" extra "}"

static void test_loader(void **state)
{
	char path[512], *text;
	struct trp__screen_set set;
	char msg[512];
	FILE *f;
	long len;
	size_t i;

	(void)state;
	/* the project's own file loads, and is what was compiled in */
	snprintf(path, sizeof path, "%s/data/screen.json", TRP_SOURCE_DIR);
	f = fopen(path, "rb");
	assert_non_null(f);
	fseek(f, 0, SEEK_END);
	len = ftell(f);
	rewind(f);
	text = malloc((size_t)len + 1);
	assert_int_equal(fread(text, 1, (size_t)len, f), (size_t)len);
	fclose(f);
	assert_int_equal(trp__screen_load(path, text, (size_t)len, &set, msg, sizeof msg), TRP_OK);
	assert_int_equal(set.n, trp__screen_n);
	for (i = 0; i < set.n; i++) {
		assert_string_equal(set.items[i].q.code, trp__screen_items[i].q.code);
		assert_int_equal(set.items[i].caution_techniques, trp__screen_items[i].caution_techniques);
	}
	trp__screen_set_free(&set);
	free(text);

	assert_int_equal(load("[" Q("precaution", ", \"no_heat\": true") "]", msg, sizeof msg), TRP_OK);
	expect_load_error("[" Q("emergency", ", \"colour\": 1") "]", TRP_ESCHEMA,
			  "q.json:1: [0].colour: unknown field");
	expect_load_error("[\n" Q("emergency", "") ",\n" Q("see_doctor", "") "\n]", TRP_ESCHEMA,
			  "q.json:3: [1].code: duplicate code 'a'");
	expect_load_error("[\n{\"code\": \"b\", \"group\": \"precaution\", \"question\": \"q?\",\n"
			  "\"message\": \"m\", \"source\": \"s\",\n\"avoid_regions\": [\"bely\"]}]",
			  TRP_ESCHEMA, "q.json:4: [0].avoid_regions[0]: unknown region 'bely'");
	expect_load_error("[" Q("see_doctor", ", \"no_heat\": true") "]", TRP_ESCHEMA,
			  "[0].no_heat: only a precaution question changes a plan");
	expect_load_error("[" Q("precaution", "") "]", TRP_ESCHEMA, "a precaution must change the plan");
	expect_load_error("[" Q("precaution", ", \"no_heat\": false") "]", TRP_ESCHEMA, "[0].no_heat: expected true");
	expect_load_error("[" Q("precaution", ", \"max_pressure\": \"firm\"") "]", TRP_ESCHEMA,
			  "[0].max_pressure: expected \"light\"");
	expect_load_error("[" Q("precaution", ", \"caution_techniques\": [\"massage\"]") "]", TRP_ESCHEMA,
			  "[0].caution_techniques[0]: expected pressure, ball_wall");
	expect_load_error("[" Q("urgent", "") "]", TRP_ESCHEMA,
			  "[0].group: expected emergency, see_doctor or precaution");
	expect_load_error("[{\"code\": \"b\", \"group\": \"precaution\", \"question\": \"q\", \"message\": \"m\", "
			  "\"source\": \"s\", \"no_heat\": true}, " Q("emergency", "") "]", TRP_ESCHEMA,
			  "[1].group: 'emergency' after a 'precaution' question");
	expect_load_error("[{\"code\": \"Bad Code\", \"group\": \"emergency\", \"question\": \"q\", "
			  "\"message\": \"m\", \"source\": \"s\"}]", TRP_ESCHEMA, "[0].code: 'Bad Code' is not a snake_case code");
	expect_load_error("[{\"code\": \"b\", \"group\": \"emergency\", \"question\": \"q\", "
			  "\"message\": \"m\"}]", TRP_ESCHEMA, "[0]: missing field 'source'");
	expect_load_error("[{\"code\": \"b\", \"group\": \"emergency\", \"question\": \" \", "
			  "\"message\": \"m\", \"source\": \"s\"}]", TRP_ESCHEMA, "[0].question: expected a non-empty string");
	expect_load_error("{}", TRP_ESCHEMA, "(top): expected a list of 1 to 64 question objects");
	expect_load_error("[]", TRP_ESCHEMA, "expected a list");
	expect_load_error("[\n{\"code\": ]", TRP_EPARSE, "q.json:2:");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_questions),
		cmocka_unit_test(test_outcomes),
		cmocka_unit_test(test_flags_order),
		cmocka_unit_test(test_answers_parse),
		cmocka_unit_test(test_answers_json),
		cmocka_unit_test(test_screen_json),
		cmocka_unit_test(test_loader),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
