/* test_region.c: the region vocabulary and the located-region parser. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "trp/trp.h"

static void parse_ok(const char *text, const char *name, trp_side side, int intensity)
{
	char msg[256] = "";
	trp_located loc;

	assert_int_equal(trp_located_parse(text, &loc, msg, sizeof msg), TRP_OK);
	assert_string_equal(trp_region_name(loc.region), name);
	assert_int_equal(loc.side, side);
	assert_int_equal(loc.intensity, intensity);
}

/* Parses text, expects TRP_EINVAL, and that the message contains each of the words. */
static void parse_bad(const char *text, const char *want1, const char *want2)
{
	char msg[256] = "";
	trp_located loc = { 5, TRP_RIGHT, 3 };

	assert_int_equal(trp_located_parse(text, &loc, msg, sizeof msg), TRP_EINVAL);
	assert_int_equal(loc.region, 0);
	assert_int_equal(loc.intensity, 0);
	if (!strstr(msg, want1) || (want2 && !strstr(msg, want2)))
		fail_msg("message for '%s' was '%s', wanted '%s' and '%s'", text, msg, want1,
			 want2 ? want2 : "");
}

static void test_vocabulary(void **state)
{
	(void)state;
	assert_int_equal(trp_region_count(), 78);
	assert_string_equal(trp_region_name(0), "crown");
	assert_string_equal(trp_region_name(77), "toes");
	assert_null(trp_region_name(78));
	assert_null(trp_region_name(-1));
	assert_int_equal(trp_region_view(trp_region_find("occiput")), TRP_VIEW_BACK);
	assert_int_equal(trp_region_view(trp_region_find("forehead")), TRP_VIEW_FRONT);
	assert_int_equal(trp_region_view(trp_region_find("crown")), TRP_VIEW_BOTH);
	assert_int_equal(trp_region_find("no_such"), -1);
	assert_int_equal(trp_region_find(""), -1);
	assert_int_equal(trp_region_find(NULL), -1);
	/* every name is found at its own index (the sorted index agrees with the table) */
	for (int r = 0; r < trp_region_count(); r++)
		assert_int_equal(trp_region_find(trp_region_name(r)), r);
}

static void test_parse_good(void **state)
{
	(void)state;
	parse_ok("temple.l", "temple", TRP_LEFT, -1);
	parse_ok("temple.r", "temple", TRP_RIGHT, -1);
	parse_ok("neck_side.left", "neck_side", TRP_LEFT, -1);
	parse_ok("neck_side.RIGHT", "neck_side", TRP_RIGHT, -1);
	parse_ok("Temple.L=7", "temple", TRP_LEFT, 7);
	parse_ok("heel.r=0", "heel", TRP_RIGHT, 0);
	parse_ok("heel.r=10", "heel", TRP_RIGHT, 10);
	parse_ok("heel.r=07", "heel", TRP_RIGHT, 7);
	parse_ok("toes.l", "toes", TRP_LEFT, -1);
	parse_ok("crown.r=3", "crown", TRP_RIGHT, 3);
}

static void test_parse_bad(void **state)
{
	(void)state;
	parse_bad("templ.l", "unknown region 'templ.l'", "did you mean 'temple.l'");
	parse_bad("tempel.r", "unknown region", "'temple.r'");
	parse_bad("temple", "needs a side", "'temple.l'");
	parse_bad("templ", "unknown region 'templ'", "'temple.l'");
	parse_bad("temple.x", "unknown side 'x'", "l, r, left or right");
	parse_bad("temple.", "unknown side ''", NULL);
	parse_bad("temple.l=11", "bad intensity", "0 to 10");
	parse_bad("temple.l=", "bad intensity", NULL);
	parse_bad("temple.l=-1", "bad intensity", NULL);
	parse_bad("temple.l=5x", "bad intensity", NULL);
	parse_bad("temple.l=99999999999999999999", "bad intensity", NULL);
	parse_bad("", "empty region", NULL);
	parse_bad(".l", "has no name", NULL);
	parse_bad("neck.l", "unknown region", "'neck_side.l'");
	parse_bad("zzzzzzzz.l", "unknown region", "trp regions");
	parse_bad("temple\n.l", "unknown region 'temple?.l'", NULL);
}

