/* test_stats.c: the report on constructed diaries whose answers are known: verdicts per
 * treatment, the weekly trend and its interval, days to 30%, recurrences, unblinded
 * comparisons, n-of-1 trials, and the t distribution underneath. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <jansson.h>

#include "trp/diary.h"

double trp__t_cdf(double t, double df);
double trp__t_quantile(double p, double df);

#define DAY0 20000   /* a day number to start the constructed diaries on */

static trp_report *report;

static int setup(void **state)
{
	(void)state;
	return trp_report_new(&report) ? -1 : 0;
}

static int teardown(void **state)
{
	(void)state;
	trp_report_free(report);
	report = NULL;
	return 0;
}

static void add_session(int64_t day, trp_treatment t, int before, int after)
{
	trp_entry e;

	trp_entry_init(&e, TRP_SESSION_ENTRY);
	e.at = day * 86400 + 12 * 3600;
	e.treatment = t;
	e.before = before;
	e.after = after;
	assert_int_equal(trp_report_add(report, &e), TRP_OK);
}

static void add_pain(int64_t day, const char *map)
{
	trp_entry e;

	trp_entry_init(&e, TRP_PAIN_ENTRY);
	e.at = day * 86400 + 9 * 3600;
	assert_int_equal(trp_pain_map_parse(map, &e, NULL, 0), TRP_OK);
	assert_int_equal(trp_report_add(report, &e), TRP_OK);
}

static json_t *compute(int64_t today)
{
	char *s = trp_report_json(report, today, 0);
	json_error_t err;
	json_t *o;

	assert_non_null(s);
	o = json_loads(s, 0, &err);
	free(s);
	assert_non_null(o);
	return o;
}

static json_t *technique(json_t *o, const char *name)
{
	json_t *t;
	size_t i;

	json_array_foreach(json_object_get(o, "techniques"), i, t)
		if (strcmp(json_string_value(json_object_get(t, "technique")), name) == 0)
			return t;
	fail_msg("no technique %s in the report", name);
	return NULL;
}

static double num(json_t *o, const char *key)
{
	json_t *v = json_object_get(o, key);

	if (!json_is_number(v))
		fail_msg("%s is not a number", key);
	return json_number_value(v);
}

static const char *str(json_t *o, const char *key)
{
	return json_string_value(json_object_get(o, key));
}

static void test_t_distribution(void **state)
{
	(void)state;
	/* textbook values of Student's t */
	assert_true(fabs(trp__t_quantile(0.975, 1) - 12.706) < 0.001);
	assert_true(fabs(trp__t_quantile(0.975, 2) - 4.303) < 0.001);
	assert_true(fabs(trp__t_quantile(0.975, 10) - 2.228) < 0.001);
	assert_true(fabs(trp__t_quantile(0.975, 30) - 2.042) < 0.001);
	assert_true(fabs(trp__t_quantile(0.975, 1e6) - 1.960) < 0.001);
	assert_true(fabs(trp__t_cdf(0, 5) - 0.5) < 1e-12);
	assert_true(fabs(trp__t_cdf(2.015, 5) - 0.95) < 0.0005);
	assert_true(fabs(trp__t_cdf(-2.015, 5) - 0.05) < 0.0005);
}

static void test_verdicts(void **state)
{
	json_t *o, *t;
	int i;

	(void)state;
	/* pressure: every session drops 3 points: instant relief */
	for (i = 0; i < 8; i++)
		add_session(DAY0 + i, TRP_T_PRESSURE, 6, 3);
	/* stretch: no change in the session, but the pain before falls 1 point a week */
	for (i = 0; i < 10; i++)
		add_session(DAY0 + 4 * i, TRP_T_STRETCH, 8 - (4 * i) / 7, 8 - (4 * i) / 7);
	/* heat: nothing happens, for five weeks */
	for (i = 0; i < 8; i++)
		add_session(DAY0 + 5 * i, TRP_T_HEAT, 5, 5);
	/* medication: three sessions are too few */
	for (i = 0; i < 3; i++)
		add_session(DAY0 + i, TRP_T_MEDICATION, 7, 2);
	o = compute(DAY0 + 60);
	t = technique(o, "pressure");
	assert_string_equal(str(t, "verdict"), "instant_relief");
	assert_int_equal(json_integer_value(json_object_get(t, "sessions")), 8);
	assert_true(num(t, "median_change") == -3);
	assert_true(num(t, "meaningful_share") == 1);
	t = technique(o, "stretch");
	assert_string_equal(str(t, "verdict"), "builds_over_weeks");
	assert_true(num(json_object_get(t, "weeks"), "high") < 0);
	t = technique(o, "heat");
	assert_string_equal(str(t, "verdict"), "not_helping_yet");
	assert_true(num(t, "meaningful_share") == 0);
	t = technique(o, "medication");
	assert_string_equal(str(t, "verdict"), "too_little_data");
	json_decref(o);
}

