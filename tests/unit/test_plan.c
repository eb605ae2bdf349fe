/* test_plan.c: the release plan on the built-in atlas: the steps and their doses, the
 * atlas's site cautions, the cap on points per session and the rotation across days,
 * refusal after an emergency or see-a-doctor answer, what each precaution changes, the
 * JSON and reading it back, bad arguments, and that no plan for any muscle ever holds a
 * needling or injection instruction. */
#include <ctype.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <cmocka.h>
#include <jansson.h>

#include "trp/release.h"

static trp_atlas *atlas;

static int setup(void **state)
{
	(void)state;
	return trp_atlas_open_builtin(&atlas) == TRP_OK ? 0 : -1;
}

static int teardown(void **state)
{
	(void)state;
	trp_atlas_free(atlas);
	return 0;
}

/* Answers with the codes of a space-separated list "yes". */
static trp_answers answers_of(const char *codes)
{
	char buf[512], *save, *t;
	trp_answers a;

	trp_answers_clear(&a);
	snprintf(buf, sizeof buf, "%s", codes);
	for (t = strtok_r(buf, " ", &save); t; t = strtok_r(NULL, " ", &save)) {
		int i = trp_screen_find(t);

		if (i < 0)
			fail_msg("no question '%s'", t);
		a.yes[i] = 1;
	}
	return a;
}

/* The plan for "muscle[.l|.r] ..." with the answers `codes` (NULL: not screened). */
static trp_plan *plan_for(const char *muscles, const char *codes, size_t points)
{
	trp_target targets[TRP_PLAN_TARGETS_MAX];
	trp_answers a;
	trp_plan_options o = { points, NULL, NULL, 0 };
	char buf[512], msg[256], *save, *t;
	size_t n = 0;
	trp_plan *p = NULL;

	snprintf(buf, sizeof buf, "%s", muscles);
	for (t = strtok_r(buf, " ", &save); t; t = strtok_r(NULL, " ", &save)) {
		char *dot = strchr(t, '.');

		targets[n].side = TRP_SIDE_ANY;
		if (dot) {
			*dot = '\0';
			targets[n].side = dot[1] == 'l' ? TRP_LEFT : TRP_RIGHT;
		}
		targets[n].muscle = trp_atlas_find(atlas, t);
		if (!targets[n].muscle)
			fail_msg("no muscle '%s'", t);
		n++;
	}
	if (codes) {
		a = answers_of(codes);
		o.answers = &a;
	}
	if (trp_plan_new(atlas, targets, n, &o, &p, msg, sizeof msg))
		fail_msg("%s: %s", muscles, msg);
	return p;
}

/* Steps of muscle `id` (NULL: any) with technique `t` (-1: any). */
static size_t count(const trp_plan *p, const char *id, int t)
{
	const trp_plan_step *s;
	size_t n = trp_plan_steps(p, &s), i, k = 0;

	for (i = 0; i < n; i++)
		k += (!id || strcmp(trp_muscle_id(s[i].muscle), id) == 0) &&
		     (t < 0 || (int)s[i].technique == t);
	return k;
}

static int has_caution(const trp_plan_step *s, const char *text)
{
	size_t i;

	for (i = 0; i < s->ncautions; i++)
		if (strstr(s->cautions[i], text))
			return 1;
	return 0;
}

/* Every step of muscle id with technique t has (want 1) or lacks (want 0) a caution
 * containing text; there is at least one such step. */
static void cautions_are(const trp_plan *p, const char *id, trp_technique t, const char *text,
			 int want)
{
	const trp_plan_step *s;
	size_t n = trp_plan_steps(p, &s), i, seen = 0;

	for (i = 0; i < n; i++) {
		if (strcmp(trp_muscle_id(s[i].muscle), id) != 0 || s[i].technique != t)
			continue;
		seen++;
		if (has_caution(&s[i], text) != want)
			fail_msg("%s %s: caution '%s' %s", id, trp_technique_name(t), text,
				 want ? "missing" : "present");
	}
	assert_true(seen > 0);
}

/* The reason a technique of muscle id was left out (for any point), or NULL. */
static const char *dropped(const trp_plan *p, const char *id, trp_technique t)
{
	const trp_plan_drop *d;
	size_t n = trp_plan_dropped(p, &d), i;

	for (i = 0; i < n; i++)
		if (strcmp(trp_muscle_id(d[i].muscle), id) == 0 && d[i].technique == t)
			return d[i].reason;
	return NULL;
}

