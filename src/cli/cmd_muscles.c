/*
 * cmd_muscles.c: `trp muscles` lists the atlas (or the muscles of one region);
 * `trp muscle ID` shows one muscle, or the parts of a family.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "picture.h"
#include "trp/release.h"

static const char muscles_help[] =
	"usage: trp muscles [--region NAME | --symptom NAME] [--json]\n"
	"\n"
	"Lists the muscles of the atlas. With --region, only those that refer pain to the\n"
	"region or have a trigger point in it: essential referral first, then spillover,\n"
	"then trigger points that lie there, and within each in the order 'trp find' ranks\n"
	"the region alone. NAME is a region name (temple) or a located region (temple.l;\n"
	"the side does not change the list). With --symptom, the muscles that give the\n"
	"symptom, most common source first.\n"
	"\n"
	"  --region NAME   muscles that refer to or lie in NAME ('trp regions' lists them)\n"
	"  --symptom NAME  muscles that give the symptom NAME ('trp symptoms' lists them)\n"
	"  --json          print an array of muscle objects (docs/atlas.md)\n";

static const char muscle_help[] =
	"usage: trp muscle ID [--json] [--side l|r] [--png FILE] [--pdf FILE] [--svg FILE]\n"
	"\n"
	"Shows one muscle: where its trigger points are and how to find them, where they\n"
	"refer pain, what causes and keeps them going, what the muscle does, self-care and\n"
	"its cautions, professional options, and the sources. ID is an identifier or an\n"
	"alias (scm, upper_trapezius, peroneus_longus); a family (trapezius, scalene,\n"
	"gluteus) lists its parts. A picture shows its referral pattern and trigger points\n"
	"on the body figures.\n"
	"\n"
	"  --json          print the muscle object with every field of the atlas (docs/atlas.md)\n"
	"  --side l|r      the side the picture draws the muscle on (default l, the left)\n"
	PICTURE_HELP;

static int parse_region_option(const char *arg, int *region)
{
	char msg[512];
	trp_located loc;
	int near[3], n;

	if (strchr(arg, '.')) {
		if (trp_located_parse(arg, &loc, msg, sizeof msg))
			return cli_error(EXIT_USAGE, "muscles: %s", msg);
		*region = loc.region;
		return EXIT_DONE;
	}
	*region = trp_region_find(arg);
	if (*region >= 0)
		return EXIT_DONE;
	n = trp_region_suggest(arg, near, 3);
	if (n == 0)
		return cli_error(EXIT_USAGE, "muscles: unknown region '%.64s' (see 'trp regions')", arg);
	return cli_error(EXIT_USAGE, "muscles: unknown region '%.64s' (did you mean '%s'%s%s%s?)",
			 arg, trp_region_name(near[0]), n > 1 ? " or '" : "",
			 n > 1 ? trp_region_name(near[1]) : "", n > 1 ? "'" : "");
}

static int parse_symptom_option(const char *arg, int *symptom)
{
	char msg[512];
	trp_located_symptom s;

	if (trp_symptom_parse(arg, &s, msg, sizeof msg))
		return cli_error(EXIT_USAGE, "muscles: %s", msg);
	*symptom = s.symptom;
	return EXIT_DONE;
}

/* Prints the muscles as a JSON array, one compact object a line. */
static int print_json_list(const trp_muscle **list, size_t n)
{
	size_t i;

	putchar('[');
	for (i = 0; i < n; i++) {
		char *s = trp_muscle_json(list[i], 0);

		if (!s)
			return cli_error(EXIT_FAILED, "out of memory");
		printf("%s\n%s", i ? "," : "", s);
		free(s);
	}
	puts(n ? "\n]" : "]");
	return EXIT_DONE;
}

