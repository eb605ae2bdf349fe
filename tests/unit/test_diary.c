/* test_diary.c: diary records as values: pain tokens, maps, times and days, range
 * checks, JSON, CSV round trips and malformed CSV, trial schedules. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "trp/diary.h"

static void test_pain_tokens(void **state)
{
	trp_pain_region r;
	char msg[256], buf[256];
	trp_entry e;

	(void)state;
	assert_int_equal(trp_pain_region_parse("temple.l=7:aching", &r, msg, sizeof msg), TRP_OK);
	assert_string_equal(trp_region_name(r.region), "temple");
	assert_int_equal(r.intensity, 7);
	assert_int_equal(r.quality, TRP_ACHING);
	assert_int_equal(trp_pain_region_parse("heel.r", &r, msg, sizeof msg), TRP_OK);
	assert_int_equal(r.intensity, 5);
	assert_int_equal(r.quality, TRP_QUALITY_NONE);
	assert_int_equal(trp_pain_region_parse("heel.r:stabbing", &r, msg, sizeof msg), TRP_EINVAL);
	assert_non_null(strstr(msg, "unknown quality 'stabbing'"));
	assert_non_null(strstr(msg, "throbbing"));
	assert_int_equal(trp_pain_region_parse("heal.r=3:sharp", &r, msg, sizeof msg), TRP_EINVAL);
	assert_non_null(strstr(msg, "'heel.r'"));

	trp_entry_init(&e, TRP_PAIN_ENTRY);
	assert_int_equal(trp_pain_map_parse("temple.l=7:aching  neck_side.l=0 calf.r:tingling", &e, msg, sizeof msg), TRP_OK);
	assert_int_equal(e.nregions, 3);
	assert_int_equal(trp_entry_peak(&e), 7);
	trp_pain_map_format(e.regions, e.nregions, buf, sizeof buf);
	assert_string_equal(buf, "temple.l=7:aching neck_side.l=0 calf.r=5:tingling");
	assert_int_equal(trp_pain_map_parse("temple.l temple.l=3", &e, msg, sizeof msg), TRP_EINVAL);
	assert_non_null(strstr(msg, "twice"));
	assert_int_equal(trp_pain_map_parse("   ", &e, msg, sizeof msg), TRP_EINVAL);
	/* formatting into a small buffer is safe and says how much it needed */
	trp_pain_map_parse("temple.l=7:aching", &e, msg, sizeof msg);
	assert_int_equal(trp_pain_map_format(e.regions, e.nregions, buf, 5), strlen("temple.l=7:aching"));
	assert_int_equal(strlen(buf), 4);
}