static void test_steps_and_doses(void **state)
{
	trp_plan *p = plan_for("trapezius_upper.l", NULL, 0);
	const trp_plan_step *s;
	const trp_trigger_point *tps;
	const trp_plan_drop *drops;
	const char *const *pro;
	const char *reason = "x";
	size_t n = trp_plan_steps(p, &s), ntp;

	(void)state;
	ntp = trp_muscle_trigger_points(trp_atlas_find(atlas, "trapezius_upper"), &tps);
	assert_int_equal(trp_plan_refused(p, &reason), 0);
	assert_null(reason);
	assert_int_equal(trp_plan_days(p), 1);
	/* heat first, a pressure step per point, the stretch last */
	assert_int_equal(n, 2 + ntp);
	assert_int_equal(s[0].technique, TRP_HEAT);
	assert_int_equal(s[0].dose.hold_min, 15 * 60);
	assert_int_equal(s[0].dose.hold_max, 20 * 60);
	assert_null(s[0].point);
	assert_int_equal(s[1].technique, TRP_PRESSURE);
	assert_string_equal(s[1].point, tps[0].name);
	assert_int_equal(s[1].point_region, tps[0].region);
	assert_int_equal(s[1].side, TRP_LEFT);
	assert_int_equal(s[1].dose.discomfort_min, 5);
	assert_int_equal(s[1].dose.discomfort_max, 7);
	assert_int_equal(s[1].dose.hold_min, 30);
	assert_int_equal(s[1].dose.hold_max, 90);
	assert_int_equal(s[1].dose.rounds_min, 3);
	assert_int_equal(s[1].dose.rounds_max, 5);
	assert_false(s[1].dose.light);
	assert_non_null(strstr(s[1].dose.text, "5-7 of 10"));
	/* where the point lies and how to find it, from the atlas */
	assert_non_null(strstr(s[1].instructions, tps[0].location));
	assert_non_null(strstr(s[1].instructions, tps[0].palpation));
	assert_non_null(strstr(s[1].instructions, "a ball against a wall"));   /* another way */
	assert_string_equal(s[2].point, tps[1].name);
	assert_int_equal(s[n - 1].technique, TRP_STRETCH);
	assert_int_equal(s[n - 1].dose.hold_max, 30);
	assert_int_equal(s[n - 1].dose.rounds_min, 3);
	assert_int_equal(s[n - 1].dose.discomfort_max, 0);
	/* how often, and when to judge the result */
	assert_non_null(strstr(trp_plan_frequency(p), "Once a day for 2 weeks"));
	assert_non_null(strstr(trp_plan_frequency(p), "4-6 weeks"));
	/* a professional's options, after the general advice */
	assert_true(trp_plan_professional(p, &pro) >= 2);
	assert_non_null(strstr(pro[0], "physiotherapist"));
	assert_non_null(strstr(pro[1], "Upper trapezius"));
	assert_int_equal(trp_plan_dropped(p, &drops), 0);
	trp_plan_free(p);
}

static void test_atlas_cautions(void **state)
{
	trp_plan *p = plan_for("trapezius_upper gluteus_medius.r", NULL, 0);
	const trp_plan_step *s;
	size_t n = trp_plan_steps(p, &s), i;

	(void)state;
	/* a site caution goes with the techniques it limits, and only those */
	cautions_are(p, "trapezius_upper", TRP_PRESSURE, "hollow above the collarbone", 1);
	cautions_are(p, "trapezius_upper", TRP_STRETCH, "hollow above the collarbone", 0);
	cautions_are(p, "trapezius_upper", TRP_STRETCH, "Stretch slowly", 1);
	cautions_are(p, "trapezius_upper", TRP_HEAT, "Stretch slowly", 0);
	/* a general caution goes with every step of its muscle */
	for (i = 0; i < n; i++)
		if (strcmp(trp_muscle_id(s[i].muscle), "gluteus_medius") == 0)
			assert_true(has_caution(&s[i], "saddle"));
	assert_int_equal(s[0].side, TRP_SIDE_ANY);
	trp_plan_free(p);
}

static void test_cap_and_rotation(void **state)
{
	trp_plan *p = plan_for("trapezius_upper.l gluteus_medius.r soleus.r", NULL, 2);
	const trp_plan_step *s;
	size_t n = trp_plan_steps(p, &s), i, points = 0, per_day[16] = { 0 };
	int day, days = trp_plan_days(p);

	(void)state;
	for (i = 0; i < n; i++)
		if (s[i].point) {
			size_t j;

			points++;
			per_day[s[i].day]++;
			for (j = 0; j < i; j++)   /* each point once in the whole rotation */
				assert_false(s[j].point && s[j].muscle == s[i].muscle &&
					     strcmp(s[j].point, s[i].point) == 0);
		}
	assert_int_equal(points, 2 + 3 + 3);
	assert_int_equal(days, 4);
	for (day = 1; day <= days; day++)
		assert_true(per_day[day] >= 1 && per_day[day] <= 2);
	/* day 1 holds the first point of two muscles, not two points of one */
	assert_string_equal(trp_muscle_id(s[1].muscle), "trapezius_upper");
	for (i = 0; i < n && s[i].day == 1; i++)
		if (s[i].point)
			assert_true(strncmp(s[i].point, "TP1", 3) == 0);
	/* steps come day by day; a muscle whose points rest that day keeps its stretch */
	for (i = 1; i < n; i++)
		assert_true(s[i].day >= s[i - 1].day);
	for (day = 1; day <= days; day++) {
		size_t stretches = 0;

		for (i = 0; i < n; i++)
			stretches += s[i].day == day && s[i].technique == TRP_STRETCH;
		assert_int_equal(stretches, 3);
	}
	assert_non_null(strstr(trp_plan_frequency(p), "rotates over 4 days"));
	trp_plan_free(p);
	/* the default cap is 6 */
	p = plan_for("trapezius_upper gluteus_medius soleus", NULL, 0);
	assert_int_equal(trp_plan_days(p), 2);
	trp_plan_free(p);
}

