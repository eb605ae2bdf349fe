/*
 * cmd_find.c: `trp find REGION...` ranks the muscles that may cause a pain map, finds
 * the fewest that explain all of it, and shows the cautions the map calls for.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "picture.h"

static const char help[] =
	"usage: trp find [--json] [--top N] [--png FILE] [--pdf FILE] [--svg FILE] REGION...\n"
	"\n"
	"Ranks the muscles whose trigger points may cause the pain in the map, says which\n"
	"regions each accounts for and how (essential or spillover zone of its referral\n"
	"pattern, or the trigger point's own site), finds the fewest muscles that together\n"
	"explain every painful region, and adds a caution where the map can signal\n"
	"something other than muscle.\n"
	"\n"
	"REGION is NAME.SIDE[=N]: a region from 'trp regions', the side l or r (the\n"
	"person's left or right), and optionally the pain from 0 to 10 (default 5; 0 marks\n"
	"a region as painless, which counts against muscles that refer there).\n"
	"\n"
	"  --top N         show the N best candidates (default 10)\n"
	"  --json          print {\"query\", \"candidates\", \"explanation\", \"unexplained\", \"cautions\"}\n"
	PICTURE_HELP
	"The picture paints the map on the body figures, with the referral patterns and\n"
	"trigger points of the fewest muscles that explain it.\n"
	"\n"
	"Example: trp find temple.l=7 neck_side.l=4\n";

/* "upper trapezius, left" style label. */
static const char *side_word(trp_side s)
{
	return s == TRP_LEFT ? "left" : "right";
}

static void print_result(const trp_find_result *r)
{
	const trp_located *map;
	const trp_candidate *cands, *members;
	const trp_caution_note *notes;
	size_t n = trp_find_map(r, &map), nc = trp_find_candidates(r, &cands);
	size_t nm = trp_find_explanation(r, &members), nn = trp_find_cautions(r, &notes);
	size_t i, j, unexplained = 0;
	char buf[64];

	printf("Pain map:");
	for (i = 0; i < n; i++) {
		trp_located_format(&map[i], buf, sizeof buf);
		printf(" %s", buf);
	}
	printf("\n");
	for (i = 0; i < nn; i++) {
		char first[64];

		snprintf(first, sizeof first, "\n! CAUTION (%s): ", notes[i].code);
		cli_wrap(first, 2, notes[i].message);
	}
	if (nc == 0) {
		printf("\nNo muscle of the atlas refers pain to these regions.\n");
		return;
	}
	printf("\nWhere it may come from, best first (score 0-1)\n");
	for (i = 0; i < nc; i++) {
		size_t regions[TRP_MAP_MAX];
		trp_link links[TRP_MAP_MAX];
		size_t k = trp_find_explains(r, i, regions, links, TRP_MAP_MAX);
		char label[128], line[2048];
		size_t used = 0;
		int kind;

		snprintf(label, sizeof label, "%s, %s", trp_muscle_name(cands[i].muscle),
			 side_word(cands[i].side));
		printf("%3zu  %.2f  %-40s %s.%s\n", i + 1, cands[i].score, label,
		       trp_muscle_id(cands[i].muscle), trp_side_code(cands[i].side));
		for (kind = TRP_LINK_ESSENTIAL; kind <= TRP_LINK_LOCAL; kind++) {
			used = 0;
			line[0] = '\0';
			for (j = 0; j < k; j++) {
				trp_located l = map[regions[j]];
				int w;

				if ((int)links[j] != kind)
					continue;
				l.intensity = -1;
				trp_located_format(&l, buf, sizeof buf);
				w = snprintf(line + used, sizeof line - used, "%s%s", used ? ", " : "", buf);
				if (w > 0 && (size_t)w < sizeof line - used)
					used += (size_t)w;
			}
			if (used) {
				char first[64];

				snprintf(first, sizeof first, "           %s: ",
					 kind == TRP_LINK_LOCAL ? "trigger point site"
					 : trp_link_name((trp_link)kind));
				cli_wrap(first, 13, line);
			}
		}
	}
	printf("\nThe fewest muscles that explain the map\n");
	for (i = 0; i < nm; i++) {
		char first[160], line[2048];
		size_t used = 0;

		line[0] = '\0';
		for (j = 0; j < n; j++) {
			trp_located l = map[j];
			int w;

			if (trp_find_attributed(r, j) != (int)i)
				continue;
			l.intensity = -1;
			trp_located_format(&l, buf, sizeof buf);
			w = snprintf(line + used, sizeof line - used, "%s%s", used ? ", " : "", buf);
			if (w > 0 && (size_t)w < sizeof line - used)
				used += (size_t)w;
		}
		snprintf(first, sizeof first, "  %s.%s: ", trp_muscle_id(members[i].muscle),
			 trp_side_code(members[i].side));
		cli_wrap(first, 4, line);
	}
	for (j = 0; j < n; j++)
		if (map[j].intensity != 0 && trp_find_attributed(r, j) < 0) {
			trp_located l = map[j];

			l.intensity = -1;
			trp_located_format(&l, buf, sizeof buf);
			printf("%s%s", unexplained++ ? ", " : "  not explained by any muscle of the atlas: ", buf);
		}
	if (unexplained)
		printf("\n");
	printf("\nNext: learn where the trigger points are and how to release them:\n");
	for (i = 0; i < nm; i++)
		printf("  trp muscle %s\n", trp_muscle_id(members[i].muscle));
	printf("\ntrp informs; it does not diagnose.\n");
}

