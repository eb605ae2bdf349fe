/* test_screen.c: the safety screening: every red flag of the issue held to its outcome
 * (table-driven: for each tag, a question that covers it, answered yes alone, gives at
 * least that outcome), every combination rule on both sides of its threshold, the skip
 * rules, the sections, the flags and their order, answers files with the age (good and
 * bad), the JSON, and the loaders that fail the build on a broken questions or factors
 * file with its file, line and field. */
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

#define E TRP_OUTCOME_EMERGENCY
#define SD TRP_OUTCOME_SEE_DOCTOR
#define P TRP_OUTCOME_PRECAUTIONS
#define C TRP_OUTCOME_CLEAR

/* The red flags of issue 12 and the least outcome a "yes" to one question covering each
 * must give on its own. Written from the issue, not from data/screen.json. */
static const struct {
	const char *tag;
	trp_outcome at_least;
} tags[] = {
	{ "cardiac.acute_coronary", E },
	{ "cardiac.exertional_chest_pain", SD },
	{ "pulmonary.embolism", E },
	{ "vascular.aortic", E },
	{ "vascular.dvt", SD },
	{ "vascular.claudication", SD },
	{ "vascular.compartment", E },
	{ "neuro.stroke", E },
	{ "neuro.cauda_equina", E },
	{ "neuro.cord_compression", SD },
	{ "neuro.progressive_deficit", SD },
	{ "cervical.arterial", E },
	{ "cervical.instability_trauma", SD },
	{ "headache.thunderclap", E },
	{ "headache.meningism", E },
	{ "headache.new_over_50", SD },
	{ "headache.pattern_change", SD },
	{ "headache.positional_or_valsalva", SD },
	{ "headache.visual_or_neuro", SD },
	{ "headache.pregnancy_postpartum", SD },
	{ "headache.giant_cell_arteritis", SD },
	{ "spine.fracture", SD },
	{ "spine.infection", SD },
	{ "cancer.history", SD },
	{ "cancer.weight_loss", SD },
	{ "cancer.night_or_rest_pain", SD },
	{ "cancer.lump_or_bone_pain", SD },
	{ "inflammatory.joint", SD },
	{ "inflammatory.back_pain", SD },
	{ "inflammatory.polymyalgia", SD },
	{ "muscle.statin_or_dark_urine", SD },
	{ "fracture.weight_bearing", SD },
	{ "course.no_better", SD },
	{ "bleeding.anticoagulant", P },
	{ "bleeding.antiplatelet_or_low_platelets", P },
	{ "pregnancy.pregnant_or_postpartum", P },
	{ "sensation.reduced", P },
	{ "vascular.varicose", P },
	{ "surgery.recent_or_implant", P },
	{ "surgery.lymph_nodes_removed", P },
	{ "skin.broken", P },
	{ "bone.osteoporosis", P },
};
#define NTAGS (sizeof tags / sizeof tags[0])

static int index_of(const char *code)
{
	int i = trp_screen_find(code);

	if (i < 0)
		fail_msg("no question '%s'", code);
	return i;
}

/* Answers with the codes of a space-separated list "yes", and this age. */
static trp_answers answers(const char *codes, int age)
{
	char buf[512], *save, *t;
	trp_answers a;

	trp_answers_clear(&a);
	a.age = age;
	snprintf(buf, sizeof buf, "%s", codes);
	for (t = strtok_r(buf, " ", &save); t; t = strtok_r(NULL, " ", &save))
		a.yes[index_of(t)] = 1;
	return a;
}

#define NO_AGE TRP_AGE_UNKNOWN

static void bad_answers(const char *text, trp_err want, const char *contains);

static int covers(const char *const *list, size_t n, const char *tag)
{
	size_t k;

	for (k = 0; k < n; k++)
		if (strcmp(list[k], tag) == 0)
			return 1;
	return 0;
}

/* Whether a flag among the answers' flags covers `tag` with at least `outcome`. */
static int flagged(const trp_answers *a, const char *tag, trp_outcome outcome)
{
	trp_flag f[TRP_SCREEN_FLAGS_MAX];
	size_t n = trp_screen_flags(a, f, TRP_SCREEN_FLAGS_MAX), i, r;

	for (i = 0; i < n; i++) {
		int q = trp_screen_find(f[i].code);

		if (f[i].outcome < outcome)
			continue;
		if (q >= 0 && covers(trp_screen_question((size_t)q)->covers,
				     trp_screen_question((size_t)q)->ncovers, tag))
			return 1;
		for (r = 0; r < trp_screen_rule_count(); r++)
			if (strcmp(trp_screen_rule_at(r)->code, f[i].code) == 0 &&
			    covers(trp_screen_rule_at(r)->covers, trp_screen_rule_at(r)->ncovers, tag))
				return 1;
	}
	return 0;
}

/* Sets yes for question i and, recursively, for the questions it is asked after. */
static void yes_with_gates(trp_answers *a, size_t i)
{
	const trp_question *q = trp_screen_question(i);
	size_t k;

	a->yes[i] = 1;
	for (k = 0; k < q->nask_if_yes; k++)
		yes_with_gates(a, (size_t)index_of(q->ask_if_yes[k]));
}

/* For every tag: some question covering it, answered yes alone (with the questions it
 * follows, and the age not given), raises a flag that covers the tag with at least the
 * tag's outcome. And no question or rule names a tag outside the table. */