static void test_refused(void **state)
{
	static const char *const cases[][2] = {
		{ "chest_pressure pregnancy", "emergency sign (chest_pressure)" },
		{ "weight_loss night_pain blood_thinners", "see a doctor first (night_pain, weight_loss)" },
		{ "hot_swollen_calf no_better", "see a doctor first (hot_swollen_calf, no_better)" },
		{ "calf_pain clot_risk", "see a doctor first (calf_pain_clot_risk)" },   /* a rule */
		{ "headache stiff_neck fever", "emergency sign (fever_stiff_neck)" },
	};
	const trp_caution_note *flags;
	const char *const *pro;
	const trp_plan_step *s;
	const char *reason;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		trp_plan *p = plan_for("soleus.r trapezius_upper", cases[i][0], 0);

		assert_int_equal(trp_plan_refused(p, &reason), 1);
		if (!strstr(reason, cases[i][1]))
			fail_msg("reason '%s' lacks '%s'", reason, cases[i][1]);
		assert_int_equal(trp_plan_steps(p, &s), 0);
		assert_int_equal(trp_plan_days(p), 0);
		assert_int_equal(trp_plan_professional(p, &pro), 0);
		assert_true(trp_plan_flags(p, &flags) >= 1);
		assert_non_null(trp_plan_frequency(p));
		trp_plan_free(p);
	}
	/* what to do instead */
	{
		trp_plan *p = plan_for("soleus", "stroke_signs", 0);

		trp_plan_refused(p, &reason);
		assert_non_null(strstr(reason, "emergency number"));
		trp_plan_free(p);
		p = plan_for("soleus", "cancer_history", 0);
		trp_plan_refused(p, &reason);
		assert_non_null(strstr(reason, "See a doctor"));
		assert_non_null(strstr(reason, "answer the screening again"));
		trp_plan_free(p);
	}
}

/* Each precaution changes a plan, and says so. */
static void test_precaution_blood_thinners(void **state)
{
	trp_plan *before = plan_for("gluteus_medius.r", "", 0);
	trp_plan *p = plan_for("gluteus_medius.r", "blood_thinners", 0);
	const trp_plan_step *s;
	const trp_caution_note *flags;
	size_t n = trp_plan_steps(p, &s), i;

	(void)state;
	assert_true(count(before, NULL, TRP_BALL_FLOOR) > 0 && count(before, NULL, TRP_FOAM_ROLLER) > 0);
	/* body weight is dropped, with the reason */
	assert_int_equal(count(p, NULL, TRP_BALL_FLOOR), 0);
	assert_int_equal(count(p, NULL, TRP_FOAM_ROLLER), 0);
	assert_non_null(strstr(dropped(p, "gluteus_medius", TRP_FOAM_ROLLER), "'blood_thinners'"));
	assert_non_null(strstr(dropped(p, "gluteus_medius", TRP_BALL_FLOOR), "cannot be kept light"));
	/* the ball against the wall takes over, softened */
	assert_int_equal(count(p, NULL, TRP_BALL_WALL), count(before, NULL, TRP_BALL_FLOOR));
	for (i = 0; i < n; i++)
		if (s[i].technique == TRP_BALL_WALL) {
			assert_true(s[i].dose.light);
			assert_int_equal(s[i].dose.discomfort_max, 3);
			assert_true(has_caution(&s[i], "Light pressure only ('blood_thinners')"));
		}
	assert_int_equal(trp_plan_flags(p, &flags), 1);
	assert_string_equal(flags[0].code, "blood_thinners");
	trp_plan_free(p);
	trp_plan_free(before);
}

