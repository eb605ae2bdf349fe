/*
 * cmd_report.c: `trp report` shows what helps this person, from their own diary;
 * `trp trial` runs an n-of-1 trial of one treatment against another. The text is drawn
 * from the same JSON object that --json prints (and the server returns).
 */
#include <fcntl.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>

#include <jansson.h>

#include "cli.h"
#include "picture.h"
#include "release_input.h"

static const char report_help[] =
	"usage: trp report [--since DATE] [--json] [--db PATH]\n"
	"       trp report [--since DATE] [--screen FILE] [--png FILE] [--pdf FILE] [--svg FILE]\n"
	"\n"
	"What your diary shows: what each treatment does right away, how your daily pain has\n"
	"moved over the weeks, which treatments help more than others (unblinded), and the\n"
	"results of n-of-1 trials (see 'trp trial'). docs/diary.md explains every figure.\n"
	"A picture is the report for a clinician, on one or two A4 pages: the pain map at the\n"
	"start and now, daily pain with the sessions, each treatment's effect, the recent\n"
	"sessions, and the screening outcome.\n"
	"\n"
	"  --since DATE    only entries from this date on\n"
	"  --json          print {\"techniques\", \"trend\", \"recurrences\", \"comparisons\", \"trials\"}\n"
	"  --screen FILE   the picture shows the outcome of these answers ('trp screen --save')\n"
	PICTURE_HELP;

static const char trial_help[] =
	"usage: trp trial start A B [--blocks N] [--days D] [--start DATE] [--json]\n"
	"       trp trial status [--json]\n"
	"       trp trial stop\n"
	"\n"
	"An n-of-1 trial compares two treatments for you alone: the time is cut into blocks\n"
	"of two periods of D days; in each block you use A in one period and B in the other,\n"
	"in an order drawn at random. Log your pain every day ('trp pain'); after 3 complete\n"
	"blocks 'trp report' gives the effect with its interval and a verdict.\n"
	"A and B are treatments as 'trp log' names them (stretch, heat, pressure, ...).\n"
	"\n"
	"  --blocks N    3 to 12 blocks (default 4)\n"
	"  --days D      1 to 28 days a period (default 7)\n"
	"  --start DATE  the first day (default today)\n";

enum { O_SINCE = 1000, O_DB, O_BLOCKS, O_DAYS, O_START, O_SCREEN };

struct collect {
	trp_report *report;
	int failed;
};

static int add_entry(const trp_entry *e, void *arg)
{
	struct collect *c = arg;

	if (trp_report_add(c->report, e)) {
		c->failed = 1;
		return 1;
	}
	return 0;
}

static int add_trial(const trp_trial *t, void *arg)
{
	struct collect *c = arg;

	if (trp_report_add_trial(c->report, t)) {
		c->failed = 1;
		return 1;
	}
	return 0;
}

/* Builds the report of the diary from `since` on; NULL after printing why. */
static json_t *build(struct cli *cli, int64_t since, int64_t today, char **text)
{
	struct collect c = { NULL, 0 };
	trp_diary *d = cli_diary_checked(cli);
	json_error_t jerr;
	json_t *o = NULL;
	char *s = NULL;

	*text = NULL;
	if (!d)
		return NULL;
	if (trp_report_new(&c.report)) {
		cli->failure = cli_error(EXIT_FAILED, "out of memory");
		return NULL;
	}
	if (trp_diary_each(d, since, 0, add_entry, &c) || trp_diary_trial_each(d, add_trial, &c)) {
		cli->failure = cli_error(EXIT_FAILED, "%s", trp_diary_errmsg(d));
		goto done;
	}
	if (c.failed || !(s = trp_report_json(c.report, today, 1))) {
		cli->failure = cli_error(EXIT_FAILED, "out of memory");
		goto done;
	}
	o = json_loads(s, 0, &jerr);
	if (!o)
		cli->failure = cli_error(EXIT_FAILED, "out of memory");
done:
	trp_report_free(c.report);
	if (o)
		*text = s;
	else
		free(s);
	return o;
}