static void test_times(void **state)
{
	int64_t at;
	int tz, has;
	char buf[64], msg[256];

	(void)state;
	assert_int_equal(trp_time_parse("2026-11-24T08:30:15+01:00", &at, &tz, &has, msg, sizeof msg), TRP_OK);
	assert_int_equal(has, 1);
	assert_int_equal(tz, 60);
	assert_int_equal(at, 1795505415);     /* 07:30:15 UTC */
	trp_time_format(at, tz, buf, sizeof buf);
	assert_string_equal(buf, "2026-11-24T08:30:15+01:00");
	assert_int_equal(trp_local_day(at, tz), 20781);
	trp_day_format(20781, buf, sizeof buf);
	assert_string_equal(buf, "2026-11-24");
	/* a time just after local midnight belongs to the local day, not the UTC one */
	assert_int_equal(trp_time_parse("2026-11-24T00:30-05:00", &at, &tz, &has, msg, sizeof msg), TRP_OK);
	assert_int_equal(trp_local_day(at, tz), 20781);
	assert_int_equal(trp_local_day(at, 0), 20781);
	assert_int_equal(trp_time_parse("2026-11-24T23:30-05:00", &at, &tz, &has, msg, sizeof msg), TRP_OK);
	assert_int_equal(trp_local_day(at, tz), 20781);
	assert_int_equal(trp_local_day(at, 0), 20782);
	/* no offset: the caller decides; a date alone is midnight */
	assert_int_equal(trp_time_parse("2026-11-24", &at, &tz, &has, msg, sizeof msg), TRP_OK);
	assert_int_equal(has, 0);
	assert_int_equal(at, 20781LL * 86400);
	assert_int_equal(trp_time_parse("2026-11-24T08:30Z", &at, &tz, &has, msg, sizeof msg), TRP_OK);
	assert_int_equal(has, 1);
	assert_int_equal(tz, 0);
	/* before 1970, leap days, and every day of four years round-trip */
	assert_int_equal(trp_time_parse("1960-02-29T12:00:00-0330", &at, &tz, &has, msg, sizeof msg), TRP_OK);
	trp_time_format(at, tz, buf, sizeof buf);
	assert_string_equal(buf, "1960-02-29T12:00:00-03:30");
	for (int64_t day = 20000; day < 20000 + 4 * 366; day++) {
		int64_t back;

		trp_day_format(day, buf, sizeof buf);
		assert_int_equal(trp_time_parse(buf, &back, &tz, &has, NULL, 0), TRP_OK);
		assert_int_equal(back, day * 86400);
	}
	/* bad times name themselves */
	assert_int_equal(trp_time_parse("2026-02-30", &at, &tz, &has, msg, sizeof msg), TRP_EINVAL);
	assert_non_null(strstr(msg, "not a real date"));
	assert_int_equal(trp_time_parse("2025-02-29", &at, &tz, &has, msg, sizeof msg), TRP_EINVAL);
	assert_int_equal(trp_time_parse("2026-11-24T24:00", &at, &tz, &has, msg, sizeof msg), TRP_EINVAL);
	assert_int_equal(trp_time_parse("yesterday", &at, &tz, &has, msg, sizeof msg), TRP_EINVAL);
	assert_non_null(strstr(msg, "bad time 'yesterday'"));
	assert_int_equal(trp_time_parse("2026-11-24T08:30+1", &at, &tz, &has, msg, sizeof msg), TRP_EINVAL);
	assert_int_equal(trp_time_parse("2026-11-24x", &at, &tz, &has, msg, sizeof msg), TRP_EINVAL);
}

static void session(trp_entry *e)
{
	trp_entry_init(e, TRP_SESSION_ENTRY);
	e->at = 1795505415;
	e->tz = 60;
	e->treatment = TRP_T_STRETCH;
	e->before = 6;
	e->after = 4;
}

static void test_checks(void **state)
{
	trp_atlas *atlas;
	trp_entry e;
	char msg[256];

	(void)state;
	assert_int_equal(trp_atlas_open_builtin(&atlas), TRP_OK);
	session(&e);
	assert_int_equal(trp_entry_check(&e, atlas, msg, sizeof msg), TRP_OK);
	e.before = 11;
	assert_int_equal(trp_entry_check(&e, atlas, msg, sizeof msg), TRP_EINVAL);
	assert_non_null(strstr(msg, "before"));
	session(&e);
	e.later = 12;
	assert_int_equal(trp_entry_check(&e, atlas, msg, sizeof msg), TRP_EINVAL);
	assert_non_null(strstr(msg, "later"));
	session(&e);
	strcpy(e.muscle, "soleus");
	assert_int_equal(trp_entry_check(&e, atlas, msg, sizeof msg), TRP_EINVAL);
	assert_non_null(strstr(msg, "side"));
	e.side = TRP_RIGHT;
	assert_int_equal(trp_entry_check(&e, atlas, msg, sizeof msg), TRP_OK);
	strcpy(e.muscle, "solius");
	assert_int_equal(trp_entry_check(&e, atlas, msg, sizeof msg), TRP_ENOTFOUND);
	session(&e);
	e.side = TRP_LEFT;
	assert_int_equal(trp_entry_check(&e, atlas, msg, sizeof msg), TRP_EINVAL);
	session(&e);
	e.tz = 15 * 60;
	assert_int_equal(trp_entry_check(&e, atlas, msg, sizeof msg), TRP_EINVAL);
	trp_entry_init(&e, TRP_PAIN_ENTRY);
	assert_int_equal(trp_entry_check(&e, atlas, msg, sizeof msg), TRP_EINVAL);
	assert_non_null(strstr(msg, "at least one region"));
	trp_atlas_free(atlas);
}

struct collected {
	trp_entry e[8];
	char notes[8][TRP_NOTE_MAX + 1];
	int has_note[8];
	int n;
};