static void test_precaution_pregnancy(void **state)
{
	trp_plan *p = plan_for("rectus_abdominis quadratus_lumborum.l trapezius_upper.l", "pregnancy", 0);
	const trp_plan_step *s;
	size_t n = trp_plan_steps(p, &s), i;

	(void)state;
	/* nothing presses or heats the belly */
	assert_int_equal(count(p, "rectus_abdominis", TRP_PRESSURE), 0);
	assert_int_equal(count(p, "rectus_abdominis", TRP_HEAT), 0);
	assert_non_null(strstr(dropped(p, "rectus_abdominis", TRP_PRESSURE), "No pressure on the"));
	assert_non_null(strstr(dropped(p, "rectus_abdominis", TRP_HEAT), "'pregnancy'"));
	/* the low back: light pressure only, no ball on the floor */
	assert_true(count(p, "quadratus_lumborum", TRP_PRESSURE) > 0);
	assert_int_equal(count(p, "quadratus_lumborum", TRP_BALL_FLOOR), 0);
	assert_non_null(dropped(p, "quadratus_lumborum", TRP_BALL_FLOOR));
	for (i = 0; i < n; i++) {
		if (strcmp(trp_muscle_id(s[i].muscle), "quadratus_lumborum") == 0 && s[i].point)
			assert_true(s[i].dose.light);
		/* elsewhere pressure stays as it was */
		if (strcmp(trp_muscle_id(s[i].muscle), "trapezius_upper") == 0 && s[i].point)
			assert_false(s[i].dose.light);
	}
	/* stretches carry the advice */
	cautions_are(p, "trapezius_upper", TRP_STRETCH, "'pregnancy'", 1);
	cautions_are(p, "trapezius_upper", TRP_PRESSURE, "'pregnancy'", 0);
	trp_plan_free(p);
}

static void test_precaution_reduced_sensation(void **state)
{
	trp_plan *p = plan_for("trapezius_upper.l soleus.r", "reduced_sensation", 0);
	const trp_plan_step *s;
	size_t n = trp_plan_steps(p, &s), i;

	(void)state;
	assert_int_equal(count(p, NULL, TRP_HEAT), 0);
	assert_non_null(strstr(dropped(p, "trapezius_upper", TRP_HEAT), "No heat"));
	assert_non_null(strstr(dropped(p, "soleus", TRP_HEAT), "'reduced_sensation'"));
	for (i = 0; i < n; i++)
		if (s[i].point)
			assert_true(s[i].dose.light);
	assert_int_equal(count(p, NULL, TRP_FOAM_ROLLER), 0);
	trp_plan_free(p);
}

static void test_precaution_site(void **state)
{
	/* varicose veins and broken skin: a caution on pressing and heat, not on the stretch */
	static const char *const codes[] = { "varicose_veins", "broken_skin" };
	size_t k;

	(void)state;
	for (k = 0; k < 2; k++) {
		trp_plan *p = plan_for("soleus.r", codes[k], 0), *before = plan_for("soleus.r", "", 0);
		char tag[64];

		snprintf(tag, sizeof tag, "'%s'", codes[k]);
		cautions_are(p, "soleus", TRP_PRESSURE, tag, 1);
		cautions_are(p, "soleus", TRP_FOAM_ROLLER, tag, 1);
		cautions_are(p, "soleus", TRP_HEAT, tag, 1);
		cautions_are(p, "soleus", TRP_STRETCH, tag, 0);
		assert_int_equal(count(p, NULL, -1), count(before, NULL, -1));
		trp_plan_free(p);
		trp_plan_free(before);
	}
}

static void test_precaution_clot_and_surgery(void **state)
{
	trp_plan *p = plan_for("soleus.r", "known_clot", 0), *q;
	const trp_plan_step *s;
	size_t n = trp_plan_steps(p, &s), i;

	(void)state;
	/* a known clot: light pressure everywhere, and the limb left alone, stretch included */
	cautions_are(p, "soleus", TRP_STRETCH, "'known_clot'", 1);
	cautions_are(p, "soleus", TRP_PRESSURE, "Light pressure only ('known_clot')", 1);
	assert_int_equal(count(p, NULL, TRP_FOAM_ROLLER), 0);
	for (i = 0; i < n; i++)
		if (s[i].point) {
			size_t j, said = 0;

			assert_true(s[i].dose.light);
			for (j = 0; j < s[i].ncautions; j++)   /* said once, not twice */
				said += strstr(s[i].cautions[j], "known_clot") != NULL;
			assert_int_equal(said, 1);
		}
	trp_plan_free(p);
	/* recent surgery: every technique carries it, nothing softened */
	q = plan_for("soleus.r", "recent_surgery", 0);
	n = trp_plan_steps(q, &s);
	for (i = 0; i < n; i++) {
		assert_true(has_caution(&s[i], "'recent_surgery'"));
		assert_false(s[i].dose.light);
	}
	assert_true(count(q, NULL, TRP_FOAM_ROLLER) > 0);
	trp_plan_free(q);
}