static const char *verdict_words(const char *v)
{
	return strcmp(v, "instant_relief") == 0 ? "instant relief"
	     : strcmp(v, "builds_over_weeks") == 0 ? "builds over weeks"
	     : strcmp(v, "not_helping_yet") == 0 ? "not helping yet"
	     : strcmp(v, "cannot_tell_yet") == 0 ? "cannot tell yet"
	     : strcmp(v, "too_little_data") == 0 ? "too little data" : v;
}

/* text in lines of at most 88 columns, each starting with indent */
static void wrap(const char *indent, const char *text)
{
	size_t width = 88 - strlen(indent), col = 0;

	while (*text) {
		size_t len = strcspn(text, " ");

		if (col > 0 && col + 1 + len > width) {
			putchar('\n');
			col = 0;
		}
		if (col == 0)
			fputs(indent, stdout);
		else
			putchar(' '), col++;
		fwrite(text, 1, len, stdout);
		col += len;
		text += len;
		while (*text == ' ')
			text++;
	}
	if (col > 0)
		putchar('\n');
}

static double real(json_t *o, const char *key)
{
	return json_number_value(json_object_get(o, key));
}

static int has(json_t *o, const char *key)
{
	return json_is_number(json_object_get(o, key));
}

static void print_trial(json_t *t)
{
	json_t *current = json_object_get(t, "current");
	const char *verdict = json_string_value(json_object_get(t, "verdict"));

	printf("  trial %lld: %s (A) against %s (B), %lld blocks of %lld days from %s, order %s: %s\n",
	       (long long)json_integer_value(json_object_get(t, "id")),
	       json_string_value(json_object_get(t, "a")), json_string_value(json_object_get(t, "b")),
	       (long long)json_integer_value(json_object_get(t, "blocks")),
	       (long long)json_integer_value(json_object_get(t, "days")),
	       json_string_value(json_object_get(t, "start")), json_string_value(json_object_get(t, "order")),
	       json_string_value(json_object_get(t, "status")));
	if (json_is_object(current))
		printf("    today: block %lld, period %lld: use %s\n",
		       (long long)json_integer_value(json_object_get(current, "block")),
		       (long long)json_integer_value(json_object_get(current, "period")),
		       json_string_value(json_object_get(current, "use")));
	printf("    complete blocks: %lld", (long long)json_integer_value(json_object_get(t, "blocks_complete")));
	if (has(t, "mean_effect")) {
		size_t i;
		json_t *b;

		printf(" (differences, B minus A:");
		json_array_foreach(json_object_get(t, "block_differences"), i, b)
			printf(" %+.1f", real(b, "difference"));
		printf(")\n    effect %+.2f points (95%% interval %+.2f to %+.2f); chance of a meaningful "
		       "difference %.0f%%\n", real(t, "mean_effect"), real(t, "low"), real(t, "high"),
		       100 * real(t, "p_meaningful"));
	} else {
		printf("\n");
	}
	printf("    verdict: %s\n", verdict);
}

