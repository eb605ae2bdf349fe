/*
 * cmd_experiences.c: `trp experiences --load FILE [--muscle ID] [--json]` shows what
 * helped a clinic's patients, from a snapshot that clinic exported (`trp clinic
 * experiences --export`): per muscle and technique, how many people, the share of
 * sessions with a meaningful drop, the median change, and how many were 30% better
 * within 2, 4 and 8 weeks, each figure with the noise that protects the people in it
 * (docs/clinic.md).
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "cli.h"
#include "experiences.h"
#include "release_input.h"

#define SNAPSHOT_MAX (16u << 20)

static const char help[] =
	"usage: trp experiences --load FILE [--muscle ID] [--json]\n"
	"\n"
	"Shows what helped the patients of a clinic, from the snapshot it exported with\n"
	"'trp clinic experiences --export FILE': for each muscle and technique, how many\n"
	"people, how often a session gave a meaningful drop (2 points or 30%), the median\n"
	"change, and how many were 30% better within 2, 4 and 8 weeks. The figures carry\n"
	"noise that protects each patient in them, and groups of few people are withheld;\n"
	"what the noise can change is said beside them. They describe that clinic's patients\n"
	"who agreed to share, not a trial: they cannot say what will help you.\n"
	"\n"
	"  --load FILE   the snapshot ('-' reads standard input)\n"
	"  --muscle ID   one muscle (as 'trp muscles' names it); without it, every muscle\n"
	"  --json        the figures as JSON (with --muscle: what GET /api/experiences gives)\n";

/* A technique in words. */
static const char *technique_words(const char *id)
{
	static const char *const names[][2] = {
		{ "pressure", "Pressure" }, { "ball", "A ball" }, { "roller", "A foam roller" },
		{ "stretch", "Stretching" }, { "heat", "Heat" }, { "massage", "Massage" },
		{ "dry_needling", "Dry needling" }, { "medication", "Medication" },
		{ "exercise", "Exercise" }, { "other", "Something else" },
	};
	size_t i;

	for (i = 0; id && i < sizeof names / sizeof names[0]; i++)
		if (strcmp(names[i][0], id) == 0)
			return names[i][1];
	return "A technique";
}

static void show_group(json_t *t, json_t *margin)
{
	long long people = json_integer_value(json_object_get(t, "people"));

	printf("  %s: %lld people, %lld sessions\n", technique_words(json_string_value(json_object_get(t, "technique"))),
	       people, (long long)json_integer_value(json_object_get(t, "sessions")));
	printf("    a meaningful drop (2 points or 30%%) in %.0f%% of sessions (the noise can move this "
	       "by about %.0f points in a group of 100); median change %+.1f points\n",
	       100 * json_number_value(json_object_get(t, "meaningful_share")),
	       100 * json_number_value(json_object_get(margin, "meaningful_share")),
	       json_number_value(json_object_get(t, "median_change")));
	printf("    30%% better within 2 weeks: %lld, 4 weeks: %lld, 8 weeks: %lld of them\n",
	       (long long)json_integer_value(json_object_get(t, "better_2w")),
	       (long long)json_integer_value(json_object_get(t, "better_4w")),
	       (long long)json_integer_value(json_object_get(t, "better_8w")));
	printf("    by their own diaries: instant relief for %lld, builds over weeks for %lld\n",
	       (long long)json_integer_value(json_object_get(t, "instant_relief")),
	       (long long)json_integer_value(json_object_get(t, "builds_over_weeks")));
}

static void show_muscle(const trp_atlas *atlas, json_t *m, json_t *margin)
{
	const char *id = json_string_value(json_object_get(m, "muscle"));
	const trp_muscle *muscle = trp_atlas_find(atlas, id);
	json_t *t;
	size_t i;
	long long withheld = json_integer_value(json_object_get(m, "withheld"));

	printf("%s\n", muscle ? trp_muscle_name(muscle) : id);
	json_array_foreach(json_object_get(m, "techniques"), i, t)
		show_group(t, margin);
	if (json_array_size(json_object_get(m, "techniques")) == 0 && withheld == 0)
		printf("  no figures: no technique for it had enough people who shared\n");
	if (withheld)
		printf("  %lld more group%s withheld: too few people to show without telling about one of them\n",
		       withheld, withheld == 1 ? "" : "s");
}