static void test_every_tag_holds_its_outcome(void **state)
{
	size_t t, i, r;

	(void)state;
	for (t = 0; t < NTAGS; t++) {
		const char *by = NULL;

		for (i = 0; i < trp_screen_count() && !by; i++) {
			const trp_question *q = trp_screen_question(i);
			trp_answers a;

			if (q->type != TRP_QUESTION_YES_NO || !covers(q->covers, q->ncovers, tags[t].tag))
				continue;
			trp_answers_clear(&a);
			yes_with_gates(&a, i);
			if (trp_screen_outcome(&a) >= tags[t].at_least && flagged(&a, tags[t].tag, tags[t].at_least))
				by = q->code;
		}
		if (!by)
			fail_msg("tag '%s': no question covering it gives '%s' when answered yes alone",
				 tags[t].tag, trp_outcome_name(tags[t].at_least));
		print_message("  %-40s %-12s by %s\n", tags[t].tag, trp_outcome_name(tags[t].at_least), by);
	}
	for (i = 0; i < trp_screen_count(); i++) {
		const trp_question *q = trp_screen_question(i);
		size_t k;

		assert_true(q->ncovers > 0);
		for (k = 0; k < q->ncovers; k++) {
			for (t = 0; t < NTAGS && strcmp(tags[t].tag, q->covers[k]) != 0; t++)
				;
			if (t == NTAGS)
				fail_msg("question '%s' covers '%s', a tag the issue does not name", q->code,
					 q->covers[k]);
		}
	}
	for (r = 0; r < trp_screen_rule_count(); r++) {
		const trp_screen_rule *rule = trp_screen_rule_at(r);
		size_t k;

		for (k = 0; k < rule->ncovers; k++) {
			for (t = 0; t < NTAGS && strcmp(tags[t].tag, rule->covers[k]) != 0; t++)
				;
			if (t == NTAGS)
				fail_msg("rule '%s' covers '%s', a tag the issue does not name", rule->code,
					 rule->covers[k]);
		}
	}
}

/* The combination rules, on both sides of each threshold: the answers, the age, the
 * outcome they give, and the rule flag that must (or, with '-', must not) be raised. */
static const struct {
	const char *yes;
	int age;
	trp_outcome want;
	const char *flag;
} combos[] = {
	/* calf pain + any clot risk factor: see a doctor the same day */
	{ "calf_pain", 40, C, "-calf_pain_clot_risk" },
	{ "clot_risk", 40, C, "-calf_pain_clot_risk" },
	{ "calf_pain clot_risk", 40, SD, "calf_pain_clot_risk" },
	{ "pregnancy", 30, P, "-calf_pain_clot_risk" },
	{ "calf_pain pregnancy", 30, SD, "calf_pain_clot_risk" },
	{ "known_clot", 60, P, "-calf_pain_clot_risk" },
	{ "calf_pain known_clot", 60, SD, "calf_pain_clot_risk" },
	{ "recent_surgery", 60, P, "-calf_pain_clot_risk" },
	{ "calf_pain recent_surgery", 60, SD, "calf_pain_clot_risk" },
	{ "cancer_history", 60, SD, "-calf_pain_clot_risk" },
	{ "calf_pain cancer_history", 60, SD, "calf_pain_clot_risk" },
	{ "calf_pain varicose_veins", 60, P, "-calf_pain_clot_risk" },   /* not a clot risk */
	/* fever + stiff neck + headache: emergency; any two are not */
	{ "headache stiff_neck", 30, C, "-fever_stiff_neck" },
	{ "headache fever", 30, P, "-fever_stiff_neck" },
	{ "stiff_neck fever", 30, P, "-fever_stiff_neck" },
	{ "headache stiff_neck fever", 30, E, "fever_stiff_neck" },
	/* a new headache at 50 or over: see a doctor */
	{ "headache new_headache", 49, C, "-new_headache_over_50" },
	{ "headache new_headache", 50, SD, "new_headache_over_50" },
	{ "headache new_headache", 80, SD, "new_headache_over_50" },
	{ "headache new_headache", NO_AGE, SD, "new_headache_over_50" },   /* not reassured */
	{ "headache", 50, C, "-new_headache_over_50" },
	/* jaw pain on chewing or a tender scalp at 50 or over: giant cell arteritis */
	{ "gca_signs", 49, C, "-gca_over_50" },
	{ "gca_signs", 50, SD, "gca_over_50" },
	{ "gca_signs", NO_AGE, SD, "gca_over_50" },
	{ "", 50, C, "-gca_over_50" },
	{ "", NO_AGE, C, "-gca_over_50" },
};

static int has_flag(const trp_answers *a, const char *code)
{
	trp_flag f[TRP_SCREEN_FLAGS_MAX];
	size_t n = trp_screen_flags(a, f, TRP_SCREEN_FLAGS_MAX), i;

	for (i = 0; i < n; i++)
		if (strcmp(f[i].code, code) == 0)
			return 1;
	return 0;
}

