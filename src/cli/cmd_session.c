/*
 * cmd_session.c: `trp session` walks through one day of a release plan: pain before,
 * one step at a time with a countdown for each hold (a progress bar when stdout is a
 * terminal), pain after, and a summary. On a terminal each step waits for Enter (s
 * skips it, q stops the session) and Enter ends a hold early; without one there is no
 * bar and no prompt per step, and the two pain answers are read from stdin.
 *
 * The environment variable TRP_SECONDS_SCALE (0 to 1) speeds every timer up: 0 does not
 * wait at all, which is how the tests run a session without waiting real minutes. No
 * timer runs longer than the plan's dose (the planner caps holds at 120 s, heat at 20
 * minutes), so nothing slows them down.
 */
#include <errno.h>
#include <getopt.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/select.h>
#include <time.h>
#include <unistd.h>

#include "release_input.h"

#define PLAN_MAX (4 * 1024 * 1024)   /* bytes of a plan file */
#define BAR_WIDTH 30

static const char help[] =
	"usage: trp session [--day N] --plan FILE\n"
	"       trp session [--day N] [--screen FILE] [--points N] MUSCLE[.SIDE]...\n"
	"\n"
	"Walks through one day of a release plan, one step at a time: your pain before (0-10),\n"
	"each step with its instructions, dose and cautions, a countdown for each hold, and\n"
	"your pain after each technique (heat, pressure, ... stretching). On a terminal,\n"
	"Enter starts a step (s skips it, q stops) and ends a hold early when the point has\n"
	"eased; a progress bar shows the time left. Without a terminal there is no bar and no\n"
	"prompt per step, and the pain answers are read from standard input, one a line.\n"
	"The diary gets one session entry a technique, with its own pain before and after.\n"
	"\n"
	"  --plan FILE     a plan saved with 'trp plan --json ... > FILE'\n"
	"  --screen FILE, --points N   as for 'trp plan', when the plan is made from MUSCLE...\n"
	"  --day N         which day of the plan's rotation (default 1)\n"
	"  --db PATH       the diary the finished session is logged into (as for 'trp log')\n"
	"\n"
	"A plan that the safety screening refuses gives no session: it says why and exits 3.\n"
	"For tests, the environment variable TRP_SECONDS_SCALE (0 to 1) speeds every timer up\n"
	"(0 does not wait).\n"
	"\n"
	"Example: trp session --screen answers.json trapezius_upper.l\n";

/* How the timers run. */
struct clock {
	double scale;      /* seconds of real time per second of the plan */
	int bar;           /* stdout is a terminal: draw a progress bar */
	int interactive;   /* stdin is a terminal too: prompts, Enter ends a hold */
};

/* One technique's part of a session: consecutive steps done with the same treatment,
 * with the pain just before them and just after. */
struct block {
	trp_treatment treatment;
	int before, after;                 /* 0-10 */
	size_t from, to;                   /* its steps: rec.done[from..to-1] */
	time_t started, ended;
};

/* What a session leaves behind: everything its diary entries need. */
struct session_record {
	const trp_plan *plan;
	int day;
	int pain_before, pain_after;       /* 0-10: the first block's before, the last one's after */
	size_t *done;                      /* indices of the steps done, into the plan */
	size_t ndone, nskipped;
	struct block *blocks;              /* one a technique, in the order done */
	size_t nblocks;
	int stopped;                       /* stopped early with q */
	time_t started, ended;
};

/* The diary's treatment for a technique of the plan. */
static trp_treatment treatment_of(trp_technique t)
{
	switch (t) {
	case TRP_PRESSURE: return TRP_T_PRESSURE;
	case TRP_BALL_WALL:
	case TRP_BALL_FLOOR: return TRP_T_BALL;
	case TRP_FOAM_ROLLER: return TRP_T_ROLLER;
	case TRP_STRETCH: return TRP_T_STRETCH;
	case TRP_HEAT: return TRP_T_HEAT;
	case TRP_TECHNIQUE_COUNT: break;
	}
	return TRP_T_OTHER;
}

/*
 * Logs the finished session into the diary as one session entry a technique: each
 * block of steps done with one treatment has its own pain before and after, so the
 * report counts each technique once a session with the change it made (the first
 * block's pain before is the session's, each next block's is the last one's after). An
 * entry names the muscle when its block treated only one; its note lists the steps.
 */