int cmd_muscles(struct cli *cli, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "region", required_argument, NULL, 'r' },
		{ "symptom", required_argument, NULL, 's' },
		{ "json", no_argument, NULL, 'j' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	static const char *const how[] = { "", "trigger point here", "spillover referral",
					   "essential referral" };   /* by trp_relation */
	const trp_atlas *atlas;
	const trp_muscle **list;
	const char *arg;
	size_t n, i, count;
	int json = 0, region = -1, symptom = -1, c, code;

	optind = 0;
	while ((c = cli_getopt(argc, argv, opts, &arg)) != -1) {
		if (c == 'h') {
			fputs(muscles_help, stdout);
			return EXIT_DONE;
		} else if (c == 'j') {
			json = 1;
		} else if (c == 'r') {
			if ((code = parse_region_option(arg, &region)))
				return code;
		} else if (c == 's') {
			if ((code = parse_symptom_option(arg, &symptom)))
				return code;
		} else {
			return EXIT_USAGE;
		}
	}
	if (cli_optind < argc)
		return cli_error(EXIT_USAGE, "muscles: unexpected argument '%s' (see 'trp muscles --help')",
				 argv[cli_optind]);
	if (region >= 0 && symptom >= 0)
		return cli_error(EXIT_USAGE, "muscles: --region or --symptom, not both");
	atlas = cli_atlas(cli);
	if (!atlas)
		return cli->failure;
	count = trp_atlas_count(atlas);
	list = malloc((count ? count : 1) * sizeof *list);
	if (!list)
		return cli_error(EXIT_FAILED, "out of memory");
	n = symptom >= 0 ? trp_atlas_symptom_muscles(atlas, symptom, list, count)
	    : trp_atlas_region_muscles(atlas, region, list, count);
	if (json) {
		code = print_json_list(list, n);
	} else if (symptom >= 0) {
		printf("%zu muscles give %s (%s), most common source first\n\n", n,
		       trp_symptom_name(symptom), trp_symptom_description(symptom));
		printf("%-32s %-32s %s\n", "ID", "NAME", "SIDE");
		for (i = 0; i < n; i++) {
			trp_side_rule rule = TRP_SAME_SIDE;

			trp_muscle_gives_symptom(list[i], symptom, &rule);
			printf("%-32s %-32s %s\n", trp_muscle_id(list[i]), trp_muscle_name(list[i]),
			       !trp_symptom_sided(symptom) ? "-" : rule == TRP_SAME_SIDE ? "same side"
			       : rule == TRP_OPPOSITE_SIDE ? "opposite side" : "both sides");
		}
		code = EXIT_DONE;
	} else {
		if (region >= 0)
			printf("%zu muscles refer pain to or lie in %s\n\n", n, trp_region_name(region));
		printf("%-32s %-32s %s\n", "ID", "NAME", region >= 0 ? "HOW" : "GROUP");
		for (i = 0; i < n; i++)
			printf("%-32s %-32s %s\n", trp_muscle_id(list[i]), trp_muscle_name(list[i]),
			       region >= 0 ? how[trp_muscle_relation(list[i], region)] : trp_muscle_group(list[i]));
		code = EXIT_DONE;
	}
	free(list);
	return code;
}

static void print_texts(const trp_muscle *m, trp_text_list which, const char *title)
{
	const char *const *items;
	size_t n = trp_muscle_texts(m, which, &items), i;

	if (n == 0)
		return;
	printf("\n%s\n", title);
	for (i = 0; i < n; i++)
		cli_wrap("  - ", 4, items[i]);
}

static void print_zones(const trp_muscle *m, trp_zone_kind kind)
{
	const trp_zone *zones;
	size_t n = trp_muscle_referral(m, &zones), i;
	char line[1024];
	size_t used = 0;

	line[0] = '\0';
	for (i = 0; i < n && used < sizeof line; i++) {
		int w;

		if (zones[i].kind != kind)
			continue;
		w = snprintf(line + used, sizeof line - used, "%s%s%s", used ? ", " : "",
			     trp_region_name(zones[i].region),
			     zones[i].side == TRP_OPPOSITE_SIDE ? " (opposite side)"
			     : zones[i].side == TRP_BOTH_SIDES ? " (both sides)" : "");
		if (w < 0)
			break;
		used += (size_t)w;
	}
	if (used)
		cli_wrap(kind == TRP_ESSENTIAL ? "  essential: " : "  spillover: ", 13, line);
}

/* The coded symptoms as one line of names, and the prior with its source. */
static void print_coded(const trp_muscle *m)
{
	const trp_coded_symptom *coded;
	const trp_prior *prior = trp_muscle_prior(m);
	size_t n = trp_muscle_symptoms(m, &coded), i, used = 0;
	char line[2048], text[4200];

	line[0] = '\0';
	for (i = 0; i < n; i++) {
		int w = snprintf(line + used, sizeof line - used, "%s%s%s", used ? ", " : "",
				 trp_symptom_name(coded[i].symptom),
				 coded[i].side == TRP_OPPOSITE_SIDE ? " (opposite side)" : "");

		if (w > 0 && (size_t)w < sizeof line - used)
			used += (size_t)w;
	}
	if (used) {
		printf("\nSymptoms it gives (coded; 'trp find' takes them)\n");
		cli_wrap("  ", 2, line);
	}
	printf("\nHow common a source it is\n");
	if (prior->share < 0) {
		snprintf(text, sizeof text, "no study gives a figure; find uses its default (docs/find.md)");
	} else {
		snprintf(text, sizeof text, "%.0f%% among %s (%s)", prior->share * 100, prior->among,
			 prior->source);
	}
	cli_wrap("  ", 2, text);
}