static void print_report(json_t *o)
{
	json_t *techs = json_object_get(o, "techniques"), *trend = json_object_get(o, "trend");
	json_t *rec = json_object_get(o, "recurrences"), *comps = json_object_get(o, "comparisons");
	json_t *trials = json_object_get(o, "trials"), *t;
	size_t i;

	printf("Your diary, as of %s\n", json_string_value(json_object_get(o, "today")));
	printf("\nWhat each treatment does right away (pain just after minus just before)\n");
	if (json_array_size(techs) == 0)
		printf("  no sessions logged yet ('trp log')\n");
	json_array_foreach(techs, i, t) {
		json_t *c = json_object_get(t, "course"), *sore = json_object_get(t, "soreness");
		const char *with = json_string_value(json_object_get(c, "with"));

		printf("  %-13s %4lld sessions", json_string_value(json_object_get(t, "technique")),
		       (long long)json_integer_value(json_object_get(t, "sessions")));
		if (has(t, "median_change"))
			printf("  median %+5.1f  meaningful drop in %3.0f%%", real(t, "median_change"),
			       100 * real(t, "meaningful_share"));
		printf("  %s\n", verdict_words(json_string_value(json_object_get(t, "verdict"))));
		if (json_is_string(json_object_get(c, "meaning")))
			wrap("                ", json_string_value(json_object_get(c, "meaning")));
		if (json_is_true(json_object_get(sore, "flag")))
			printf("                sore the next day (5 or more of 10) after %lld of %lld sessions\n",
			       (long long)json_integer_value(json_object_get(sore, "high")),
			       (long long)json_integer_value(json_object_get(sore, "sessions")));
		if (with && strcmp(json_string_value(json_object_get(t, "verdict")), "cannot_tell_yet") == 0)
			printf("                to tell them apart: trp trial start %s %s\n",
			       json_string_value(json_object_get(t, "technique")), with);
	}
	printf("\nOver the weeks\n");
	if (json_integer_value(json_object_get(trend, "days")) == 0) {
		printf("  no pain logged yet ('trp pain')\n");
	} else {
		printf("  %lld days with pain logged, %s to %s\n",
		       (long long)json_integer_value(json_object_get(trend, "days")),
		       json_string_value(json_object_get(trend, "first_day")),
		       json_string_value(json_object_get(trend, "last_day")));
		printf("  daily pain: %.1f in the first week, %.1f in the last\n",
		       real(trend, "first_week_mean"), real(trend, "last_week_mean"));
		if (has(trend, "slope_per_week"))
			printf("  trend: %+.2f points a week (95%% interval %+.2f to %+.2f)\n",
			       real(trend, "slope_per_week"), real(trend, "low"), real(trend, "high"));
		if (json_is_integer(json_object_get(trend, "days_to_30_percent")))
			printf("  30%% better than the first week after %lld days\n",
			       (long long)json_integer_value(json_object_get(trend, "days_to_30_percent")));
		printf("  regions that came back after a quiet week: %lld\n",
		       (long long)json_integer_value(json_object_get(rec, "count")));
		json_array_foreach(json_object_get(rec, "latest"), i, t) {
			if (i == 5)
				break;
			printf("    %s on %s, after %lld quiet days\n", json_string_value(json_object_get(t, "region")),
			       json_string_value(json_object_get(t, "back_on")),
			       (long long)json_integer_value(json_object_get(t, "quiet_days")));
		}
	}
	if (json_array_size(comps)) {
		printf("\nTreatment against treatment (unblinded: your sessions were neither randomised\n"
		       "nor blinded, so expectation and timing can make a difference appear)\n");
		json_array_foreach(comps, i, t) {
			const char *better = json_string_value(json_object_get(t, "better"));

			printf("  %s vs %s: %+.1f points (95%% interval %+.1f to %+.1f)%s%s%s\n",
			       json_string_value(json_object_get(t, "a")), json_string_value(json_object_get(t, "b")),
			       real(t, "difference"), real(t, "low"), real(t, "high"),
			       better ? ": " : ": no clear difference", better ? better : "",
			       better ? " relieves more right away" : "");
		}
	}
	if (json_array_size(trials)) {
		printf("\nn-of-1 trials (effect: mean daily pain with B minus with A; positive: A better)\n");
		json_array_foreach(trials, i, t)
			print_trial(t);
	}
	printf("\ntrp informs; it does not diagnose. Pain that keeps getting worse, or comes with\n"
	       "numbness, weakness, fever or weight loss, needs a clinician.\n");
}

static int today(void)
{
	int64_t at;
	int tz;

	cli_now(&at, &tz);
	return (int)trp_local_day(at, tz);
}