/* Every precaution alone changes the plan of some muscles (the JSON differs). */
static void test_every_precaution_changes_a_plan(void **state)
{
	const char *muscles = "rectus_abdominis quadratus_lumborum.l gluteus_medius.r soleus.r";
	trp_plan *base = plan_for(muscles, "", 0);
	char *before = trp_plan_json(base, 0);
	size_t i;

	(void)state;
	for (i = 0; i < trp_screen_count(); i++) {
		const trp_question *q = trp_screen_question(i);
		trp_plan *p;
		char *after;

		if (q->group != TRP_GROUP_PRECAUTION)
			continue;
		p = plan_for(muscles, q->code, 0);
		after = trp_plan_json(p, 0);
		assert_false(trp_plan_refused(p, NULL));
		if (strcmp(before, after) == 0)
			fail_msg("precaution '%s' changes nothing", q->code);
		free(after);
		trp_plan_free(p);
	}
	free(before);
	trp_plan_free(base);
}

static void test_notes_and_arguments(void **state)
{
	const trp_caution_note notes[] = { { "cardiac", "Rule out the heart first." } };
	trp_plan_options o = { 0, NULL, notes, 1 };
	trp_target t[TRP_PLAN_TARGETS_MAX + 1];
	const trp_caution_note *flags;
	const trp_plan_step *s;
	trp_plan *p = NULL;
	char msg[256];
	size_t i;

	(void)state;
	for (i = 0; i <= TRP_PLAN_TARGETS_MAX; i++) {
		t[i].muscle = trp_atlas_find(atlas, "soleus");
		t[i].side = TRP_LEFT;
	}
	/* the same muscle and side twice counts once */
	assert_int_equal(trp_plan_new(atlas, t, 3, &o, &p, msg, sizeof msg), TRP_OK);
	assert_int_equal(trp_plan_flags(p, &flags), 1);
	assert_string_equal(flags[0].code, "cardiac");
	assert_int_equal(count(p, NULL, TRP_STRETCH), 1);
	trp_plan_steps(p, &s);
	assert_int_equal(s[0].side, TRP_LEFT);
	trp_plan_free(p);

	assert_int_equal(trp_plan_new(atlas, t, 0, NULL, &p, msg, sizeof msg), TRP_EINVAL);
	assert_null(p);
	assert_non_null(strstr(msg, "no muscles given"));
	assert_int_equal(trp_plan_new(atlas, t, TRP_PLAN_TARGETS_MAX + 1, NULL, &p, msg, sizeof msg),
			 TRP_EINVAL);
	assert_non_null(strstr(msg, "at most 64"));
	o.points_per_session = TRP_PLAN_POINTS_MAX + 1;
	assert_int_equal(trp_plan_new(atlas, t, 1, &o, &p, msg, sizeof msg), TRP_EINVAL);
	assert_non_null(strstr(msg, "points a session"));
	t[1].side = 7;
	assert_int_equal(trp_plan_new(atlas, t, 2, NULL, &p, msg, sizeof msg), TRP_EINVAL);
	assert_non_null(strstr(msg, "target 1: side"));
	t[1].muscle = NULL;
	assert_int_equal(trp_plan_new(atlas, t, 2, NULL, &p, msg, sizeof msg), TRP_EINVAL);
	assert_non_null(strstr(msg, "target 1: no muscle"));
	assert_null(p);
}

/* No timer of any plan runs longer than the caps: a hold 120 s, heat 20 minutes. Every
 * muscle of the atlas, not screened and with each precaution that softens a dose. */
static void test_timer_caps(void **state)
{
	static const char *const screens[] = { NULL, "blood_thinners", "pregnancy", "osteoporosis" };
	size_t m, k, i, checked = 0;

	(void)state;
	for (m = 0; m < trp_atlas_count(atlas); m++)
		for (k = 0; k < sizeof screens / sizeof screens[0]; k++) {
			trp_plan *p = plan_for(trp_muscle_id(trp_atlas_muscle(atlas, m)), screens[k], 0);
			const trp_plan_step *s;
			size_t n = trp_plan_steps(p, &s);

			for (i = 0; i < n; i++) {
				int cap = s[i].technique == TRP_HEAT ? TRP_HEAT_MAX_SECONDS : TRP_HOLD_MAX_SECONDS;

				if (s[i].dose.hold_max > cap || s[i].dose.hold_min > s[i].dose.hold_max ||
				    s[i].dose.hold_min < 1)
					fail_msg("%s %s: hold %d-%d s (cap %d)", trp_muscle_id(s[i].muscle),
						 trp_technique_name(s[i].technique), s[i].dose.hold_min,
						 s[i].dose.hold_max, cap);
				checked++;
			}
			trp_plan_free(p);
		}
	assert_true(checked > 1000);
	assert_int_equal(TRP_HOLD_MAX_SECONDS, 120);
	assert_int_equal(TRP_HEAT_MAX_SECONDS, 1200);
}

/* The heat step of a muscle, or NULL. */
static const trp_plan_step *heat_step(const trp_plan *p)
{
	const trp_plan_step *s;
	size_t n = trp_plan_steps(p, &s), i;

	for (i = 0; i < n; i++)
		if (s[i].technique == TRP_HEAT)
			return &s[i];
	return NULL;
}