static trp_err draw_find(void *arg, trp_image_format format, unsigned char **data, size_t *size,
			 char *msg, size_t msgsize)
{
	return trp_render_find(arg, format, data, size, msg, msgsize);
}

int cmd_find(struct cli *cli, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "top", required_argument, NULL, 't' },
		{ "json", no_argument, NULL, 'j' },
		PICTURE_OPTIONS,
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct pictures pics = { { NULL, NULL, NULL } };
	trp_located map[TRP_MAP_MAX];
	const trp_atlas *atlas;
	trp_finder *finder = NULL;
	trp_find_result *result = NULL;
	const char *arg;
	char msg[512];
	size_t n, top = 10;
	int json = 0, c, code = EXIT_FAILED;

	optind = 0;
	while ((c = cli_getopt(argc, argv, opts, &arg)) != -1) {
		if (c == 'h') {
			fputs(help, stdout);
			return EXIT_DONE;
		} else if (c == 'j') {
			json = 1;
		} else if (c == 't') {
			char *end;
			long v = strtol(arg, &end, 10);

			if (*arg == '\0' || *end != '\0' || v < 1 || v > 1000)
				return cli_error(EXIT_USAGE, "find: bad --top '%.32s' (expected a whole number from 1 to 1000)", arg);
			top = (size_t)v;
		} else if (!picture_option(&pics, c, arg)) {
			return EXIT_USAGE;
		}
	}
	if (json && pictures_wanted(&pics))
		return cli_error(EXIT_USAGE, "find: --json or a picture, not both");
	if (cli_optind == argc)
		return cli_error(EXIT_USAGE, "find: no regions given (usage: trp find REGION..., e.g. 'trp find temple.l=7 neck_side.l')");
	if (trp_map_parse((const char *const *)argv + cli_optind, (size_t)(argc - cli_optind), map,
			  &n, msg, sizeof msg))
		return cli_error(EXIT_USAGE, "find: %s", msg);
	atlas = cli_atlas(cli);
	if (!atlas)
		return cli->failure;
	if (trp_finder_new(atlas, &finder) || trp_find_result_new(finder, &result) ||
	    trp_find(finder, map, n, top, result)) {
		cli_error(EXIT_FAILED, "find: out of memory");
		goto done;
	}
	if (pictures_wanted(&pics)) {
		code = pictures_write("find", &pics, draw_find, result);
	} else if (json) {
		code = cli_print_json(trp_find_json(result, 1));
	} else {
		print_result(result);
		code = EXIT_DONE;
	}
done:
	trp_find_result_free(result);
	trp_finder_free(finder);
	return code;
}