static void test_combination_rules(void **state)
{
	size_t i, r;

	(void)state;
	for (i = 0; i < sizeof combos / sizeof combos[0]; i++) {
		trp_answers a = answers(combos[i].yes, combos[i].age);
		int want_flag = combos[i].flag[0] != '-';
		const char *code = combos[i].flag + !want_flag;

		if (trp_screen_outcome(&a) != combos[i].want)
			fail_msg("'%s' at age %d: outcome %s, wanted %s", combos[i].yes, combos[i].age,
				 trp_outcome_name(trp_screen_outcome(&a)), trp_outcome_name(combos[i].want));
		if (has_flag(&a, code) != want_flag)
			fail_msg("'%s' at age %d: flag '%s' %s", combos[i].yes, combos[i].age, code,
				 want_flag ? "missing" : "raised");
	}
	/* every rule of the file is tried above, both ways */
	for (r = 0; r < trp_screen_rule_count(); r++) {
		int on = 0, off = 0;

		for (i = 0; i < sizeof combos / sizeof combos[0]; i++) {
			const char *code = combos[i].flag + (combos[i].flag[0] == '-');

			if (strcmp(code, trp_screen_rule_at(r)->code) == 0)
				*(combos[i].flag[0] == '-' ? &off : &on) += 1;
		}
		if (!on || !off)
			fail_msg("rule '%s' is not tested on both sides", trp_screen_rule_at(r)->code);
	}
	/* a rule names its group's outcome, and its flag says it is a rule */
	{
		trp_answers a = answers("headache stiff_neck fever", 30);
		trp_flag f[TRP_SCREEN_FLAGS_MAX];
		size_t n = trp_screen_flags(&a, f, TRP_SCREEN_FLAGS_MAX);

		assert_true(n >= 2);
		assert_string_equal(f[0].code, "fever_stiff_neck");
		assert_int_equal(f[0].outcome, E);
		assert_true(f[0].rule);
		assert_true(strlen(f[0].message) > 20 && strlen(f[0].source) > 10);
		assert_false(f[n - 1].rule);
		assert_int_equal(trp_screen_rule_fires(&a, trp_screen_rule_count()), 0);
	}
}

/* Questions that cannot apply are skipped: follow-ups after a "no", the age-bound ones
 * below their age. */
static void test_skip_rules(void **state)
{
	size_t preg = (size_t)index_of("pregnancy_headache"), gca = (size_t)index_of("gca_signs");
	size_t clot = (size_t)index_of("clot_risk"), i, k;
	trp_answers a;

	(void)state;
	a = answers("headache", 30);
	assert_false(trp_screen_applies(&a, preg));   /* no pregnancy follow-up after a no */
	a = answers("pregnancy", 30);
	assert_false(trp_screen_applies(&a, preg));
	a = answers("pregnancy headache", 30);
	assert_true(trp_screen_applies(&a, preg));
	a = answers("", 49);
	assert_false(trp_screen_applies(&a, gca));
	a = answers("", 50);
	assert_true(trp_screen_applies(&a, gca));
	a = answers("", NO_AGE);
	assert_true(trp_screen_applies(&a, gca));
	a = answers("", 40);
	assert_false(trp_screen_applies(&a, clot));
	a = answers("calf_pain", 40);
	assert_true(trp_screen_applies(&a, clot));
	/* the headache follow-ups wait for a yes to headache */
	for (i = 0; i < trp_screen_count(); i++) {
		const trp_question *q = trp_screen_question(i);

		for (k = 0; k < q->nask_if_yes; k++) {
			/* a gate comes before what it opens */
			assert_true((size_t)index_of(q->ask_if_yes[k]) < i);
			if (strcmp(q->ask_if_yes[k], "headache") == 0) {
				a = answers("", 60);
				assert_false(trp_screen_applies(&a, i));
			}
		}
	}
	assert_false(trp_screen_applies(&a, trp_screen_count()));
	/* a yes to a question that would have been skipped still counts */
	a = answers("pregnancy_headache", 30);
	assert_int_equal(trp_screen_outcome(&a), SD);
}

static void test_questions(void **state)
{
	size_t n = trp_screen_count(), i, ages = 0, sections = 0;
	const char *section = NULL;

	(void)state;
	assert_true(n >= 30 && n <= TRP_SCREEN_MAX);
	for (i = 0; i < n; i++) {
		const trp_question *q = trp_screen_question(i);
		size_t j;

		assert_non_null(q);
		assert_int_equal(trp_screen_find(q->code), (int)i);
		assert_true(strlen(q->question) > 20 && q->question[strlen(q->question) - 1] == '?');
		assert_true(strlen(q->source) > 10);
		/* a section's questions come together */
		if (q->section != section) {
			for (j = 0; j < i; j++)
				assert_true(strcmp(trp_screen_question(j)->section, q->section) != 0);
			section = q->section;
			sections++;
		}
		assert_true(strlen(q->section_title) > 3);
		if (q->type == TRP_QUESTION_AGE) {
			ages++;
			assert_int_equal(q->group, TRP_GROUP_COMBINED);
		}
		/* a combined question and the age speak through the rules; the others say what to do */
		if (q->group == TRP_GROUP_COMBINED)
			assert_null(q->message);
		else
			assert_true(strlen(q->message) > 20);
	}
	assert_int_equal(ages, 1);
	assert_string_equal(trp_screen_question(0)->code, "age");
	assert_true(sections >= 5);
	assert_null(trp_screen_question(n));
	assert_null(trp_screen_rule_at(trp_screen_rule_count()));
	assert_int_equal(trp_screen_find("nope"), -1);
	assert_int_equal(trp_screen_find(NULL), -1);
	assert_string_equal(trp_screen_group_name(TRP_GROUP_SEE_DOCTOR), "see_doctor");
	assert_string_equal(trp_screen_group_name(TRP_GROUP_COMBINED), "combined");
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
	/* the old codes still read (answers files saved before v2) */
	{
		static const char *const old[] = {
			"chest_pressure", "saddle_numbness", "stroke_signs", "thunderclap_headache",
			"hot_swollen_calf", "sudden_breathlessness", "fever_spinal_pain", "cancer_history",
			"weight_loss", "night_pain", "spreading_numbness", "osteoporosis_fall",
			"hot_swollen_joint", "no_better", "blood_thinners", "pregnancy",
			"reduced_sensation", "varicose_veins", "known_clot", "recent_surgery", "broken_skin",
		};   /* and headache_over_50, below */

		for (i = 0; i < sizeof old / sizeof old[0]; i++)
			index_of(old[i]);
		/* the one retired code reads as the questions that took it over */
		{
			trp_answers a;
			const char *file = "{\"headache_over_50\": true}";

			assert_int_equal(trp_answers_parse(file, strlen(file), &a, NULL, 0), TRP_OK);
			assert_true(a.yes[index_of("headache")] && a.yes[index_of("new_headache")] &&
				    a.yes[index_of("gca_signs")]);
			assert_int_equal(trp_screen_outcome(&a), SD);
			file = "{\"headache_over_50\": false}";
			assert_int_equal(trp_answers_parse(file, strlen(file), &a, NULL, 0), TRP_OK);
			assert_int_equal(trp_screen_outcome(&a), C);
			bad_answers("{\"headache_over_50\": 1}", TRP_EINVAL, "'headache_over_50': expected true or false");
		}
		/* one calf that is swollen is a same-day doctor's visit, not an emergency */
		assert_int_equal(trp_screen_question((size_t)index_of("hot_swollen_calf"))->group,
				 TRP_GROUP_SEE_DOCTOR);
	}
}