/* Heat on the face is short, and stays off the eyes unless the atlas entry puts it there. */
static void test_face_heat(void **state)
{
	static const char *const face[] = {
		"forehead", "temple", "eye", "cheek", "jaw", "upper_teeth", "lower_teeth", "ear"
	};
	size_t m, k, faces = 0;

	(void)state;
	for (m = 0; m < trp_atlas_count(atlas); m++) {
		const trp_muscle *mu = trp_atlas_muscle(atlas, m);
		const trp_trigger_point *tps;
		const trp_self_care *care;
		size_t ntp = trp_muscle_trigger_points(mu, &tps), nc = trp_muscle_self_care(mu, &care), i;
		const char *how = NULL;
		int on_face = 0;
		trp_plan *p;
		const trp_plan_step *h;

		for (i = 0; i < ntp; i++)
			for (k = 0; k < sizeof face / sizeof face[0]; k++)
				on_face |= strcmp(trp_region_name(tps[i].region), face[k]) == 0;
		for (i = 0; i < nc; i++)
			if (care[i].technique == TRP_HEAT)
				how = care[i].how;
		p = plan_for(trp_muscle_id(mu), NULL, 0);
		h = heat_step(p);
		assert_int_equal(h != NULL, how != NULL);
		if (h && on_face) {
			int eyes = strstr(how, " eyes") != NULL || strstr(how, " eye ") != NULL;

			faces++;
			if (h->dose.hold_max > 300)
				fail_msg("%s: %d s of heat on the face", trp_muscle_id(mu), h->dose.hold_max);
			assert_string_equal(h->instructions, how);   /* what the atlas entry says */
			if (!strstr(h->dose.text, eyes ? "over closed eyes only as the self-care says"
				    : "Keep it off the eyes"))
				fail_msg("%s: heat dose '%s'", trp_muscle_id(mu), h->dose.text);
		} else if (h) {
			assert_int_equal(h->dose.hold_max, 20 * 60);
		}
		trp_plan_free(p);
	}
	assert_true(faces >= 5);
	/* the one muscle whose self-care lays the cloth over the closed eyes */
	{
		trp_plan *p = plan_for("orbicularis_oculi", NULL, 0);

		assert_non_null(strstr(heat_step(p)->dose.text, "over closed eyes only"));
		trp_plan_free(p);
		p = plan_for("frontalis", NULL, 0);
		assert_non_null(strstr(heat_step(p)->dose.text, "Keep it off the eyes"));
		trp_plan_free(p);
	}
}

/* Every precaution that touches a step is said at that step, however many there are. */
static void test_precautions_repeated(void **state)
{
	trp_plan *p = plan_for("quadratus_lumborum.l soleus.r", "blood_thinners pregnancy osteoporosis "
			       "varicose_veins", 0);
	const trp_plan_step *s;
	size_t n = trp_plan_steps(p, &s), i, ql = 0;

	(void)state;
	for (i = 0; i < n; i++) {
		int low_back = strcmp(trp_muscle_id(s[i].muscle), "quadratus_lumborum") == 0;

		if (s[i].point) {
			assert_true(has_caution(&s[i], "Light pressure only ('blood_thinners')"));
			assert_true(has_caution(&s[i], "'varicose_veins'"));
			if (low_back) {
				ql++;
				assert_true(has_caution(&s[i], "Light pressure only ('pregnancy')"));
				assert_true(has_caution(&s[i], "Light pressure only ('osteoporosis')"));
			} else {
				assert_false(has_caution(&s[i], "'pregnancy'"));
			}
		}
		if (s[i].technique == TRP_STRETCH)
			assert_true(has_caution(&s[i], "'pregnancy'"));
	}
	assert_true(ql >= 2);
	trp_plan_free(p);
}

/* Case-insensitive: does text contain word? */
static int contains(const char *text, const char *word)
{
	size_t n = strlen(word);

	for (; *text; text++)
		if (strncasecmp(text, word, n) == 0)
			return 1;
	return 0;
}

/* No plan for any muscle, screened or not, instructs needling or injection. */
static void test_never_needling(void **state)
{
	static const char *const in_instructions[] = {
		"needl", "inject", "insert", "syringe", "anaesthe", "anesthe", "lidocaine", "procaine",
		"puncture", NULL
	};
	static const char *const in_cautions[] = {
		"needle into", "insert the needle", "inject into", "inject the", "how to needle", NULL
	};
	static const char *const screens[] = { NULL, "", "blood_thinners pregnancy", "varicose_veins known_clot" };
	size_t m, k, i, w, checked = 0;

	(void)state;
	for (m = 0; m < trp_atlas_count(atlas); m++)
		for (k = 0; k < sizeof screens / sizeof screens[0]; k++) {
			char spec[160];
			trp_plan *p;
			const trp_plan_step *s;
			size_t n;

			snprintf(spec, sizeof spec, "%s.%c", trp_muscle_id(trp_atlas_muscle(atlas, m)),
				 k % 2 ? 'l' : 'r');
			p = plan_for(spec, screens[k], 0);
			n = trp_plan_steps(p, &s);
			for (i = 0; i < n; i++) {
				for (w = 0; in_instructions[w]; w++)
					if (contains(s[i].instructions, in_instructions[w]) ||
					    contains(s[i].dose.text, in_instructions[w]))
						fail_msg("%s step %zu: '%s' in: %s", spec, i, in_instructions[w],
							 s[i].instructions);
				for (size_t c = 0; c < s[i].ncautions; c++)
					for (w = 0; in_cautions[w]; w++)
						if (contains(s[i].cautions[c], in_cautions[w]))
							fail_msg("%s: '%s' in a caution", spec, in_cautions[w]);
				checked++;
			}
			trp_plan_free(p);
		}
	assert_true(checked > 1000);
}