/* One line after the muscle's own perpetuating factors: the whole-body ones, which keep
 * trigger points going in any muscle, and where to read when to ask for a blood test. */
static void print_body_factors(const trp_muscle *m)
{
	char line[1024];
	size_t i, n = trp_body_factor_count(), used;

	if (n == 0)
		return;
	used = (size_t)snprintf(line, sizeof line, "In any muscle, also: ");
	for (i = 0; i < n && used < sizeof line; i++)
		used += (size_t)snprintf(line + used, sizeof line - used, "%s%s",
					 i == 0 ? "" : "; ", trp_body_factor_at(i)->name);
	if (used < sizeof line)
		snprintf(line + used, sizeof line - used, ". 'trp plan %s' says when to ask a doctor "
			 "for a blood test.", trp_muscle_id(m));
	cli_wrap("  ", 2, line);
}

static void print_muscle(const trp_muscle *m)
{
	const trp_trigger_point *tps;
	const trp_self_care *care;
	const trp_caution *cautions;
	const trp_professional *pro;
	const char *const *aliases;
	size_t n, i;
	unsigned t;

	printf("%s (%s)\n", trp_muscle_name(m), trp_muscle_id(m));
	printf("group: %s", trp_muscle_group(m));
	if (trp_muscle_family(m))
		printf("; family: %s", trp_muscle_family(m));
	n = trp_muscle_texts(m, TRP_ALIASES, &aliases);
	for (i = 0; i < n; i++)
		printf("%s%s", i == 0 ? "; also: " : ", ", aliases[i]);
	printf("\n\nWhere it refers pain (same side unless marked)\n");
	print_zones(m, TRP_ESSENTIAL);
	print_zones(m, TRP_SPILLOVER);

	n = trp_muscle_trigger_points(m, &tps);
	printf("\nTrigger points\n");
	for (i = 0; i < n; i++) {
		printf("  %s, in %s\n", tps[i].name, trp_region_name(tps[i].region));
		cli_wrap("    where:   ", 13, tps[i].location);
		cli_wrap("    find it: ", 13, tps[i].palpation);
	}
	print_texts(m, TRP_ACTIONS, "What it does");
	print_coded(m);
	print_texts(m, TRP_SYMPTOMS, "Symptoms besides pain");
	print_texts(m, TRP_FUNCTIONAL_COMPLAINTS, "What people notice");
	print_texts(m, TRP_CAUSES, "What causes trigger points here");
	print_texts(m, TRP_PERPETUATING_FACTORS, "What keeps them going");
	print_body_factors(m);

	n = trp_muscle_self_care(m, &care);
	printf("\nSelf-care\n");
	for (i = 0; i < n; i++) {
		char first[64];

		snprintf(first, sizeof first, "  %-12s ", trp_technique_name(care[i].technique));
		cli_wrap(first, 15, care[i].how);
	}
	n = trp_muscle_cautions(m, &cautions);
	if (n)
		printf("\nCautions\n");
	for (i = 0; i < n; i++) {
		char text[4200];
		size_t used = (size_t)snprintf(text, sizeof text, "%s", cautions[i].text);

		for (t = 0; t < TRP_TECHNIQUE_COUNT && used < sizeof text; t++)
			if (cautions[i].techniques & (1u << t)) {
				int w = snprintf(text + used, sizeof text - used, " [%s]",
						 trp_technique_name((trp_technique)t));

				if (w > 0)
					used += (size_t)w;
			}
		cli_wrap("  - ", 4, text);
	}
	n = trp_muscle_professional(m, &pro);
	if (n)
		printf("\nWhat a professional may offer\n");
	for (i = 0; i < n; i++) {
		char first[64];

		snprintf(first, sizeof first, "  %-18s ", trp_professional_name(pro[i].option));
		cli_wrap(first, 21, pro[i].note);
	}
	print_texts(m, TRP_SOURCES, "Sources");
	printf("\ntrp informs; it does not diagnose. See a clinician for pain that is severe,\n"
	       "new, or comes with numbness, weakness, fever or weight loss.\n");
}