static int collect(const trp_entry *e, void *arg)
{
	struct collected *c = arg;

	c->e[c->n] = *e;
	c->has_note[c->n] = e->note != NULL;
	if (e->note)
		snprintf(c->notes[c->n], sizeof c->notes[c->n], "%s", e->note);
	c->n++;
	return 0;
}

static void test_csv_round_trip(void **state)
{
	static struct collected got;
	trp_entry in[4];
	char text[16384], msg[256];
	size_t len;
	int i;

	(void)state;
	session(&in[0]);
	in[0].id = 3;
	in[0].note = "with, a comma and \"quotes\"\nand a second line";
	strcpy(in[0].muscle, "trapezius_upper");
	in[0].side = TRP_LEFT;
	in[0].minutes = 5;
	in[0].later = 2;
	in[0].soreness = 0;
	session(&in[1]);
	in[1].id = 7;
	in[1].note = "";       /* an empty note is not the same as none */
	in[1].deleted = 1;
	trp_entry_init(&in[2], TRP_PAIN_ENTRY);
	in[2].id = 9;
	in[2].at = -100000;    /* before 1970 */
	in[2].tz = -330;
	trp_pain_map_parse("temple.l=7:aching heel.r=0", &in[2], msg, sizeof msg);
	trp_entry_init(&in[3], TRP_PAIN_ENTRY);
	in[3].id = 10;
	trp_pain_map_parse("crown.r=10:throbbing", &in[3], msg, sizeof msg);

	strcpy(text, trp_entry_csv_header());
	for (i = 0; i < 4; i++) {
		char *line = trp_entry_csv(&in[i]);

		assert_non_null(line);
		strcat(text, line);
		free(line);
	}
	len = strlen(text);
	memset(&got, 0, sizeof got);
	assert_int_equal(trp_entry_csv_parse(text, len, collect, &got, msg, sizeof msg), TRP_OK);
	assert_int_equal(got.n, 4);
	for (i = 0; i < 4; i++) {
		char *a, *b;

		got.e[i].note = got.has_note[i] ? got.notes[i] : NULL;
		a = trp_entry_csv(&in[i]);
		b = trp_entry_csv(&got.e[i]);
		assert_string_equal(a, b);
		free(a);
		free(b);
	}
	assert_string_equal(got.notes[0], in[0].note);
	assert_true(got.has_note[1] && got.notes[1][0] == '\0');
	assert_false(got.has_note[2]);
	assert_int_equal(got.e[1].deleted, 1);
	assert_int_equal(got.e[2].tz, -330);
	assert_int_equal(got.e[2].at, -100000);
}

static int never(const trp_entry *e, void *arg)
{
	(void)e;
	(void)arg;
	return 0;
}

static void csv_bad(const char *text, const char *want)
{
	char msg[512] = "";

	assert_int_equal(trp_entry_csv_parse(text, strlen(text), never, NULL, msg, sizeof msg), TRP_EINVAL);
	if (!strstr(msg, want))
		fail_msg("for %s: message '%s' lacks '%s'", text, msg, want);
}

