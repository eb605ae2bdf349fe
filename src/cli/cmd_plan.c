/*
 * cmd_plan.c: `trp plan MUSCLE[.SIDE]...` or `trp plan --find REGION...` prints a release
 * plan: for each muscle where its trigger points are and how to release them, with a dose,
 * the cautions, what was left out and why, how often, and when to see a professional.
 */
#include <ctype.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "release_input.h"

static const char help[] =
	"usage: trp plan [--json] [--screen FILE] [--points N] MUSCLE[.SIDE]...\n"
	"       trp plan [--json] [--screen FILE] [--points N] --find REGION...\n"
	"\n"
	"Makes a release plan: for each muscle, where each trigger point lies and how to\n"
	"find it, and the self-care that suits it (moist heat, pressure or a ball, a foam\n"
	"roller, the stretch), each with a dose you can follow; how often and for how long\n"
	"before judging the result; and when to see a professional. A session treats at\n"
	"most N trigger points (default 6); more rotate across days.\n"
	"\n"
	"MUSCLE is an identifier or alias from 'trp muscles' (a family such as 'scalene'\n"
	"stands for its parts); SIDE is l or r. With --find the arguments are a pain map\n"
	"(as for 'trp find') and the plan covers the fewest muscles that explain it.\n"
	"\n"
	"  --screen FILE  the answers of 'trp screen --save FILE': precautions drop or soften\n"
	"                 techniques (each with the reason); an emergency or see-a-doctor\n"
	"                 answer refuses the plan, says what to do instead and exits 3\n"
	"  --points N     trigger points a session treats, 1 to 20 (default 6)\n"
	"  --find         the arguments are regions, not muscles\n"
	"  --json         print {\"refused\", \"reason\", \"steps\", \"frequency\", \"professional\",\n"
	"                 \"flags\", \"dropped\"} (docs/release.md)\n"
	"\n"
	"Example: trp screen --save answers.json && trp plan --screen answers.json soleus.r\n";

static void print_title(const trp_plan_step *s, size_t number)
{
	char first[16], title[512];

	snprintf(first, sizeof first, "%3zu. ", number);
	if (s->point)
		snprintf(title, sizeof title, "%s, %s: %s on %s (%s)", trp_muscle_name(s->muscle),
			 release_side_words(s->side), trp_technique_words(s->technique), s->point,
			 trp_region_name(s->point_region));
	else
		snprintf(title, sizeof title, "%s, %s: %s", trp_muscle_name(s->muscle),
			 release_side_words(s->side), trp_technique_words(s->technique));
	cli_wrap(first, 5, title);
}

static void print_steps(const trp_plan *plan)
{
	const trp_plan_step *steps;
	size_t n = trp_plan_steps(plan, &steps), i, j, number = 0;
	int days = trp_plan_days(plan), day = 0;

	for (i = 0; i < n; i++) {
		const trp_plan_step *s = &steps[i];

		if (s->day != day) {
			day = s->day;
			number = 0;
			if (days > 1)
				printf("\nDay %d of %d\n", day, days);
			else
				printf("\nEach session\n");
		}
		print_title(s, ++number);
		cli_wrap("      how:  ", 12, s->instructions);
		cli_wrap("      dose: ", 12, s->dose.text);
		for (j = 0; j < s->ncautions; j++)   /* every step says its cautions again */
			cli_wrap("      !     ", 12, s->cautions[j]);
	}
}

/* The whole-body factors that keep trigger points going in any muscle, with when to
 * ask a doctor for a blood test. */
static void print_body_factors(void)
{
	size_t i, n = trp_body_factor_count();

	if (n)
		printf("\nWhat keeps trigger points going anywhere in the body\n");
	for (i = 0; i < n; i++) {
		const trp_body_factor *f = trp_body_factor_at(i);
		char line[4096];

		snprintf(line, sizeof line, "%c%s: %s", toupper((unsigned char)f->name[0]), f->name + 1,
			 f->text);
		cli_wrap("  - ", 4, line);
		cli_wrap("    ", 4, f->ask);
	}
}