static int print_family(const trp_atlas *atlas, const char *family, int json)
{
	const trp_muscle *parts[16];
	size_t n = trp_atlas_family(atlas, family, parts, 16), i;

	if (n > 16)
		n = 16;
	if (json) {
		printf("{\"family\": \"%s\", \"parts\": [", trp_muscle_family(parts[0]));
		for (i = 0; i < n; i++)
			printf("%s{\"id\": \"%s\", \"name\": \"%s\"}", i ? ", " : "",
			       trp_muscle_id(parts[i]), trp_muscle_name(parts[i]));
		printf("]}\n");
		return EXIT_DONE;
	}
	printf("'%s' is a family of %zu parts; show one with 'trp muscle ID':\n\n",
	       trp_muscle_family(parts[0]), n);
	for (i = 0; i < n; i++)
		printf("  %-32s %s\n", trp_muscle_id(parts[i]), trp_muscle_name(parts[i]));
	return EXIT_DONE;
}

/* What `trp muscle ID --png FILE` draws. */
struct muscle_picture {
	const trp_muscle *muscle;
	trp_side side;
};

static trp_err draw_muscle(void *arg, trp_image_format format, unsigned char **data, size_t *size,
			   char *msg, size_t msgsize)
{
	const struct muscle_picture *pic = arg;

	return trp_render_muscle(pic->muscle, pic->side, format, data, size, msg, msgsize);
}

int cmd_muscle(struct cli *cli, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "json", no_argument, NULL, 'j' },
		{ "side", required_argument, NULL, 's' },
		PICTURE_OPTIONS,
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct pictures pics = { { NULL, NULL, NULL } };
	struct muscle_picture pic = { NULL, TRP_LEFT };
	const trp_atlas *atlas;
	const trp_muscle *m;
	const char *arg, *name, *side = NULL;
	char hint[256];
	int json = 0, c;

	optind = 0;
	while ((c = cli_getopt(argc, argv, opts, &arg)) != -1) {
		if (c == 'h') {
			fputs(muscle_help, stdout);
			return EXIT_DONE;
		}
		if (c == 'j')
			json = 1;
		else if (c == 's')
			side = arg;
		else if (!picture_option(&pics, c, arg))
			return EXIT_USAGE;
	}
	if (side) {
		if (strcmp(side, "l") == 0 || strcmp(side, "left") == 0)
			pic.side = TRP_LEFT;
		else if (strcmp(side, "r") == 0 || strcmp(side, "right") == 0)
			pic.side = TRP_RIGHT;
		else
			return cli_error(EXIT_USAGE, "muscle: bad --side '%.32s' (expected l or r)", side);
		if (!pictures_wanted(&pics))
			return cli_error(EXIT_USAGE, "muscle: --side is for a picture (add --png, --pdf or --svg FILE)");
	}
	if (json && pictures_wanted(&pics))
		return cli_error(EXIT_USAGE, "muscle: --json or a picture, not both");
	if (cli_optind == argc)
		return cli_error(EXIT_USAGE, "muscle: which muscle? (usage: trp muscle ID [--json]; "
				 "'trp muscles' lists them)");
	if (cli_optind + 1 < argc)
		return cli_error(EXIT_USAGE, "muscle: one muscle at a time (got '%s' and '%s')",
				 argv[cli_optind], argv[cli_optind + 1]);
	name = argv[cli_optind];
	atlas = cli_atlas(cli);
	if (!atlas)
		return cli->failure;
	m = trp_atlas_find(atlas, name);
	if (!m) {
		if (trp_atlas_family(atlas, name, NULL, 0) && pictures_wanted(&pics))
			return cli_error(EXIT_USAGE, "muscle: '%.64s' is a family; draw one of its parts "
					 "('trp muscle %.64s' lists them)", name, name);
		if (trp_atlas_family(atlas, name, NULL, 0))
			return print_family(atlas, name, json);
		return cli_error(EXIT_USAGE, "unknown muscle '%.64s'%s", name,
				 cli_muscle_hint(atlas, name, hint, sizeof hint));
	}
	if (pictures_wanted(&pics)) {
		pic.muscle = m;
		return pictures_write("muscle", &pics, draw_muscle, &pic);
	}
	if (json)
		return cli_print_json(trp_muscle_json(m, 1));
	print_muscle(m);
	return EXIT_DONE;
}