static void test_csv_errors(void **state)
{
	const char *h = "id,kind,at,map,muscle,side,technique,minutes,before,after,later,soreness,note,deleted\n";
	char buf[1024];

	(void)state;
	csv_bad("", "no header");
	csv_bad("id,kind\n", "missing column");
	csv_bad("id,kind,at,map,muscle,side,technique,minutes,before,after,later,soreness,note,deleted,extra\n", "unknown column 'extra'");
	snprintf(buf, sizeof buf, "%s1,pain,2026-11-24T08:00:00+00:00,templ.l=3,,,,,,,,,,0\n", h);
	csv_bad(buf, "line 2: map");
	snprintf(buf, sizeof buf, "%s1,pain,2026-11-24T08:00:00+00:00,templ.l=3,,,,,,,,,,0\n", h);
	csv_bad(buf, "did you mean 'temple.l'");
	snprintf(buf, sizeof buf, "%s1,pain,2026-11-24T08:00:00,temple.l=3,,,,,,,,,,0\n", h);
	csv_bad(buf, "line 2: at");
	snprintf(buf, sizeof buf, "%s1,session,2026-11-24T08:00:00Z,,,,stretch,,11,3,,,,0\n", h);
	csv_bad(buf, "line 2: before");
	snprintf(buf, sizeof buf, "%s1,session,2026-11-24T08:00:00Z,,,,yoga,,5,3,,,,0\n", h);
	csv_bad(buf, "line 2: technique");
	snprintf(buf, sizeof buf, "%s1,session,2026-11-24T08:00:00Z,,,,stretch,,5,3,,,\"open,0\n", h);
	csv_bad(buf, "not closed");
	snprintf(buf, sizeof buf, "%s1,session,2026-11-24T08:00:00Z,,,,stretch,,5,3\n", h);
	csv_bad(buf, "expected 14 fields");
	snprintf(buf, sizeof buf, "%s0,session,2026-11-24T08:00:00Z,,,,stretch,,5,3,,,,0\n", h);
	csv_bad(buf, "line 2: id");
	snprintf(buf, sizeof buf, "%s1,session,2026-11-24T08:00:00Z,,,,stretch,,5,3,,,,0\n2,pain,2026-11-24T08:00:00Z,heel.l,,,,,,,,,,2\n", h);
	csv_bad(buf, "line 3: deleted");
	/* a note that spans lines moves the line count on */
	snprintf(buf, sizeof buf, "%s1,session,2026-11-24T08:00:00Z,,,,stretch,,5,3,,,\"a\nb\",0\n2,pain,x,heel.l,,,,,,,,,,0\n", h);
	csv_bad(buf, "line 4: at");
}

static void test_trials(void **state)
{
	trp_trial t;
	char msg[256];
	int block, period;

	(void)state;
	memset(&t, 0, sizeof t);
	t.a = TRP_T_STRETCH;
	t.b = TRP_T_HEAT;
	t.blocks = 3;
	t.days = 7;
	t.start_day = 100;
	trp_trial_draw(&t, 0x5);     /* blocks: AB, BA, AB */
	assert_string_equal(t.order, "ABBAAB");
	assert_int_equal(trp_trial_check(&t, msg, sizeof msg), TRP_OK);
	assert_int_equal(trp_trial_on(&t, 99, NULL, NULL), 0);
	assert_int_equal(trp_trial_on(&t, 100, &block, &period), 'A');
	assert_int_equal(block, 0);
	assert_int_equal(period, 0);
	assert_int_equal(trp_trial_on(&t, 107, &block, &period), 'B');
	assert_int_equal(trp_trial_on(&t, 114, &block, &period), 'B');
	assert_int_equal(block, 1);
	assert_int_equal(trp_trial_on(&t, 141, NULL, NULL), 'B');
	assert_int_equal(trp_trial_on(&t, 142, NULL, NULL), 0);
	t.blocks = 2;
	assert_int_equal(trp_trial_check(&t, msg, sizeof msg), TRP_EINVAL);
	assert_non_null(strstr(msg, "at least 3"));
	t.blocks = 3;
	t.b = t.a;
	assert_int_equal(trp_trial_check(&t, msg, sizeof msg), TRP_EINVAL);
	t.b = TRP_T_HEAT;
	strcpy(t.order, "AABBAB");
	assert_int_equal(trp_trial_check(&t, msg, sizeof msg), TRP_EINVAL);
}

static void test_entry_json(void **state)
{
	trp_entry e;
	char *s;

	(void)state;
	session(&e);
	e.id = 4;
	s = trp_entry_json(&e, 0);
	assert_non_null(s);
	assert_string_equal(s, "{\"id\":4,\"kind\":\"session\",\"at\":\"2026-11-24T08:30:15+01:00\","
			    "\"muscle\":null,\"side\":null,\"technique\":\"stretch\",\"minutes\":null,"
			    "\"before\":6,\"after\":4,\"later\":null,\"soreness\":null,\"note\":null,"
			    "\"deleted\":false}");
	free(s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_pain_tokens),
		cmocka_unit_test(test_times),
		cmocka_unit_test(test_checks),
		cmocka_unit_test(test_csv_round_trip),
		cmocka_unit_test(test_csv_errors),
		cmocka_unit_test(test_trials),
		cmocka_unit_test(test_entry_json),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