static void test_parse_null_and_small_buffers(void **state)
{
	trp_located loc;
	char tiny[8];

	(void)state;
	assert_int_equal(trp_located_parse("templ.l", &loc, NULL, 0), TRP_EINVAL);
	assert_int_equal(trp_located_parse(NULL, &loc, tiny, sizeof tiny), TRP_EINVAL);
	assert_int_equal(trp_located_parse("templ.l", &loc, tiny, sizeof tiny), TRP_EINVAL);
	assert_int_equal(strlen(tiny), sizeof tiny - 1);
	assert_int_equal(trp_located_parse("templ.l", NULL, tiny, sizeof tiny), TRP_EINVAL);
}

static void test_long_token_is_cut_in_message(void **state)
{
	char text[400], msg[256];
	trp_located loc;

	(void)state;
	memset(text, 'a', sizeof text - 1);
	text[sizeof text - 1] = '\0';
	assert_int_equal(trp_located_parse(text, &loc, msg, sizeof msg), TRP_EINVAL);
	assert_non_null(strstr(msg, "..."));
	assert_true(strlen(msg) < 200);
}

static void test_format(void **state)
{
	trp_located loc = { trp_region_find("neck_side"), TRP_RIGHT, 6 };
	char buf[64];

	(void)state;
	assert_int_equal(trp_located_format(&loc, buf, sizeof buf), strlen("neck_side.r=6"));
	assert_string_equal(buf, "neck_side.r=6");
	loc.intensity = -1;
	trp_located_format(&loc, buf, sizeof buf);
	assert_string_equal(buf, "neck_side.r");
	/* truncation is safe and reports the full length */
	assert_int_equal(trp_located_format(&loc, buf, 4), strlen("neck_side.r"));
	assert_string_equal(buf, "nec");
	/* every located region formats to text that parses back to itself */
	for (int r = 0; r < trp_region_count(); r++)
		for (int s = 0; s < 2; s++) {
			trp_located in = { r, (trp_side)s, r % 11 }, out;

			trp_located_format(&in, buf, sizeof buf);
			assert_int_equal(trp_located_parse(buf, &out, NULL, 0), TRP_OK);
			assert_memory_equal(&in, &out, sizeof in);
		}
}

static void test_suggest(void **state)
{
	int near[5], n;

	(void)state;
	n = trp_region_suggest("shoulder", near, 5);
	assert_int_equal(n, 4);
	for (int i = 0; i < n; i++)
		assert_non_null(strstr(trp_region_name(near[i]), "shoulder"));
	n = trp_region_suggest("calfs", near, 5);
	assert_true(n >= 1);
	assert_string_equal(trp_region_name(near[0]), "calf");
	n = trp_region_suggest("sacrum", near, 1);
	assert_int_equal(n, 1);
	assert_string_equal(trp_region_name(near[0]), "sacrum");
	assert_int_equal(trp_region_suggest("qqqqqqqqqq", near, 5), 0);
	assert_int_equal(trp_region_suggest("", near, 5), 0);
	assert_int_equal(trp_region_suggest("calf", near, 0), 0);
}

static void test_strerror(void **state)
{
	(void)state;
	assert_string_equal(trp_strerror(TRP_OK), "success");
	assert_string_equal(trp_strerror(TRP_ENOMEM), "out of memory");
	assert_string_equal(trp_strerror((trp_err)999), "unknown error");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_vocabulary),
		cmocka_unit_test(test_parse_good),
		cmocka_unit_test(test_parse_bad),
		cmocka_unit_test(test_parse_null_and_small_buffers),
		cmocka_unit_test(test_long_token_is_cut_in_message),
		cmocka_unit_test(test_format),
		cmocka_unit_test(test_suggest),
		cmocka_unit_test(test_strerror),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