/* What the report's picture needs besides the figures: copies of the first and the
 * latest pain entries and of the latest sessions (a ring), gathered in one walk. */
struct picture_walk {
	trp_report *report;
	trp_entry *first, *last;
	trp_entry *ring;                 /* TRP_REPORT_SESSIONS_SHOWN entries */
	size_t sessions;                 /* sessions seen */
	int has_pain, failed;
};

static int walk_entry(const trp_entry *e, void *arg)
{
	struct picture_walk *w = arg;
	trp_entry *copy;

	if (trp_report_add(w->report, e)) {
		w->failed = 1;
		return 1;
	}
	if (e->kind == TRP_PAIN_ENTRY) {
		if (!w->has_pain) {
			*w->first = *e;
			w->first->note = NULL;   /* it points into the diary's handle */
		}
		w->has_pain = 1;
		copy = w->last;
	} else {
		copy = &w->ring[w->sessions++ % TRP_REPORT_SESSIONS_SHOWN];
	}
	*copy = *e;
	copy->note = NULL;
	return 0;
}

static int walk_trial(const trp_trial *t, void *arg)
{
	struct picture_walk *w = arg;

	if (trp_report_add_trial(w->report, t)) {
		w->failed = 1;
		return 1;
	}
	return 0;
}

static trp_err draw_report(void *arg, trp_image_format format, unsigned char **data, size_t *size,
			   char *msg, size_t msgsize)
{
	return trp_render_report(arg, format, data, size, NULL, msg, msgsize);
}

/* `trp report --pdf FILE`: the report for a clinician, from `since` on, with the outcome
 * of the answers in `screen` (NULL: not given). */
static int report_picture(struct cli *cli, int64_t since, const char *screen,
			  const struct pictures *pics)
{
	struct picture_walk w;
	trp_report_picture pic;
	trp_answers answers;
	trp_entry *buf = NULL;
	trp_diary *d;
	size_t i, n;
	int code;

	memset(&w, 0, sizeof w);
	memset(&pic, 0, sizeof pic);
	if (screen && (code = release_answers("report", screen, &answers)))
		return code;
	d = cli_diary_checked(cli);
	if (!d)
		return cli->failure;
	/* first, last, the ring, and the sessions in order */
	buf = malloc((2 + 2 * TRP_REPORT_SESSIONS_SHOWN) * sizeof *buf);
	if (!buf || trp_report_new(&w.report)) {
		code = cli_error(EXIT_FAILED, "report: out of memory");
		goto done;
	}
	w.first = &buf[0];
	w.last = &buf[1];
	w.ring = &buf[2];
	if (trp_diary_each(d, since, 0, walk_entry, &w) || trp_diary_trial_each(d, walk_trial, &w)) {
		code = cli_error(EXIT_FAILED, "report: %s", w.failed ? "out of memory" : trp_diary_errmsg(d));
		goto done;
	}
	if (w.failed) {
		code = cli_error(EXIT_FAILED, "report: out of memory");
		goto done;
	}
	n = w.sessions < TRP_REPORT_SESSIONS_SHOWN ? w.sessions : TRP_REPORT_SESSIONS_SHOWN;
	for (i = 0; i < n; i++)
		buf[2 + TRP_REPORT_SESSIONS_SHOWN + i] = w.ring[(w.sessions - n + i) % TRP_REPORT_SESSIONS_SHOWN];
	pic.report = w.report;
	pic.today = today();
	pic.first_pain = w.has_pain ? w.first : NULL;
	pic.last_pain = w.has_pain ? w.last : NULL;
	pic.sessions = &buf[2 + TRP_REPORT_SESSIONS_SHOWN];
	pic.nsessions = n;
	pic.answers = screen ? &answers : NULL;
	pic.atlas = cli_atlas(cli);
	if (!pic.atlas) {
		code = cli->failure;
		goto done;
	}
	code = pictures_write("report", pics, draw_report, &pic);
done:
	trp_report_free(w.report);
	free(buf);
	return code;
}