int cmd_experiences(struct cli *cli, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "load", required_argument, NULL, 'l' }, { "muscle", required_argument, NULL, 'm' },
		{ "json", no_argument, NULL, 'j' }, { "help", no_argument, NULL, 'h' }, { NULL, 0, NULL, 0 }
	};
	const char *arg, *file = NULL, *muscle = NULL;
	const trp_atlas *atlas;
	char *text, msg[512], hint[200];
	json_t *root, *m, *privacy, *margin;
	size_t len, i;
	int c, json = 0, code;

	optind = 0;
	while ((c = cli_getopt(argc, argv, opts, &arg)) != -1) {
		switch (c) {
		case 'h': fputs(help, stdout); return EXIT_DONE;
		case 'l': file = arg; break;
		case 'm': muscle = arg; break;
		case 'j': json = 1; break;
		default: return EXIT_USAGE;
		}
	}
	if (cli_optind < argc)
		return cli_error(EXIT_USAGE, "experiences: unexpected argument '%s' (see 'trp experiences --help')",
				 argv[cli_optind]);
	if (!file)
		return cli_error(EXIT_USAGE, "experiences: give --load FILE, a snapshot a clinic exported");
	atlas = cli_atlas(cli);
	if (!atlas)
		return cli->failure;
	if (muscle && !trp_atlas_find(atlas, muscle))
		return cli_error(EXIT_USAGE, "experiences: --muscle: no muscle '%.64s'%s", muscle,
				 cli_muscle_hint(atlas, muscle, hint, sizeof hint));
	if ((code = release_read("experiences", file, SNAPSHOT_MAX, &text, &len)))
		return code;
	if (trp__experiences_check(text, len, msg, sizeof msg)) {
		free(text);
		return cli_error(EXIT_USAGE, "experiences: %s: %s", file, msg);
	}
	if (muscle) {
		char *one = trp__experiences_muscle(text, len, trp_muscle_id(trp_atlas_find(atlas, muscle)), 1);

		if (json) {
			free(text);
			return cli_print_json(one);
		}
		root = one ? json_loads(one, 0, NULL) : NULL;
		free(one);
	} else if (json) {
		root = json_loadb(text, len, 0, NULL);
		free(text);
		text = root ? json_dumps(root, JSON_INDENT(2) | JSON_REAL_PRECISION(6)) : NULL;
		json_decref(root);
		return cli_print_json(text);
	} else {
		root = json_loadb(text, len, 0, NULL);
	}
	free(text);
	if (!root)
		return cli_error(EXIT_FAILED, "experiences: out of memory");
	privacy = json_object_get(root, "privacy");
	margin = json_object_get(privacy, "margin_100");
	printf("What helped the patients of %s who shared their outcomes, %s to %s\n",
	       json_string_value(json_object_get(root, "clinic")),
	       json_string_value(json_object_get(json_object_get(root, "period"), "from")),
	       json_string_value(json_object_get(json_object_get(root, "period"), "to")));
	printf("(noisy figures: each person's privacy budget for this snapshot is epsilon %.2f; "
	       "see docs/clinic.md)\n\n", json_number_value(json_object_get(privacy, "epsilon_snapshot")));
	if (muscle) {
		show_muscle(atlas, root, margin);
	} else {
		json_array_foreach(json_object_get(root, "muscles"), i, m)
			show_muscle(atlas, m, margin);
		if (json_array_size(json_object_get(root, "muscles")) == 0)
			printf("no muscle had enough people who shared\n");
	}
	json_decref(root);
	return EXIT_DONE;
}