static void test_outcomes(void **state)
{
	trp_answers a;
	size_t i;

	(void)state;
	trp_answers_clear(&a);
	assert_int_equal(a.age, TRP_AGE_UNKNOWN);
	assert_int_equal(trp_screen_outcome(&a), C);
	assert_int_equal(trp_screen_flags(&a, NULL, 0), 0);
	/* every yes/no question alone gives the outcome of its group (combined: nothing, with
	 * an age below every rule's threshold) */
	for (i = 0; i < trp_screen_count(); i++) {
		const trp_question *q = trp_screen_question(i);
		static const trp_outcome alone[] = { E, SD, P, C };

		if (q->type != TRP_QUESTION_YES_NO)
			continue;
		trp_answers_clear(&a);
		a.age = 30;
		a.yes[i] = 1;
		if (trp_screen_outcome(&a) != alone[q->group])
			fail_msg("'%s' alone: %s", q->code, trp_outcome_name(trp_screen_outcome(&a)));
		assert_int_equal(trp_screen_flags(&a, NULL, 0), q->group == TRP_GROUP_COMBINED ? 0 : 1);
	}
	/* the most serious wins */
	a = answers("pregnancy night_pain", 30);
	assert_int_equal(trp_screen_outcome(&a), SD);
	a = answers("pregnancy night_pain stroke_signs", 30);
	assert_int_equal(trp_screen_outcome(&a), E);
	/* advice for every outcome */
	for (i = 0; i <= E; i++)
		assert_true(strlen(trp_screen_advice((trp_outcome)i)) > 40);
	assert_non_null(strstr(trp_screen_advice(E), "emergency"));
	assert_non_null(strstr(trp_screen_advice(SD), "today"));
}

static void test_flags_order(void **state)
{
	trp_flag flags[TRP_SCREEN_FLAGS_MAX];
	trp_answers a = answers("broken_skin no_better sudden_breathlessness pregnancy calf_pain", 30);
	size_t n = trp_screen_flags(&a, flags, TRP_SCREEN_FLAGS_MAX);

	(void)state;
	assert_int_equal(n, 5);
	assert_string_equal(flags[0].code, "sudden_breathlessness");
	assert_string_equal(flags[1].code, "no_better");
	assert_string_equal(flags[2].code, "calf_pain_clot_risk");   /* questions, then rules */
	assert_string_equal(flags[3].code, "pregnancy");
	assert_string_equal(flags[4].code, "broken_skin");
	assert_int_equal(flags[1].outcome, SD);
	assert_int_equal(flags[4].outcome, P);
	/* a short buffer still gets the count */
	assert_int_equal(trp_screen_flags(&a, flags, 1), 5);
	assert_string_equal(flags[0].code, "sudden_breathlessness");
}

/* Parses text and expects err with msg containing want; the answers come back cleared. */
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
	assert_int_equal(a.age, TRP_AGE_UNKNOWN);
}