static int session_log_to_diary(struct cli *cli, const struct session_record *rec)
{
	const trp_plan_step *steps;
	size_t nsteps = trp_plan_steps(rec->plan, &steps), b, i;
	long long first = 0, last = 0;
	char note[TRP_NOTE_MAX + 1];
	trp_entry *e;
	trp_diary *d;
	int code = EXIT_DONE;

	if (rec->nblocks == 0) {
		printf("No step was done, so nothing was logged.\n");
		return EXIT_DONE;
	}
	d = cli_diary(cli);
	if (!d)
		return cli->failure;
	e = malloc(sizeof *e);
	if (!e)
		return cli_error(EXIT_FAILED, "out of memory");
	if (trp_diary_begin(d)) {
		free(e);
		return cli_error(EXIT_FAILED, "session: could not log it: %s", trp_diary_errmsg(d));
	}
	for (b = 0; b < rec->nblocks && code == EXIT_DONE; b++) {
		const struct block *k = &rec->blocks[b];
		const trp_plan_step *one = &steps[rec->done[k->from]];
		int one_muscle = 1;
		size_t used;

		trp_entry_init(e, TRP_SESSION_ENTRY);
		used = (size_t)snprintf(note, sizeof note, "guided session, day %d, part %zu of %zu:",
					rec->day, b + 1, rec->nblocks);
		for (i = k->from; i < k->to && rec->done[i] < nsteps; i++) {
			const trp_plan_step *st = &steps[rec->done[i]];

			if (st->muscle != one->muscle || st->side != one->side)
				one_muscle = 0;
			if (used < sizeof note)
				used += (size_t)snprintf(note + used, sizeof note - used, "%s %s%s%s on %s, %s",
							 i > k->from ? ";" : "", trp_technique_words(st->technique),
							 st->point ? " at " : "", st->point ? st->point : "",
							 trp_muscle_name(st->muscle), release_side_words(st->side));
		}
		if (b + 1 == rec->nblocks && rec->nskipped && used < sizeof note)
			used += (size_t)snprintf(note + used, sizeof note - used, "; %zu skipped", rec->nskipped);
		if (b + 1 == rec->nblocks && rec->stopped && used < sizeof note)
			snprintf(note + used, sizeof note - used, "; stopped early");
		e->treatment = k->treatment;
		if (one_muscle && one->side >= 0) {
			snprintf(e->muscle, sizeof e->muscle, "%s", trp_muscle_id(one->muscle));
			e->side = one->side;
		}
		cli_now(&e->at, &e->tz);
		e->at = (int64_t)k->started;
		e->minutes = (int)((k->ended - k->started + 59) / 60);
		if (e->minutes > 1440)
			e->minutes = 1440;
		e->before = k->before;
		e->after = k->after;
		e->note = note;
		if (trp_diary_put(d, e))
			code = cli_error(EXIT_FAILED, "session: could not log it: %s", trp_diary_errmsg(d));
		else if (b == 0)
			first = last = (long long)e->id;
		else
			last = (long long)e->id;
	}
	/* all of the session's entries, or none */
	if (code == EXIT_DONE && trp_diary_commit(d))
		code = cli_error(EXIT_FAILED, "session: could not log it: %s", trp_diary_errmsg(d));
	else if (code != EXIT_DONE)
		trp_diary_rollback(d);
	if (code == EXIT_DONE && first == last)
		printf("Logged to the diary as entry %lld ('trp history', 'trp report').\n", first);
	else if (code == EXIT_DONE)
		printf("Logged to the diary as entries %lld to %lld, one a technique ('trp history', "
		       "'trp report').\n", first, last);
	free(e);
	return code;
}

static int parse_scale(const char *text, double *out)
{
	char *end;
	double v;

	errno = 0;
	v = strtod(text, &end);
	if (*text == '\0' || *end != '\0' || errno || !(v >= 0 && v <= 1))
		return -1;
	*out = v;
	return 0;
}

/* Reads a line from stdin without its newline; 0 at the end of input. */
static int read_line(char *buf, size_t size)
{
	if (!fgets(buf, (int)size, stdin))
		return 0;
	buf[strcspn(buf, "\r\n")] = '\0';
	return 1;
}

/* Asks for a pain 0-10 until one is given; -1 at the end of input. Without a terminal
 * the answer is echoed, so that the output reads as a transcript. */
static int ask_pain(const char *question, int echo)
{
	char line[64];

	for (;;) {
		char *end;
		long v;

		printf("%s, 0 (none) to 10 (worst): ", question);
		fflush(stdout);
		if (!read_line(line, sizeof line))
			return -1;
		if (echo)
			printf("%s\n", line);
		v = strtol(line, &end, 10);
		if (line[0] != '\0' && *end == '\0' && v >= 0 && v <= 10)
			return (int)v;
		printf("  Please give a whole number from 0 to 10.\n");
	}
}

