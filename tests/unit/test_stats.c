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
	/* the diary's fall is not stretching's doing: its sessions came at one rate all along */
	t = technique(o, "stretch");
	assert_string_not_equal(str(t, "verdict"), "builds_over_weeks");
	/* heat changes nothing in its sessions, but the diary's days after its first week
	 * (whose doses are unknown) are too few for a course: no verdict either way */
	t = technique(o, "heat");
	assert_string_equal(str(t, "verdict"), "too_little_data");
	assert_true(num(t, "meaningful_share") == 0);
	assert_true(json_is_null(json_object_get(json_object_get(t, "course"), "effect_per_week")));
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


/* ------------------------------------------------------------ the course model */

/* A reproducible source of noise: splitmix64 and Box-Muller. */
static uint64_t rng_state;

static double uniform(void)
{
	uint64_t z = (rng_state += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	z ^= z >> 31;
	return ((double)(z >> 11) + 0.5) / 9007199254740992.0;
}

static double normal(void)
{
	return sqrt(-2 * log(uniform())) * cos(6.283185307179586 * uniform());
}

static int clamp10(double v)
{
	long x = lround(v);

	return x < 0 ? 0 : x > 10 ? 10 : (int)x;
}

/*
 * One constructed diary of `days` days. Day d's pain is
 *     course(d) + effect * (sessions of `t` in the 7 days before d) + noise(d)
 * with noise an AR(1) series (day-to-day correlation 0.5, sd `sd`). On days when
 * uses(d) says so a session of `t` is logged with that pain before and after (no
 * immediate change); other days get a pain map. `u` is a second treatment with its own
 * schedule and effect, or -1.
 */
struct plan {
	int days;
	double start, end;          /* the overall course: a line from start to end */
	double sd;
	int t, u;                   /* treatments, or -1 */
	double effect_t, effect_u;  /* change in daily pain per session in the week before */
	int (*uses_t)(int day);
	int (*uses_u)(int day);
	int instant_u;              /* u's sessions end this many points lower */
};

static void build(const struct plan *p)
{
	int d, k, hist_t[400] = { 0 }, hist_u[400] = { 0 };
	double ar = 0;

	assert_true(p->days <= 400);
	for (d = 0; d < p->days; d++) {
		double course = p->start + (p->end - p->start) * d / (p->days - 1), pain;
		int dose_t = 0, dose_u = 0, ut = p->t >= 0 && p->uses_t(d), uu = p->u >= 0 && p->uses_u(d);

		for (k = d - 7; k < d; k++)
			if (k >= 0) {
				dose_t += hist_t[k];
				dose_u += hist_u[k];
			}
		ar = 0.5 * ar + sqrt(1 - 0.25) * normal();
		pain = course + p->effect_t * dose_t + p->effect_u * dose_u + p->sd * ar;
		if (ut)
			add_session(DAY0 + d, (trp_treatment)p->t, clamp10(pain), clamp10(pain));
		if (uu)
			add_session(DAY0 + d, (trp_treatment)p->u, clamp10(pain), clamp10(pain - p->instant_u));
		if (!ut && !uu) {
			char map[64];

			snprintf(map, sizeof map, "low_back.r=%d", clamp10(pain));
			add_pain(DAY0 + d, map);
		}
		hist_t[d] = ut;
		hist_u[d] = uu;
	}
}

static int even_days(int d) { return d % 2 == 0; }
static int odd_days(int d) { return d % 2 == 1; }
static int second_half(int d) { return d >= 42; }
static int odd_weeks(int d) { return (d / 7) % 2 == 1; }

static json_t *course_of(json_t *o, const char *name)
{
	return json_object_get(technique(o, name), "course");
}

/* The diary: 60 days in which pain falls from 8 to 3 while stretching (no effect
 * at all) and pressure (3 points at once) take turns day by day. Stretching must not be
 * credited with the fall; pressure keeps its immediate verdict. */
static void test_course_no_effect_in_turn(void **state)
{
	struct plan p = { 60, 8, 3, 0.7, TRP_T_STRETCH, TRP_T_PRESSURE, 0, 0, even_days, odd_days, 3 };
	json_t *o, *c;

	(void)state;
	rng_state = 1;
	build(&p);
	o = compute(DAY0 + 60);
	assert_string_equal(str(technique(o, "pressure"), "verdict"), "instant_relief");
	assert_string_equal(str(technique(o, "stretch"), "verdict"), "cannot_tell_yet");
	c = course_of(o, "stretch");
	assert_string_equal(str(c, "reason"), "used_in_turn");
	assert_string_equal(str(c, "with"), "pressure");
	assert_true(json_is_null(json_object_get(c, "effect_per_week")));
	assert_int_equal(json_integer_value(json_object_get(c, "days")), 53);
	assert_string_equal(str(c, "method"), "trend_and_weekly_dose_prais_winsten");
	json_decref(o);
}

/* Stretching every other day all along, alone, while pain falls: no effect, and no way
 * to tell its part from the fall. */
static void test_course_no_effect_all_along(void **state)
{
	struct plan p = { 84, 8, 3, 0.7, TRP_T_STRETCH, -1, 0, 0, even_days, NULL, 0 };
	json_t *o, *t;

	(void)state;
	rng_state = 2;
	build(&p);
	o = compute(DAY0 + 84);
	t = technique(o, "stretch");
	assert_string_not_equal(str(t, "verdict"), "builds_over_weeks");
	assert_string_not_equal(str(t, "verdict"), "instant_relief");
	json_decref(o);
}

/* Six flat weeks, then exercise every day: each session lowers the next week's pain by
 * 0.3 points, 2.1 points for a week of daily use. */
static void test_course_real_effect_after_flat(void **state)
{
	struct plan p = { 84, 6, 6, 0.7, TRP_T_EXERCISE, -1, -0.3, 0, second_half, NULL, 0 };
	json_t *o, *c;

	(void)state;
	rng_state = 3;
	build(&p);
	o = compute(DAY0 + 84);
	assert_string_equal(str(technique(o, "exercise"), "verdict"), "builds_over_weeks");
	c = course_of(o, "exercise");
	assert_true(json_is_null(json_object_get(c, "reason")));
	assert_true(fabs(num(c, "sessions_per_week") - 7) < 0.5);
	assert_true(num(c, "high") < 0);
	assert_true(num(c, "low") < -2.1 && num(c, "high") > -2.1);
	assert_true(num(c, "low") < num(c, "effect_per_week") && num(c, "effect_per_week") < num(c, "high"));
	json_decref(o);
}

/* Heat and exercise started on the same day and used together: one of them works, and
 * no model of the diary can say which. */
static void test_course_started_together(void **state)
{
	struct plan p = { 84, 6, 6, 0.7, TRP_T_EXERCISE, TRP_T_HEAT, -0.3, 0, second_half, second_half, 0 };
	json_t *o, *c;

	(void)state;
	rng_state = 4;
	build(&p);
	o = compute(DAY0 + 84);
	assert_string_equal(str(technique(o, "exercise"), "verdict"), "cannot_tell_yet");
	assert_string_equal(str(technique(o, "heat"), "verdict"), "cannot_tell_yet");
	c = course_of(o, "exercise");
	assert_string_equal(str(c, "reason"), "used_together");
	assert_string_equal(str(c, "with"), "heat");
	assert_string_equal(str(course_of(o, "heat"), "with"), "exercise");
	assert_non_null(strstr(str(c, "meaning"), "heat"));
	json_decref(o);
}

/* Alternating weeks (ABAB) of a ball every day and nothing, over a course that falls
 * from 7 to 4 on its own: the ball's own part is found, apart from the fall. */
static void test_course_abab_effect(void **state)
{
	struct plan p = { 84, 7, 4, 0.7, TRP_T_BALL, -1, -0.3, 0, odd_weeks, NULL, 0 };
	json_t *o, *c;

	(void)state;
	rng_state = 5;
	build(&p);
	o = compute(DAY0 + 84);
	assert_string_equal(str(technique(o, "ball"), "verdict"), "builds_over_weeks");
	c = course_of(o, "ball");
	assert_true(num(c, "low") < -2.1 && num(c, "high") > -2.1);
	assert_int_equal(json_integer_value(json_object_get(c, "days")), 77);
	json_decref(o);
}

/* The same weeks with a ball that does nothing: its interval rules out a point a week. */
static void test_course_abab_none(void **state)
{
	struct plan p = { 84, 7, 4, 0.7, TRP_T_BALL, -1, 0, 0, odd_weeks, NULL, 0 };
	json_t *o, *c;

	(void)state;
	rng_state = 6;
	build(&p);
	o = compute(DAY0 + 84);
	assert_string_equal(str(technique(o, "ball"), "verdict"), "not_helping_yet");
	c = course_of(o, "ball");
	assert_true(num(c, "low") < 0 && num(c, "high") > 0);
	assert_true(num(c, "low") > -1);
	json_decref(o);
}

/* How often a ball that does nothing is called builds_over_weeks, over 400 diaries of
 * alternating weeks with day-to-day correlated noise: the one-sided bound is 95%, so
 * about 5% is right; the test allows up to 9% (400 draws at 5% have sd 1.1%). And how
 * often a real effect of 1.4 points a week is found. */
static void test_course_error_rates(void **state)
{
	int i, false_builds = 0, found = 0, covered = 0;

	(void)state;
	for (i = 0; i < 400; i++) {
		struct plan p = { 84, 7, 4, 1.0, TRP_T_BALL, -1, 0, 0, odd_weeks, NULL, 0 };
		json_t *o;

		trp_report_free(report);
		assert_int_equal(trp_report_new(&report), TRP_OK);
		rng_state = 1000 + (uint64_t)i;
		build(&p);
		o = compute(DAY0 + 84);
		false_builds += strcmp(str(technique(o, "ball"), "verdict"), "builds_over_weeks") == 0;
		json_decref(o);

		trp_report_free(report);
		assert_int_equal(trp_report_new(&report), TRP_OK);
		p.effect_t = -0.2;
		rng_state = 5000 + (uint64_t)i;
		build(&p);
		o = compute(DAY0 + 84);
		found += strcmp(str(technique(o, "ball"), "verdict"), "builds_over_weeks") == 0;
		covered += num(course_of(o, "ball"), "low") <= -1.4 && num(course_of(o, "ball"), "high") >= -1.4;
		json_decref(o);
	}
	print_message("no effect called builds_over_weeks: %d/400; an effect of 1.4 a week found: "
		      "%d/400; its 90%% interval covered the truth: %d/400\n", false_builds, found, covered);
	assert_true(false_builds <= 36);
	assert_true(covered >= 320 && covered <= 390);
	assert_true(found >= 200);
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
		cmocka_unit_test_setup_teardown(test_course_no_effect_in_turn, setup, teardown),
		cmocka_unit_test_setup_teardown(test_course_no_effect_all_along, setup, teardown),
		cmocka_unit_test_setup_teardown(test_course_real_effect_after_flat, setup, teardown),
		cmocka_unit_test_setup_teardown(test_course_started_together, setup, teardown),
		cmocka_unit_test_setup_teardown(test_course_abab_effect, setup, teardown),
		cmocka_unit_test_setup_teardown(test_course_abab_none, setup, teardown),
		cmocka_unit_test_setup_teardown(test_course_error_rates, setup, teardown),
		cmocka_unit_test_setup_teardown(test_empty, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