static void test_answers_parse(void **state)
{
	const char *text = "{\"pregnancy\": true, \"night_pain\": false, \"chest_pressure\": false, \"age\": 42}";
	trp_answers a;
	char msg[256];

	(void)state;
	assert_int_equal(trp_answers_parse(text, strlen(text), &a, msg, sizeof msg), TRP_OK);
	assert_int_equal(a.yes[index_of("pregnancy")], 1);
	assert_int_equal(a.yes[index_of("night_pain")], 0);
	assert_int_equal(a.age, 42);
	assert_int_equal(trp_screen_flags(&a, NULL, 0), 1);
	assert_int_equal(trp_screen_outcome(&a), P);
	/* codes not named count as no; an age not named is not given */
	assert_int_equal(trp_answers_parse("{}", 2, &a, msg, sizeof msg), TRP_OK);
	assert_int_equal(trp_screen_outcome(&a), C);
	assert_int_equal(a.age, TRP_AGE_UNKNOWN);
	assert_int_equal(trp_answers_parse(" {\n} \n", 6, &a, NULL, 0), TRP_OK);
	/* the ends of the age range */
	assert_int_equal(trp_answers_parse("{\"age\": 0}", 10, &a, NULL, 0), TRP_OK);
	assert_int_equal(a.age, 0);
	assert_int_equal(trp_answers_parse("{\"age\": 120}", 12, &a, NULL, 0), TRP_OK);
	assert_int_equal(a.age, 120);

	bad_answers("{\"chest_presure\": true}", TRP_EINVAL,
		    "'chest_presure': unknown screening code (did you mean 'chest_pressure'?)");
	bad_answers("{\"xyzzy\": true}", TRP_EINVAL, "'xyzzy': unknown screening code (the screening questions list the codes)");
	bad_answers("{\"calf_pain_clot_risk\": true}", TRP_EINVAL, "unknown screening code");   /* a rule */
	bad_answers("{\"pregnancy\": \"yes\"}", TRP_EINVAL, "'pregnancy': expected true or false, got a string");
	bad_answers("{\"pregnancy\": 1}", TRP_EINVAL, "'pregnancy': expected true or false, got a whole number");
	bad_answers("{\"pregnancy\": null}", TRP_EINVAL, "got null");
	bad_answers("{\"pregnancy\": [true]}", TRP_EINVAL, "got a list");
	bad_answers("{\"age\": 121}", TRP_EINVAL, "'age': expected the age as a whole number of years from 0 to 120, got 121");
	bad_answers("{\"age\": -1}", TRP_EINVAL, "from 0 to 120, got -1");
	bad_answers("{\"age\": 42.5}", TRP_EINVAL, "'age': expected the age as a whole number of years from 0 to 120, got a fraction");
	bad_answers("{\"age\": \"42\"}", TRP_EINVAL, "got a string");
	bad_answers("{\"age\": true}", TRP_EINVAL, "got true");
	bad_answers("{\"age\": null, \"pregnancy\": true}", TRP_EINVAL, "got null");
	bad_answers("{\"pregnancy\": true, \"age\": 99999999999999999999}", TRP_EPARSE, "line 1");
	bad_answers("[\"pregnancy\"]", TRP_EINVAL, "expected a JSON object {\"age\": N, \"CODE\": true|false, ...}");
	bad_answers("true", TRP_EPARSE, "expected a JSON object");
	bad_answers("{\"pregnancy\": true,}", TRP_EPARSE, "line 1");
	bad_answers("{\"pregnancy\": true, \"pregnancy\": false}", TRP_EPARSE, "duplicate");
	bad_answers("", TRP_EPARSE, "expected a JSON object");
	assert_int_equal(trp_answers_parse(NULL, 0, &a, msg, sizeof msg), TRP_EINVAL);
}

static void test_answers_json(void **state)
{
	trp_answers a = answers("known_clot weight_loss", 57), b;
	char *s = trp_answers_json(&a, 1), msg[128];
	json_t *o;

	(void)state;
	assert_non_null(s);
	o = json_loads(s, 0, NULL);
	assert_int_equal(json_object_size(o), trp_screen_count());
	assert_int_equal(json_integer_value(json_object_get(o, "age")), 57);
	assert_true(json_is_true(json_object_get(o, "known_clot")));
	assert_true(json_is_false(json_object_get(o, "chest_pressure")));
	assert_int_equal(trp_answers_parse(s, strlen(s), &b, msg, sizeof msg), TRP_OK);
	assert_memory_equal(&a, &b, sizeof a);
	json_decref(o);
	free(s);
	/* no age given: no age written, and it reads back as not given */
	a.age = TRP_AGE_UNKNOWN;
	s = trp_answers_json(&a, 0);
	o = json_loads(s, 0, NULL);
	assert_null(json_object_get(o, "age"));
	assert_int_equal(json_object_size(o), trp_screen_count() - 1);
	assert_int_equal(trp_answers_parse(s, strlen(s), &b, msg, sizeof msg), TRP_OK);
	assert_memory_equal(&a, &b, sizeof a);
	json_decref(o);
	free(s);
}

static void test_screen_json(void **state)
{
	static const char *const keys[] = { "outcome", "flags", "advice" };
	static const char *const flag_keys[] = { "code", "message", "outcome", "rule", "source" };
	static const char *const list_keys[] = {
		"code", "group", "question", "section", "section_title", "type", "covers", "source", "ask_if"
	};
	trp_answers a = answers("varicose_veins fever_spinal_pain", 30);
	char *s = trp_screen_json(&a, 0);
	json_t *o, *flags, *v, *q;
	const char *key;
	size_t k = 0, i;

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
	k = 0;
	json_object_foreach(json_array_get(flags, 0), key, v) {
		assert_true(k < 5);
		assert_string_equal(key, flag_keys[k]);
		k++;
	}
	assert_string_equal(json_string_value(json_object_get(json_array_get(flags, 0), "code")),
			    "fever_spinal_pain");
	assert_string_equal(json_string_value(json_object_get(json_array_get(flags, 1), "outcome")),
			    "precautions");
	assert_true(json_is_false(json_object_get(json_array_get(flags, 0), "rule")));
	assert_true(json_string_length(json_object_get(json_array_get(flags, 0), "message")) > 20);
	assert_string_equal(json_string_value(json_object_get(o, "advice")), trp_screen_advice(SD));
	json_decref(o);
	free(s);

	s = trp_screen_list_json(1);
	o = json_loads(s, 0, NULL);
	assert_int_equal(json_array_size(o), trp_screen_count());
	json_array_foreach(o, i, q) {
		k = 0;
		json_object_foreach(q, key, v) {
			assert_true(k < 9);
			assert_string_equal(key, list_keys[k]);
			k++;
		}
		assert_int_equal(k, 9);
		assert_true(json_array_size(json_object_get(q, "covers")) > 0);
	}
	q = json_array_get(o, (size_t)index_of("age"));
	assert_string_equal(json_string_value(json_object_get(q, "type")), "age");
	assert_string_equal(json_string_value(json_object_get(q, "group")), "combined");
	assert_true(json_is_null(json_object_get(q, "ask_if")));
	q = json_array_get(o, (size_t)index_of("pregnancy_headache"));
	assert_string_equal(json_string_value(json_array_get(json_object_get(json_object_get(q, "ask_if"), "yes"), 0)),
			    "pregnancy");
	q = json_array_get(o, (size_t)index_of("gca_signs"));
	assert_int_equal(json_integer_value(json_object_get(json_object_get(q, "ask_if"), "age_at_least")), 50);
	json_decref(o);
	free(s);
}