/* Waits one second of the plan; returns 1 when Enter was pressed (interactive only). */
static int tick(const struct clock *c)
{
	double secs = c->scale;

	if (secs <= 0)
		return 0;
	if (c->interactive) {
		struct timeval tv;
		fd_set in;

		tv.tv_sec = (time_t)secs;
		tv.tv_usec = (suseconds_t)((secs - floor(secs)) * 1e6);
		FD_ZERO(&in);
		FD_SET(STDIN_FILENO, &in);
		if (select(STDIN_FILENO + 1, &in, NULL, NULL, &tv) > 0) {
			char line[256];

			if (!read_line(line, sizeof line))
				return 0;
			return 1;
		}
		return 0;
	} else {
		struct timespec ts;

		ts.tv_sec = (time_t)secs;
		ts.tv_nsec = (long)((secs - floor(secs)) * 1e9);
		while (nanosleep(&ts, &ts) != 0 && errno == EINTR)
			;
		return 0;
	}
}

static void draw(const char *label, int elapsed, int total, int left)
{
	static const char hashes[] = "##############################";
	static const char dashes[] = "------------------------------";
	int filled = total > 0 ? elapsed * BAR_WIDTH / total : BAR_WIDTH;

	printf("\r  %-14s [%.*s%.*s] %2d:%02d left ", label, filled, hashes, BAR_WIDTH - filled,
	       dashes, left / 60, left % 60);
	fflush(stdout);
}

/* Counts `seconds` down under `label`; returns 1 when ended early with Enter. */
static int countdown(const struct clock *c, const char *label, int seconds)
{
	int left, early = 0;

	if (!c->bar) {
		printf("  %s: %d s ...", label, seconds);
		fflush(stdout);
	}
	for (left = seconds; left > 0 && !early; left--) {
		if (c->bar)
			draw(label, seconds - left, seconds, left);
		early = tick(c);
	}
	if (c->bar) {
		draw(label, seconds, seconds, 0);
		printf("%s\n", early ? "(eased: ended early)" : "done");
	} else {
		printf(" done\n");
	}
	return early;
}

static void print_step(const trp_plan_step *s, size_t i, size_t n)
{
	char title[512];
	size_t j;

	if (s->point)
		snprintf(title, sizeof title, "Step %zu of %zu: %s, %s: %s on %s (%s)", i + 1, n,
			 trp_muscle_name(s->muscle), release_side_words(s->side),
			 trp_technique_words(s->technique), s->point, trp_region_name(s->point_region));
	else
		snprintf(title, sizeof title, "Step %zu of %zu: %s, %s: %s", i + 1, n,
			 trp_muscle_name(s->muscle), release_side_words(s->side),
			 trp_technique_words(s->technique));
	printf("\n");
	cli_wrap("", 2, title);
	cli_wrap("  how:  ", 8, s->instructions);
	cli_wrap("  dose: ", 8, s->dose.text);
	for (j = 0; j < s->ncautions; j++)
		cli_wrap("  !     ", 8, s->cautions[j]);
}

/* Runs the holds of one step: rounds_min holds of hold_max seconds, rest between. */
static void run_step(const struct clock *c, const trp_plan_step *s)
{
	int r, rounds = s->dose.rounds_min;

	for (r = 1; r <= rounds; r++) {
		char label[32];

		snprintf(label, sizeof label, "%s %d/%d", s->technique == TRP_HEAT ? "heat"
			 : s->technique == TRP_STRETCH ? "stretch" : "hold", r, rounds);
		countdown(c, label, s->dose.hold_max);
		if (r < rounds && s->dose.rest_seconds > 0)
			countdown(c, "rest", s->dose.rest_seconds);
	}
}

/* Seconds the steps which[0..n-1] take. */
static long duration(const trp_plan_step *steps, const size_t *which, size_t n)
{
	long total = 0;
	size_t i;

	for (i = 0; i < n; i++) {
		const trp_dose *d = &steps[which[i]].dose;

		total += (long)d->rounds_min * d->hold_max + (long)(d->rounds_min - 1) * d->rest_seconds;
	}
	return total;
}

/* "after the heat", "after stretching": the words of a pain question after a block */
static const char *after_words(trp_treatment t)
{
	switch (t) {
	case TRP_T_PRESSURE: return "after the pressure";
	case TRP_T_BALL: return "after the ball";
	case TRP_T_ROLLER: return "after the foam roller";
	case TRP_T_STRETCH: return "after stretching";
	case TRP_T_HEAT: return "after the heat";
	default: return "after these steps";
	}
}