int cmd_report(struct cli *cli, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "since", required_argument, NULL, O_SINCE }, { "db", required_argument, NULL, O_DB },
		{ "json", no_argument, NULL, 'j' }, { "screen", required_argument, NULL, O_SCREEN },
		PICTURE_OPTIONS, { "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	struct pictures pics = { { NULL, NULL, NULL } };
	const char *arg, *screen = NULL;
	int64_t since = INT64_MIN;
	char *text;
	json_t *o;
	int c, json = 0, tz, code;

	optind = 0;
	while ((c = cli_getopt(argc, argv, opts, &arg)) != -1) {
		if (c == 'h') {
			fputs(report_help, stdout);
			return EXIT_DONE;
		} else if (c == 'j') {
			json = 1;
		} else if (c == O_DB) {
			cli->db_path = arg;
		} else if (c == O_SINCE) {
			if ((code = cli_time("--since", arg, &since, &tz)))
				return code;
		} else if (c == O_SCREEN) {
			screen = arg;
		} else if (!picture_option(&pics, c, arg)) {
			return EXIT_USAGE;
		}
	}
	if (cli_optind < argc)
		return cli_error(EXIT_USAGE, "report: unexpected argument '%s'", argv[cli_optind]);
	if (json && pictures_wanted(&pics))
		return cli_error(EXIT_USAGE, "report: --json or a picture, not both");
	if (screen && !pictures_wanted(&pics))
		return cli_error(EXIT_USAGE, "report: --screen is for a picture (add --png, --pdf or --svg FILE)");
	if (pictures_wanted(&pics))
		return report_picture(cli, since, screen, &pics);
	o = build(cli, since, today(), &text);
	if (!o)
		return cli->failure;
	if (json)
		puts(text);
	else
		print_report(o);
	free(text);
	json_decref(o);
	return EXIT_DONE;
}

static int trial_start(trp_diary *d, int argc, char **argv, int json,
		       const char *blocks, const char *days, const char *start)
{
	trp_trial t, running;
	uint32_t random;
	int64_t at;
	int tz, a, b, code;

	memset(&t, 0, sizeof t);
	if (argc - cli_optind != 3)
		return cli_error(EXIT_USAGE, "trial start: needs two treatments (e.g. 'trp trial start stretch heat')");
	a = trp_treatment_parse(argv[cli_optind + 1]);
	b = trp_treatment_parse(argv[cli_optind + 2]);
	if (a < 0 || b < 0)
		return cli_error(EXIT_USAGE, "trial start: unknown treatment '%.32s' (expected pressure, ball, "
				 "roller, stretch, heat, massage, dry_needling, medication, exercise or other)",
				 argv[cli_optind + (a < 0 ? 1 : 2)]);
	t.a = (trp_treatment)a;
	t.b = (trp_treatment)b;
	t.blocks = 4;
	t.days = 7;
	if ((blocks && (code = cli_int("--blocks", blocks, 3, TRP_TRIAL_BLOCKS_MAX, &t.blocks))) ||
	    (days && (code = cli_int("--days", days, 1, 28, &t.days))))
		return code;
	cli_now(&at, &tz);
	if (start && (code = cli_time("--start", start, &at, &tz)))
		return code;
	t.start_day = trp_local_day(at, tz);
	if (trp_diary_trial_current(d, &running) == TRP_OK &&
	    t.start_day <= running.start_day + (int64_t)running.blocks * 2 * running.days - 1)
		return cli_error(EXIT_USAGE, "trial start: trial %lld is still running; stop it first "
				 "with 'trp trial stop'", (long long)running.id);
	if (getrandom(&random, sizeof random, 0) != sizeof random)
		return cli_error(EXIT_FAILED, "trial start: no random numbers from the system");
	trp_trial_draw(&t, random);
	if (trp_diary_trial_put(d, &t))
		return cli_error(EXIT_USAGE, "trial start: %s", trp_diary_errmsg(d));
	if (json)
		return cli_print_json(trp_trial_json(&t));
	printf("trial %lld started: %s (A) against %s (B), %d blocks of two %d-day periods\n",
	       (long long)t.id, trp_treatment_name(t.a), trp_treatment_name(t.b), t.blocks, t.days);
	for (a = 0; a < t.blocks * 2; a++) {
		char from[48], to[48];

		trp_day_format(t.start_day + (int64_t)a * t.days, from, sizeof from);
		trp_day_format(t.start_day + (int64_t)(a + 1) * t.days - 1, to, sizeof to);
		printf("  block %d, %s to %s: %s\n", a / 2 + 1, from, to,
		       trp_treatment_name(t.order[a] == 'A' ? t.a : t.b));
	}
	printf("Log your pain every day with 'trp pain'; 'trp trial status' says what to use today.\n");
	return EXIT_DONE;
}