static void test_body_factors(void **state)
{
	static const char *const needed[] = {
		"thyroid", "iron", "vitamin_b12", "folate", "vitamin_d", "infection", "sleep"
	};
	size_t i, k, n = trp_body_factor_count();
	char *s;
	json_t *o;

	(void)state;
	for (k = 0; k < sizeof needed / sizeof needed[0]; k++) {
		for (i = 0; i < n && strcmp(trp_body_factor_at(i)->code, needed[k]) != 0; i++)
			;
		if (i == n)
			fail_msg("no whole-body factor '%s'", needed[k]);
	}
	for (i = 0; i < n; i++) {
		const trp_body_factor *f = trp_body_factor_at(i);

		assert_true(strlen(f->name) > 3 && strlen(f->text) > 40 && strlen(f->ask) > 40);
		assert_true(f->nsources >= 1);
		assert_non_null(strstr(f->sources[0], "Travell"));   /* T&S vol 1 ch. 4 first */
	}
	assert_non_null(strstr(trp_body_factor_at(0)->name, "thyroid"));
	assert_null(trp_body_factor_at(n));
	s = trp_body_factors_json(0);
	o = json_loads(s, 0, NULL);
	assert_int_equal(json_array_size(o), n);
	assert_int_equal(json_object_size(json_array_get(o, 0)), 5);
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

static char *slurp(const char *name, size_t *len)
{
	char path[512], *text;
	FILE *f;
	long n;

	snprintf(path, sizeof path, "%s/data/%s", TRP_SOURCE_DIR, name);
	f = fopen(path, "rb");
	assert_non_null(f);
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	rewind(f);
	text = malloc((size_t)n + 1);
	assert_int_equal(fread(text, 1, (size_t)n, f), (size_t)n);
	fclose(f);
	*len = (size_t)n;
	return text;
}

#define DOC(questions, rules) "{\"sections\": [{\"code\": \"s\", \"title\": \"S\"}, {\"code\": \"t\", " \
	"\"title\": \"T\"}],\n\"questions\": [" questions "],\n\"rules\": [" rules "]}"
#define Q(code, group, extra) "{\"code\": \"" code "\", \"section\": \"s\", \"group\": \"" group "\", " \
	"\"question\": \"q?\", \"message\": \"m\", \"source\": \"s\", \"covers\": [\"a.b\"]" extra "}"
#define QT(code, extra) "{\"code\": \"" code "\", \"section\": \"t\", \"group\": \"emergency\", " \
	"\"question\": \"q?\", \"message\": \"m\", \"source\": \"s\", \"covers\": [\"a.b\"]" extra "}"
#define QC(code, extra) "{\"code\": \"" code "\", \"section\": \"t\", \"group\": \"combined\", " \
	"\"question\": \"q?\", \"source\": \"s\", \"covers\": [\"a.b\"]" extra "}"
#define QX(code, question, covers) "{\"code\": \"" code "\", \"section\": \"s\", \"group\": " \
	"\"emergency\", \"question\": \"" question "\", \"message\": \"m\", \"source\": \"s\", \"covers\": " covers "}"
#define AGE "{\"code\": \"age\", \"section\": \"s\", \"type\": \"age\", \"question\": \"how old?\", " \
	"\"source\": \"s\", \"covers\": [\"a.b\"]}"
#define R(extra) "{\"code\": \"r\", \"group\": \"see_doctor\", \"message\": \"m\", \"source\": \"s\", " \
	"\"covers\": [\"a.b\"]" extra "}"

static void test_loader(void **state)
{
	/* broken files: each fails with its file, line and field */
	static const struct {
		const char *text;
		trp_err err;
		const char *contains;
	} broken[] = {
		{ DOC(Q("a", "emergency", ", \"colour\": 1") "," QT("b", ""), ""), TRP_ESCHEMA,
		  "q.json:2: questions[0].colour: unknown field" },
		{ DOC(Q("a", "emergency", "") ",\n" Q("a", "see_doctor", "") "," QT("b", ""), ""), TRP_ESCHEMA,
		  "q.json:3: questions[1].code: duplicate code 'a'" },
		{ DOC("\n" Q("a", "precaution", ",\n\"avoid_regions\": [\"bely\"]") "," QT("b", ""), ""),
		  TRP_ESCHEMA, "q.json:4: questions[0].avoid_regions[0]: unknown region 'bely'" },
		{ DOC(Q("a", "see_doctor", ", \"no_heat\": true") "," QT("b", ""), ""), TRP_ESCHEMA,
		  "questions[0].no_heat: only a precaution question changes a plan" },
		{ DOC(Q("a", "precaution", "") "," QT("b", ""), ""), TRP_ESCHEMA,
		  "a precaution must change the plan" },
		{ DOC(Q("a", "precaution", ", \"no_heat\": false") "," QT("b", ""), ""), TRP_ESCHEMA,
		  "questions[0].no_heat: expected true" },
		{ DOC(Q("a", "precaution", ", \"max_pressure\": \"firm\"") "," QT("b", ""), ""), TRP_ESCHEMA,
		  "questions[0].max_pressure: expected \"light\"" },
		{ DOC(Q("a", "precaution", ", \"caution_techniques\": [\"massage\"]") "," QT("b", ""), ""),
		  TRP_ESCHEMA, "questions[0].caution_techniques[0]: expected pressure, ball_wall" },
		{ DOC(Q("a", "urgent", "") "," QT("b", ""), ""), TRP_ESCHEMA,
		  "questions[0].group: expected emergency, see_doctor, precaution or combined" },
		/* sections: declared, in their order, each with questions, each together */
		{ DOC(QT("b", "") "," Q("a", "emergency", ""), ""), TRP_ESCHEMA,
		  "questions[1].section: section 's' after a question of section 't'" },
		{ DOC(Q("a", "emergency", ""), ""), TRP_ESCHEMA,
		  "sections[1]: section 't' has no questions" },
		{ "{\"sections\": [{\"code\": \"s\", \"title\": \"S\"}], \"questions\": ["
		  "{\"code\": \"a\", \"section\": \"u\", \"group\": \"emergency\", \"question\": \"q?\", "
		  "\"message\": \"m\", \"source\": \"s\", \"covers\": [\"a.b\"]}], \"rules\": []}",
		  TRP_ESCHEMA, "questions[0].section: unknown section 'u'" },
		/* covers: tags of the form area.flag */
		{ DOC(QX("a", "q?", "[\"cardiac\"]") "," QT("b", ""), ""),
		  TRP_ESCHEMA, "questions[0].covers[0]: 'cardiac' is not a red-flag tag" },
		{ DOC(QX("a", "q?", "[]") "," QT("b", ""), ""),
		  TRP_ESCHEMA, "questions[0].covers: expected a list of 1 to 16" },
		/* the age and the combined questions */
		{ DOC(AGE "," QT("b", "") "," QC("c", ", \"message\": \"m\""), ""), TRP_ESCHEMA,
		  "questions[2].message: a combined question has no message of its own" },
		{ DOC(AGE ",\n" AGE "," QT("b", ""), ""), TRP_ESCHEMA, "duplicate code 'age'" },
		{ DOC("{\"code\": \"age\", \"section\": \"s\", \"type\": \"number\", \"question\": \"q?\", "
		  "\"source\": \"s\", \"covers\": [\"a.b\"]}," QT("b", ""), ""),
		  TRP_ESCHEMA, "questions[0].type: expected \"yes_no\" (the default) or \"age\"" },
		/* ask_if: earlier questions, an age question for an age */
		{ DOC(Q("a", "emergency", ", \"ask_if\": {\"yes\": [\"b\"]}") "," QT("b", ""), ""),
		  TRP_ESCHEMA, "questions[0].ask_if.yes[0]: 'b' is not a question above this one" },
		{ DOC(Q("a", "emergency", "") "," QT("b", ", \"ask_if\": {\"age_at_least\": 50}"), ""),
		  TRP_ESCHEMA, "questions[1].ask_if.age_at_least: no age question above this one" },
		{ DOC(Q("a", "emergency", "") "," QT("b", ", \"ask_if\": {\"when\": 1}"), ""),
		  TRP_ESCHEMA, "questions[1].ask_if.when: unknown field" },
		{ DOC(AGE "," QT("b", ", \"ask_if\": {\"yes\": [\"age\"]}"), ""),
		  TRP_ESCHEMA, "questions[1].ask_if.yes[0]: 'age' is not a yes/no question" },
		/* retired codes that others took over are no codes of today */
		{ DOC(Q("a", "emergency", ", \"old_codes\": [\"b\"]") "," QT("b", ""), ""),
		  TRP_ESCHEMA, "questions[0].old_codes[0]: 'b' is a question's code now" },
		/* rules */
		{ DOC(Q("a", "emergency", "") "," QT("b", ""), R(", \"all\": [\"a\", \"z\"]")),
		  TRP_ESCHEMA, "rules[0].all[1]: 'z' is not a question above this one" },
		{ DOC(Q("a", "emergency", "") "," QT("b", ""), R(", \"all\": [\"a\"]")),
		  TRP_ESCHEMA, "rules[0]: a rule of one question alone" },
		{ DOC(Q("a", "emergency", "") "," QT("b", ""),
		  "{\"code\": \"r\", \"group\": \"precaution\", \"message\": \"m\", \"source\": \"s\", "
		  "\"covers\": [\"a.b\"], \"all\": [\"a\", \"b\"]}"),
		  TRP_ESCHEMA, "rules[0].group: expected emergency or see_doctor" },
		{ DOC(Q("a", "emergency", "") "," QT("b", ""),
		  "{\"code\": \"a\", \"group\": \"emergency\", \"message\": \"m\", \"source\": \"s\", "
		  "\"covers\": [\"a.b\"], \"all\": [\"a\", \"b\"]}"),
		  TRP_ESCHEMA, "rules[0].code: 'a' is already a question's code" },
		{ DOC(Q("a", "emergency", "") "," QT("b", ""), R(", \"all\": [\"a\"], \"age_at_least\": 50")),
		  TRP_ESCHEMA, "rules[0].age_at_least: there is no age question" },
		{ DOC(Q("a", "emergency", "") "," QT("b", ""), R("")),
		  TRP_ESCHEMA, "rules[0]: missing field 'all'" },
		/* the rest of the form */
		{ DOC(QX("Bad Code", "q?", "[\"a.b\"]") "," QT("b", ""), ""),
		  TRP_ESCHEMA, "questions[0].code: 'Bad Code' is not a snake_case code" },
		{ DOC("{\"code\": \"a\", \"section\": \"s\", \"group\": \"emergency\", \"question\": \"q\", "
		  "\"message\": \"m\", \"covers\": [\"a.b\"]}," QT("b", ""), ""),
		  TRP_ESCHEMA, "questions[0]: missing field 'source'" },
		{ DOC(QX("a", " ", "[\"a.b\"]") "," QT("b", ""), ""),
		  TRP_ESCHEMA, "questions[0].question: expected a non-empty string" },
		{ "[]", TRP_ESCHEMA, "(top): expected an object with the fields sections, questions or rules" },
		{ "{\"sections\": [], \"questions\": [], \"rules\": []}", TRP_ESCHEMA,
		  "sections: expected a list of 1 to 16" },
		{ "{\n\"sections\": ]", TRP_EPARSE, "q.json:2:" },
	};
	struct trp__screen_set set;
	struct trp__factor_set fset;
	char msg[512], *text;
	size_t len, i;

	(void)state;
	/* the project's files load, and are what was compiled in */
	text = slurp("screen.json", &len);
	assert_int_equal(trp__screen_load("screen.json", text, len, &set, msg, sizeof msg), TRP_OK);
	assert_int_equal(set.n, trp__screen_n);
	assert_int_equal(set.nrules, trp__screen_nrules);
	for (i = 0; i < set.n; i++) {
		assert_string_equal(set.items[i].q.code, trp__screen_items[i].q.code);
		assert_int_equal(set.items[i].caution_techniques, trp__screen_items[i].caution_techniques);
	}
	trp__screen_set_free(&set);
	free(text);
	text = slurp("perpetuating.json", &len);
	assert_int_equal(trp__factors_load("perpetuating.json", text, len, &fset, msg, sizeof msg), TRP_OK);
	assert_int_equal(fset.n, trp__body_nfactors);
	trp__factor_set_free(&fset);
	free(text);

	assert_int_equal(load(DOC(Q("a", "precaution", ", \"no_heat\": true") "," QT("b", ""), ""), msg, sizeof msg), TRP_OK);
	assert_int_equal(load(DOC(AGE "," QT("b", "") "," QC("c", ", \"ask_if\": {\"yes\": [\"b\"], \"age_at_least\": 50}"),
				  R(", \"all\": [\"c\"], \"age_at_least\": 50")), msg, sizeof msg), TRP_OK);
	for (i = 0; i < sizeof broken / sizeof broken[0]; i++)
		expect_load_error(broken[i].text, broken[i].err, broken[i].contains);
}

static void expect_factors_error(const char *text, const char *contains)
{
	struct trp__factor_set set;
	char msg[512] = "";

	assert_int_equal(trp__factors_load("f.json", text, strlen(text), &set, msg, sizeof msg), TRP_ESCHEMA);
	if (!strstr(msg, contains))
		fail_msg("message '%s' lacks '%s'", msg, contains);
}

#define F(code) "{\"code\": \"" code "\", \"name\": \"n\", \"text\": \"t\", \"ask\": \"a\", \"sources\": [\"s\"]}"

static void test_factors_loader(void **state)
{
	struct trp__factor_set set;
	const char *good = "[" F("a") ", " F("b") "]";

	(void)state;
	assert_int_equal(trp__factors_load("f.json", good, strlen(good), &set, NULL, 0), TRP_OK);
	assert_int_equal(set.n, 2);
	assert_string_equal(set.items[1].code, "b");
	trp__factor_set_free(&set);
	expect_factors_error("[" F("a") ",\n" F("a") "]", "f.json:2: [1].code: duplicate code 'a'");
	expect_factors_error("[{\"code\": \"a\", \"name\": \"n\", \"text\": \"t\", \"sources\": [\"s\"]}]",
			     "[0]: missing field 'ask'");
	expect_factors_error("[{\"code\": \"a\", \"name\": \"n\", \"text\": \"t\", \"ask\": \"a\", \"sources\": []}]",
			     "[0].sources: expected a list of 1 to 8 sources");
	expect_factors_error("{}", "(top): expected a list of 1 to 32 factor objects");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_every_tag_holds_its_outcome),
		cmocka_unit_test(test_combination_rules),
		cmocka_unit_test(test_skip_rules),
		cmocka_unit_test(test_questions),
		cmocka_unit_test(test_outcomes),
		cmocka_unit_test(test_flags_order),
		cmocka_unit_test(test_answers_parse),
		cmocka_unit_test(test_answers_json),
		cmocka_unit_test(test_screen_json),
		cmocka_unit_test(test_body_factors),
		cmocka_unit_test(test_loader),
		cmocka_unit_test(test_factors_loader),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