/* Ends the open block with the pain after it; -1 when there is no answer. */
static int close_block(struct session_record *rec, const struct clock *c, int last)
{
	struct block *k = &rec->blocks[rec->nblocks - 1];
	char question[96];

	snprintf(question, sizeof question, "Pain now, %s%s", after_words(k->treatment),
		 last ? ", at the end of the session" : "");
	if (!last)
		printf("\n");
	k->after = ask_pain(question, !c->interactive);
	k->ended = time(NULL);
	return k->after;
}

static int no_pain_after(const struct session_record *rec)
{
	return cli_error(EXIT_USAGE, "session: no answer for the pain %s (expected a whole number "
			 "from 0 to 10 on standard input, after each technique); nothing was logged",
			 rec->nblocks ? after_words(rec->blocks[rec->nblocks - 1].treatment) : "after the session");
}

static int walk(struct cli *cli, const trp_plan *plan, int day, const struct clock *c,
		int screened)
{
	const trp_plan_step *all;
	struct session_record rec;
	size_t n = trp_plan_steps(plan, &all), count = 0, i;
	size_t *today;
	int code = EXIT_DONE, open = 0;

	memset(&rec, 0, sizeof rec);
	today = calloc(n ? n : 1, sizeof *today);
	rec.done = calloc(n ? n : 1, sizeof *rec.done);
	rec.blocks = calloc(n ? n : 1, sizeof *rec.blocks);
	if (!today || !rec.done || !rec.blocks) {
		code = cli_error(EXIT_FAILED, "session: out of memory");
		goto done;
	}
	for (i = 0; i < n; i++)
		if (all[i].day == day)
			today[count++] = i;
	if (count == 0) {
		code = cli_error(EXIT_FAILED, "session: the plan has no steps for day %d (see 'trp plan')",
				 day);
		goto done;
	}
	rec.plan = plan;
	rec.day = day;
	rec.started = time(NULL);
	printf("Session: day %d of %d, %zu steps, about %ld minutes.\n", day, trp_plan_days(plan),
	       count, (duration(all, today, count) + 59) / 60);
	if (!screened)
		cli_wrap("", 2, "Not screened: answer the safety questions first ('trp screen') "
			 "and pass their file with --screen, or use a plan made with it.");
	if (c->interactive)
		printf("Enter starts each step (s skips it, q stops); Enter during a hold ends it "
		       "when the point has eased.\n");
	printf("\n");
	rec.pain_before = ask_pain("Pain now, before you start", !c->interactive);
	if (rec.pain_before < 0) {
		code = cli_error(EXIT_USAGE, "session: no answer for the pain before the session "
				 "(expected a whole number from 0 to 10 on standard input)");
		goto done;
	}
	for (i = 0; i < count && !rec.stopped; i++) {
		const trp_plan_step *st = &all[today[i]];
		trp_treatment t = treatment_of(st->technique);

		/* a new technique: the pain after the last one first */
		if (open && rec.blocks[rec.nblocks - 1].treatment != t) {
			if (close_block(&rec, c, 0) < 0) {
				code = no_pain_after(&rec);
				goto done;
			}
			open = 0;
		}
		print_step(st, i, count);
		if (c->interactive) {
			char line[64];

			printf("  Enter to start, s to skip, q to stop: ");
			fflush(stdout);
			if (!read_line(line, sizeof line) || strcmp(line, "q") == 0) {
				rec.stopped = 1;
				break;
			}
			if (strcmp(line, "s") == 0) {
				rec.nskipped++;
				continue;
			}
		}
		if (!open) {
			struct block *k = &rec.blocks[rec.nblocks++];

			k->treatment = t;
			k->before = rec.nblocks == 1 ? rec.pain_before : rec.blocks[rec.nblocks - 2].after;
			k->from = k->to = rec.ndone;
			k->started = time(NULL);
			open = 1;
		}
		run_step(c, st);
		rec.done[rec.ndone++] = today[i];
		rec.blocks[rec.nblocks - 1].to = rec.ndone;
	}
	printf("\n");
	if (open) {
		if (close_block(&rec, c, 1) < 0) {
			code = no_pain_after(&rec);
			goto done;
		}
		rec.pain_after = rec.blocks[rec.nblocks - 1].after;
	} else if (rec.nblocks) {
		rec.pain_after = rec.blocks[rec.nblocks - 1].after;   /* stopped just after a technique */
	} else {
		rec.pain_after = ask_pain("Pain now, after the session", !c->interactive);
		if (rec.pain_after < 0) {
			code = no_pain_after(&rec);
			goto done;
		}
	}
	rec.ended = time(NULL);
	printf("\nDone: %zu of %zu steps%s%s. Pain before %d, after %d", rec.ndone, count,
	       rec.nskipped ? ", some skipped" : "", rec.stopped ? ", stopped early" : "",
	       rec.pain_before, rec.pain_after);
	if (rec.pain_after < rec.pain_before)
		printf(" (%d less).\n", rec.pain_before - rec.pain_after);
	else if (rec.pain_after > rec.pain_before)
		printf(" (%d more: go lighter next time, and see the plan's cautions).\n",
		       rec.pain_after - rec.pain_before);
	else
		printf(" (the same).\n");
	if (trp_plan_days(plan) > 1)
		printf("Next time: day %d ('--day %d').\n", day % trp_plan_days(plan) + 1,
		       day % trp_plan_days(plan) + 1);
	printf("Some soreness for a day or two is common; a point still sore tomorrow gets a day off.\n");
	code = session_log_to_diary(cli, &rec);
done:
	free(rec.done);
	free(rec.blocks);
	free(today);
	return code;
}