static void test_meaningful_share(void **state)
{
	json_t *o, *t;

	(void)state;
	/* 2 points, or 30%: 10 -> 8 (2 points) yes; 3 -> 2 (33%) yes; 9 -> 8 no; 5 -> 5 no */
	add_session(DAY0, TRP_T_BALL, 10, 8);
	add_session(DAY0, TRP_T_BALL, 3, 2);
	add_session(DAY0, TRP_T_BALL, 9, 8);
	add_session(DAY0, TRP_T_BALL, 5, 5);
	o = compute(DAY0 + 1);
	t = technique(o, "ball");
	assert_true(num(t, "meaningful_share") == 0.5);
	assert_true(num(t, "median_change") == -1);
	json_decref(o);
}

static void test_trend(void **state)
{
	json_t *o, *tr;
	int d;

	(void)state;
	/* daily pain falls exactly 0.7 points a week, from 8 */
	for (d = 0; d < 70; d++) {
		char map[64];

		snprintf(map, sizeof map, "low_back.r=%d", (int)lround(8 - 0.1 * d));
		add_pain(DAY0 + d, map);
	}
	o = compute(DAY0 + 70);
	tr = json_object_get(o, "trend");
	assert_int_equal(json_integer_value(json_object_get(tr, "days")), 70);
	assert_true(fabs(num(tr, "slope_per_week") + 0.7) < 0.02);
	assert_true(num(tr, "low") < num(tr, "slope_per_week"));
	assert_true(num(tr, "high") > num(tr, "slope_per_week"));
	assert_true(num(tr, "high") < 0);
	/* the first week averages 7.7; 30% below is 5.39; the rolling week reaches it at
	 * day 27 (days 21-27 round to 6, 6, 6, 5, 5, 5, 5: mean 5.43) ... computed: */
	assert_true(json_is_integer(json_object_get(tr, "days_to_30_percent")));
	{
		int64_t days = json_integer_value(json_object_get(tr, "days_to_30_percent"));

		assert_true(days >= 25 && days <= 30);
	}
	json_decref(o);
}

static void test_recurrences(void **state)
{
	json_t *o, *r, *first;

	(void)state;
	add_pain(DAY0, "temple.l=5");
	add_pain(DAY0 + 1, "temple.l=5");
	add_pain(DAY0 + 5, "temple.l=4 heel.r=3");    /* a gap of 3 days: no recurrence */
	add_pain(DAY0 + 15, "temple.l=6");            /* 9 quiet days: a recurrence */
	add_pain(DAY0 + 20, "heel.r=0");              /* painless: heel is not painful here */
	add_pain(DAY0 + 30, "heel.r=2");              /* heel quiet since day 5: 24 days */
	o = compute(DAY0 + 31);
	r = json_object_get(o, "recurrences");
	assert_int_equal(json_integer_value(json_object_get(r, "count")), 2);
	first = json_array_get(json_object_get(r, "latest"), 0);
	assert_string_equal(str(first, "region"), "heel.r");
	assert_int_equal(json_integer_value(json_object_get(first, "quiet_days")), 24);
	json_decref(o);
}

static void test_comparison(void **state)
{
	json_t *o, *c;
	int i;

	(void)state;
	for (i = 0; i < 12; i++) {
		add_session(DAY0 + i, TRP_T_PRESSURE, 6, 3 + i % 2);   /* drops of 3 or 2 */
		add_session(DAY0 + i, TRP_T_STRETCH, 6, 6 - i % 2);    /* drops of 0 or 1 */
	}
	o = compute(DAY0 + 20);
	assert_int_equal(json_array_size(json_object_get(o, "comparisons")), 1);
	c = json_array_get(json_object_get(o, "comparisons"), 0);
	assert_string_equal(str(c, "a"), "pressure");
	assert_string_equal(str(c, "b"), "stretch");
	assert_true(fabs(num(c, "difference") + 2) < 1e-9);
	assert_true(num(c, "high") < 0);
	assert_string_equal(str(c, "better"), "pressure");
	assert_true(json_is_true(json_object_get(c, "unblinded")));
	json_decref(o);
}