int cmd_trial(struct cli *cli, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "blocks", required_argument, NULL, O_BLOCKS }, { "days", required_argument, NULL, O_DAYS },
		{ "start", required_argument, NULL, O_START }, { "db", required_argument, NULL, O_DB },
		{ "json", no_argument, NULL, 'j' }, { "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	const char *arg, *blocks = NULL, *days = NULL, *start = NULL, *verb;
	trp_diary *d;
	trp_trial t;
	int c, json = 0;

	optind = 0;
	while ((c = cli_getopt(argc, argv, opts, &arg)) != -1) {
		switch (c) {
		case 'h': fputs(trial_help, stdout); return EXIT_DONE;
		case 'j': json = 1; break;
		case O_DB: cli->db_path = arg; break;
		case O_BLOCKS: blocks = arg; break;
		case O_DAYS: days = arg; break;
		case O_START: start = arg; break;
		default: return EXIT_USAGE;
		}
	}
	if (cli_optind == argc)
		return cli_error(EXIT_USAGE, "trial: expected start, status or stop (see 'trp trial --help')");
	verb = argv[cli_optind];
	if (strcmp(verb, "start") != 0 && strcmp(verb, "status") != 0 && strcmp(verb, "stop") != 0)
		return cli_error(EXIT_USAGE, "trial: unknown action '%.32s' (expected start, status or stop)", verb);
	if (strcmp(verb, "start") != 0 && (blocks || days || start || argc - cli_optind != 1))
		return cli_error(EXIT_USAGE, "trial %s: takes no arguments", verb);
	d = cli_diary(cli);
	if (!d)
		return cli->failure;
	if (strcmp(verb, "start") == 0)
		return trial_start(d, argc, argv, json, blocks, days, start);
	if (trp_diary_trial_current(d, &t))
		return cli_error(EXIT_USAGE, "trial %s: %s", verb, trp_diary_errmsg(d));
	if (strcmp(verb, "stop") == 0) {
		if (trp_diary_trial_stop(d, t.id))
			return cli_error(EXIT_FAILED, "trial stop: %s", trp_diary_errmsg(d));
		printf("trial %lld stopped\n", (long long)t.id);
		return EXIT_DONE;
	}
	{
		/* the status is the trial's part of the report */
		char *text;
		json_t *o = build(cli, INT64_MIN, today(), &text), *trials, *mine = NULL, *x;
		size_t i;

		if (!o)
			return cli->failure;
		trials = json_object_get(o, "trials");
		json_array_foreach(trials, i, x)
			if (json_integer_value(json_object_get(x, "id")) == t.id)
				mine = x;
		if (mine && json) {
			char *s = json_dumps(mine, JSON_INDENT(2));

			c = cli_print_json(s);
		} else if (mine) {
			print_trial(mine);
			c = EXIT_DONE;
		} else {
			c = cli_error(EXIT_FAILED, "trial %lld is missing from the report", (long long)t.id);
		}
		free(text);
		json_decref(o);
		return c;
	}
}