static int load_plan(struct cli *cli, const char *path, trp_plan **out)
{
	const trp_atlas *atlas;
	char *text, msg[1024];
	size_t len;
	int code;
	trp_err err;

	*out = NULL;
	if ((code = release_read("session", path, PLAN_MAX, &text, &len)))
		return code;
	atlas = cli_atlas(cli);
	if (!atlas) {
		free(text);
		return cli->failure;
	}
	err = trp_plan_parse(atlas, path, text, len, out, msg, sizeof msg);
	free(text);
	if (err)
		return cli_error(err == TRP_ENOMEM ? EXIT_FAILED : EXIT_USAGE, "session: %s", msg);
	return EXIT_DONE;
}

int cmd_session(struct cli *cli, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "plan", required_argument, NULL, 'P' },
		{ "screen", required_argument, NULL, 's' },
		{ "points", required_argument, NULL, 'p' },
		{ "day", required_argument, NULL, 'd' },
		{ "db", required_argument, NULL, 'D' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	trp_target targets[TRP_PLAN_TARGETS_MAX];
	struct clock clock = { 1.0, 0, 0 };
	const char *arg, *plan_path = NULL, *screen = NULL, *env = getenv("TRP_SECONDS_SCALE");
	const char *reason;
	trp_plan *plan = NULL;
	size_t nt = 0, points = 0;
	int day = 1, c, code;

	optind = 0;
	while ((c = cli_getopt(argc, argv, opts, &arg)) != -1) {
		if (c == 'h') {
			fputs(help, stdout);
			return EXIT_DONE;
		} else if (c == 'D') {
			cli->db_path = arg;
		} else if (c == 'P') {
			plan_path = arg;
		} else if (c == 's') {
			screen = arg;
		} else if (c == 'p') {
			if ((code = release_points("session", arg, &points)))
				return code;
		} else if (c == 'd') {
			char *end;
			long v = strtol(arg, &end, 10);

			if (*arg == '\0' || *end != '\0' || v < 1 || v > 1000)
				return cli_error(EXIT_USAGE, "session: bad --day '%.32s' (expected a whole "
						 "number from 1 to the plan's days)", arg);
			day = (int)v;
		} else {
			return EXIT_USAGE;
		}
	}
	if (env && parse_scale(env, &clock.scale))
		return cli_error(EXIT_USAGE, "session: bad TRP_SECONDS_SCALE '%.32s' (expected a number "
				 "from 0 to 1: it only speeds the timers up; 0 does not wait)", env);
	if (plan_path && (cli_optind < argc || screen || points))
		return cli_error(EXIT_USAGE, "session: --plan FILE takes no muscles, --screen or "
				 "--points (they were applied when the plan was made)");
	if (plan_path) {
		code = load_plan(cli, plan_path, &plan);
	} else {
		code = release_targets(cli, "session", argv + cli_optind, argc - cli_optind, targets, &nt);
		if (!code)
			code = release_plan(cli, "session", targets, nt, screen, points, NULL, 0, &plan);
	}
	if (code)
		return code;
	if (trp_plan_refused(plan, &reason)) {
		code = cli_error(EXIT_REFUSED, "session: no session: %s", reason);
		goto done;
	}
	if (day > trp_plan_days(plan)) {
		code = cli_error(EXIT_USAGE, "session: bad --day %d (the plan rotates over %d day%s)",
				 day, trp_plan_days(plan), trp_plan_days(plan) == 1 ? "" : "s");
		goto done;
	}
	clock.bar = isatty(STDOUT_FILENO);
	clock.interactive = clock.bar && isatty(STDIN_FILENO);
	code = walk(cli, plan, day, &clock, plan_path || screen);
done:
	trp_plan_free(plan);
	return code;
}