static void print_plan(const trp_plan *plan, const trp_target *targets, size_t nt, int screened)
{
	const trp_caution_note *flags;
	const trp_plan_drop *drops;
	const char *const *pro;
	const char *reason;
	size_t nf = trp_plan_flags(plan, &flags), nd = trp_plan_dropped(plan, &drops);
	size_t np = trp_plan_professional(plan, &pro), i;

	printf("Release plan:");
	for (i = 0; i < nt; i++)
		printf("%s %s (%s)", i ? "," : "", trp_muscle_name(targets[i].muscle),
		       release_side_words(targets[i].side));
	printf("\n");
	if (!screened)
		cli_wrap("", 2, "Not screened: answer the safety questions first ('trp screen --save "
			 "answers.json') and add '--screen answers.json', so that the plan leaves out "
			 "what is not safe for you.");
	for (i = 0; i < nf; i++) {
		char first[64];

		snprintf(first, sizeof first, "  ! %s: ", flags[i].code);
		cli_wrap(first, 4, flags[i].message);
	}
	if (trp_plan_refused(plan, &reason)) {
		printf("\n");
		cli_wrap("No plan: ", 2, reason);
		printf("\ntrp informs; it does not diagnose.\n");
		return;
	}
	print_steps(plan);
	if (nd)
		printf("\nLeft out, and why\n");
	for (i = 0; i < nd; i++) {
		char first[512];

		snprintf(first, sizeof first, "  - %s, %s: %s%s%s: ", trp_muscle_name(drops[i].muscle),
			 release_side_words(drops[i].side), trp_technique_words(drops[i].technique),
			 drops[i].point ? " on " : "", drops[i].point ? drops[i].point : "");
		cli_wrap(first, 4, drops[i].reason);
	}
	printf("\nHow often\n");
	cli_wrap("  ", 2, trp_plan_frequency(plan));
	print_body_factors();
	if (np)
		printf("\nWhen to see a professional\n");
	for (i = 0; i < np; i++)
		cli_wrap("  - ", 4, pro[i]);
	printf("\nNext: walk through a session step by step with 'trp session' and the same\n"
	       "arguments (or save this plan with --json and use 'trp session --plan FILE').\n");
	printf("\ntrp informs; it does not diagnose.\n");
}

int cmd_plan(struct cli *cli, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "screen", required_argument, NULL, 's' },
		{ "points", required_argument, NULL, 'p' },
		{ "find", no_argument, NULL, 'f' },
		{ "json", no_argument, NULL, 'j' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	trp_target targets[TRP_PLAN_TARGETS_MAX];
	trp_caution_note notes[8];
	const char *arg, *screen = NULL;
	trp_plan *plan = NULL;
	size_t nt = 0, nnotes = 0, points = 0;
	int json = 0, find = 0, c, code;

	optind = 0;
	while ((c = cli_getopt(argc, argv, opts, &arg)) != -1) {
		if (c == 'h') {
			fputs(help, stdout);
			return EXIT_DONE;
		} else if (c == 's') {
			screen = arg;
		} else if (c == 'p') {
			if ((code = release_points("plan", arg, &points)))
				return code;
		} else if (c == 'f') {
			find = 1;
		} else if (c == 'j') {
			json = 1;
		} else {
			return EXIT_USAGE;
		}
	}
	if (find)
		code = release_find_targets(cli, "plan", argv + cli_optind, argc - cli_optind, targets,
					    &nt, notes, &nnotes);
	else
		code = release_targets(cli, "plan", argv + cli_optind, argc - cli_optind, targets, &nt);
	if (code)
		return code;
	if ((code = release_plan(cli, "plan", targets, nt, screen, points, notes, nnotes, &plan)))
		return code;
	if (json) {
		code = cli_print_json(trp_plan_json(plan, 1));
	} else {
		print_plan(plan, targets, nt, screen != NULL);
		code = EXIT_DONE;
	}
	if (code == EXIT_DONE && trp_plan_refused(plan, NULL))
		code = EXIT_REFUSED;   /* the plan (or its JSON) is printed, and says why */
	trp_plan_free(plan);
	return code;
}