static void test_json(void **state)
{
	static const char *const keys[] = {
		"refused", "reason", "steps", "frequency", "professional", "flags", "dropped",
		"perpetuating_factors"
	};
	static const char *const step_keys[] = {
		"muscle", "side", "technique", "instructions", "dose", "cautions", "day", "point"
	};
	trp_plan *p = plan_for("trapezius_upper.l gluteus_medius", "blood_thinners", 2);
	char *s = trp_plan_json(p, 1);
	json_t *o = json_loads(s, 0, NULL), *step, *v;
	const char *key;
	size_t k = 0;

	(void)state;
	assert_non_null(o);
	json_object_foreach(o, key, v) {
		assert_true(k < 8);
		assert_string_equal(key, keys[k]);
		k++;
	}
	assert_int_equal(k, 8);
	/* the whole-body factors, as the library lists them */
	v = json_object_get(o, "perpetuating_factors");
	assert_int_equal(json_array_size(v), trp_body_factor_count());
	assert_string_equal(json_string_value(json_object_get(json_array_get(v, 0), "name")),
			    trp_body_factor_at(0)->name);
	assert_true(json_string_length(json_object_get(json_array_get(v, 0), "ask")) > 20);
	assert_true(json_is_false(json_object_get(o, "refused")));
	assert_true(json_is_null(json_object_get(o, "reason")));
	step = json_array_get(json_object_get(o, "steps"), 1);
	k = 0;
	json_object_foreach(step, key, v) {
		assert_true(k < 8);
		assert_string_equal(key, step_keys[k]);
		k++;
	}
	assert_string_equal(json_string_value(json_object_get(step, "side")), "l");
	assert_string_equal(json_string_value(json_object_get(json_object_get(step, "point"), "region")),
			    "shoulder_top.l");
	assert_int_equal(json_integer_value(json_array_get(json_object_get(json_object_get(step, "dose"),
				"discomfort"), 1)), 3);
	assert_true(json_is_true(json_object_get(json_object_get(step, "dose"), "light")));
	/* a muscle given without a side */
	step = json_array_get(json_object_get(o, "steps"), json_array_size(json_object_get(o, "steps")) - 1);
	assert_true(json_is_null(json_object_get(step, "side")));
	assert_true(json_array_size(json_object_get(o, "dropped")) > 0);
	json_decref(o);
	free(s);
	trp_plan_free(p);
}

/* A plan read back from its JSON writes the same JSON. */
static void round_trip(const char *muscles, const char *codes, size_t points)
{
	trp_plan *p = plan_for(muscles, codes, points), *q = NULL;
	char *a = trp_plan_json(p, 1), *b, msg[512];

	assert_int_equal(trp_plan_parse(atlas, "plan.json", a, strlen(a), &q, msg, sizeof msg), TRP_OK);
	b = trp_plan_json(q, 1);
	assert_string_equal(a, b);
	assert_int_equal(trp_plan_days(q), trp_plan_days(p));
	free(a);
	free(b);
	trp_plan_free(p);
	trp_plan_free(q);
}

static void bad_plan(const char *text, trp_err want, const char *contains_text)
{
	trp_plan *p = (trp_plan *)1;
	char msg[512] = "";

	assert_int_equal(trp_plan_parse(atlas, "plan.json", text, strlen(text), &p, msg, sizeof msg), want);
	assert_null(p);
	if (!strstr(msg, contains_text))
		fail_msg("message '%s' lacks '%s'", msg, contains_text);
}

/* The plan text with the first `from` replaced by `to` (the same length) is refused with
 * a message containing `contains`. */
static void bad_edit(const char *text, const char *from, const char *to, const char *contains)
{
	char bad[2048];
	char *at;

	assert_int_equal(strlen(from), strlen(to));
	snprintf(bad, sizeof bad, "%s", text);
	at = strstr(bad, from);
	assert_non_null(at);
	memcpy(at, to, strlen(to));
	bad_plan(bad, TRP_EINVAL, contains);
}