/* A trial of stretch (A) against heat (B), 4 blocks of 3 days, with daily pain
 * pain_a on A days and pain_b on B days, plus a small wobble per block. */
static json_t *run_trial(double pain_a, double pain_b, const double *wobble, int64_t today)
{
	trp_trial t;
	int64_t day;
	json_t *o, *t0;

	memset(&t, 0, sizeof t);
	t.id = 1;
	t.a = TRP_T_STRETCH;
	t.b = TRP_T_HEAT;
	t.blocks = 4;
	t.days = 3;
	t.start_day = DAY0;
	trp_trial_draw(&t, 0x6);   /* BA AB AB BA */
	assert_int_equal(trp_report_add_trial(report, &t), TRP_OK);
	for (day = DAY0; day < DAY0 + 24; day++) {
		int block;
		char on = trp_trial_on(&t, day, &block, NULL);
		char map[64];
		double v = (on == 'A' ? pain_a : pain_b) + (on == 'A' ? wobble[block] : -wobble[block]);

		snprintf(map, sizeof map, "neck_back.l=%d", (int)lround(v));
		add_pain(day, map);
	}
	o = compute(today);
	t0 = json_incref(json_array_get(json_object_get(o, "trials"), 0));
	json_decref(o);
	assert_non_null(t0);
	return t0;     /* the caller owns it */
}

static void test_trial_a_better(void **state)
{
	const double wobble[4] = { 0, 0.4, -0.4, 0 };
	json_t *t;

	(void)state;
	t = run_trial(3, 6, wobble, DAY0 + 30);
	assert_string_equal(str(t, "status"), "complete");
	assert_int_equal(json_integer_value(json_object_get(t, "blocks_complete")), 4);
	assert_true(num(t, "mean_effect") > 2);
	assert_true(num(t, "low") > 0);
	assert_string_equal(str(t, "verdict"), "A_better");
	assert_true(num(t, "p_a_better") > 0.8);
	json_decref(t);
}

static void test_trial_no_difference(void **state)
{
	const double wobble[4] = { 0.2, -0.2, 0.2, -0.2 };
	json_t *t;

	(void)state;
	t = run_trial(5, 5, wobble, DAY0 + 30);
	assert_string_equal(str(t, "verdict"), "no_meaningful_difference");
	json_decref(t);
}

static void test_trial_inconclusive_and_running(void **state)
{
	const double wobble[4] = { 2, -2, 2, -2 };
	json_t *t;

	(void)state;
	t = run_trial(5, 5.5, wobble, DAY0 + 30);
	assert_string_equal(str(t, "verdict"), "inconclusive");
	json_decref(t);
	trp_report_free(report);
	trp_report_new(&report);
	/* half way: two blocks over, the third running; no verdict yet */
	t = run_trial(3, 6, (const double[4]){ 0, 0, 0, 0 }, DAY0 + 13);
	assert_string_equal(str(t, "status"), "running");
	assert_int_equal(json_integer_value(json_object_get(t, "blocks_complete")), 2);
	assert_false(json_is_number(json_object_get(t, "mean_effect")));
	assert_string_equal(str(t, "verdict"), "inconclusive");
	assert_true(json_is_object(json_object_get(t, "current")));
	json_decref(t);
}

static void test_empty(void **state)
{
	json_t *o;

	(void)state;
	o = compute(DAY0);
	assert_int_equal(json_array_size(json_object_get(o, "techniques")), 0);
	assert_int_equal(json_integer_value(json_object_get(json_object_get(o, "trend"), "days")), 0);
	assert_true(json_is_null(json_object_get(json_object_get(o, "trend"), "slope_per_week")));
	json_decref(o);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_t_distribution),
		cmocka_unit_test_setup_teardown(test_verdicts, setup, teardown),
		cmocka_unit_test_setup_teardown(test_meaningful_share, setup, teardown),
		cmocka_unit_test_setup_teardown(test_trend, setup, teardown),
		cmocka_unit_test_setup_teardown(test_recurrences, setup, teardown),
		cmocka_unit_test_setup_teardown(test_comparison, setup, teardown),
		cmocka_unit_test_setup_teardown(test_trial_a_better, setup, teardown),
		cmocka_unit_test_setup_teardown(test_trial_no_difference, setup, teardown),
		cmocka_unit_test_setup_teardown(test_trial_inconclusive_and_running, setup, teardown),
		cmocka_unit_test_setup_teardown(test_empty, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