static void test_parse(void **state)
{
	static const char step[] =
		"{\"muscle\": \"soleus\", \"side\": \"r\", \"technique\": \"stretch\", "
		"\"instructions\": \"i\", \"dose\": {\"discomfort\": null, \"hold_seconds\": [30, 30], "
		"\"rounds\": [3, 3], \"rest_seconds\": 10, \"light\": false, \"text\": \"t\"}, "
		"\"cautions\": [], \"day\": 1, \"point\": null}";
	char text[2048];

	(void)state;
	round_trip("trapezius_upper.l", NULL, 0);
	round_trip("gluteus_medius.r rectus_abdominis soleus", "pregnancy blood_thinners", 2);
	round_trip("soleus", "chest_pressure", 0);
	round_trip("orbicularis_oculi masseter.l", "fever", 0);
	/* a refused plan lists no whole-body factors */
	{
		trp_plan *p = plan_for("soleus", "chest_pressure", 0);
		char *a = trp_plan_json(p, 0);
		json_t *o = json_loads(a, 0, NULL);

		assert_int_equal(json_array_size(json_object_get(o, "perpetuating_factors")), 0);
		json_decref(o);
		free(a);
		trp_plan_free(p);
	}
	snprintf(text, sizeof text, "{\"refused\": false, \"reason\": null, \"steps\": [%s], "
		 "\"frequency\": \"f\", \"professional\": [], \"flags\": [], \"dropped\": []}", step);
	{
		trp_plan *p = NULL;
		const trp_plan_step *s;

		assert_int_equal(trp_plan_parse(atlas, "x", text, strlen(text), &p, NULL, 0), TRP_OK);
		assert_int_equal(trp_plan_steps(p, &s), 1);
		assert_int_equal(s[0].technique, TRP_STRETCH);
		assert_int_equal(s[0].side, TRP_RIGHT);
		assert_int_equal(trp_plan_days(p), 1);
		trp_plan_free(p);
	}
	bad_plan("{\"refused\": false,}", TRP_EPARSE, "plan.json:1:");
	bad_plan("[]", TRP_EINVAL, "plan.json:1: (top): expected an object");
	bad_plan("{\"refused\": false, \"reason\": null, \"steps\": [], \"frequency\": \"f\", "
		 "\"professional\": [], \"flags\": [], \"dropped\": [], \"extra\": 1}", TRP_EINVAL,
		 "extra: unknown field");
	bad_plan("{\"refused\": false, \"reason\": null, \"steps\": [],\n\"professional\": [], "
		 "\"flags\": [], \"dropped\": []}", TRP_EINVAL, "missing field 'frequency'");
	snprintf(text, sizeof text, "{\"refused\": false, \"reason\": null, \"steps\": [\n%s],"
		 " \"frequency\": \"f\", \"professional\": [], \"flags\": [], \"dropped\": []}", step);
	bad_edit(text, "\"stretch\"", "\"strech\" ", "plan.json:2: steps[0].technique: expected pressure");
	bad_edit(text, "soleus", "solxus", "steps[0].muscle: unknown muscle 'solxus'");
	bad_edit(text, "[30, 30]", "[30, 10]", "steps[0].dose.hold_seconds: MIN 30 is greater than MAX 10");
	bad_edit(text, "[30, 30]", "[30,121]", "steps[0].dose.hold_seconds[1]: expected a whole number from 1 to 120");
	bad_edit(text, "\"day\": 1", "\"day\": 0", "steps[0].day: expected a whole number from 1");
	bad_edit(text, "\"r\"", "\"x\"", "steps[0].side: expected \"l\", \"r\" or null");
	bad_edit(text, "\"refused\": false", "\"refused\": true ", "reason: expected a non-empty string");
	/* the caps themselves are accepted */
	{
		char ok[2048];
		trp_plan *p = NULL;

		snprintf(ok, sizeof ok, "%s", text);
		memcpy(strstr(ok, "[30, 30]"), "[30,120]", 8);
		assert_int_equal(trp_plan_parse(atlas, "x", ok, strlen(ok), &p, NULL, 0), TRP_OK);
		trp_plan_free(p);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_steps_and_doses),
		cmocka_unit_test(test_atlas_cautions),
		cmocka_unit_test(test_cap_and_rotation),
		cmocka_unit_test(test_refused),
		cmocka_unit_test(test_precaution_blood_thinners),
		cmocka_unit_test(test_precaution_pregnancy),
		cmocka_unit_test(test_precaution_reduced_sensation),
		cmocka_unit_test(test_precaution_site),
		cmocka_unit_test(test_precaution_clot_and_surgery),
		cmocka_unit_test(test_every_precaution_changes_a_plan),
		cmocka_unit_test(test_notes_and_arguments),
		cmocka_unit_test(test_never_needling),
		cmocka_unit_test(test_timer_caps),
		cmocka_unit_test(test_face_heat),
		cmocka_unit_test(test_precautions_repeated),
		cmocka_unit_test(test_json),
		cmocka_unit_test(test_parse),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
