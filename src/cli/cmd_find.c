/*
 * cmd_find.c: `trp find REGION|SYMPTOM...` ranks the muscles that may cause a pain map,
 * finds the fewest that explain all of it, and shows the cautions the map calls for.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "picture.h"

static const char help[] =
	"usage: trp find [--json] [--top N] [--png FILE] [--pdf FILE] [--svg FILE] REGION|SYMPTOM...\n"
	"\n"
	"Ranks the muscles whose trigger points may cause the pain and symptoms of the map,\n"
	"says which regions each accounts for and how (essential or spillover zone of its\n"
	"referral pattern, or the trigger point's own site) and which symptoms it gives,\n"
	"finds the fewest muscles that together explain all of it, and adds a caution where\n"
	"the map can signal something other than muscle.\n"
	"\n"
	"REGION is NAME.SIDE[=N]: a region from 'trp regions', the side l or r (the\n"
	"person's left or right), and optionally the pain from 0 to 10 (default 5; 0 marks\n"
	"a region as painless, which counts against muscles that refer there).\n"
	"SYMPTOM is NAME or NAME.SIDE: a symptom from 'trp symptoms' (tinnitus.l, dizziness);\n"
	"without a side it counts for both sides.\n"
	"\n"
	"  --top N         show the N best candidates (default 10)\n"
	"  --json          print {\"query\", \"symptoms\", \"candidates\", \"explanation\",\n"
	"                  \"unexplained\", \"cautions\"}\n"
	PICTURE_HELP
	"The picture paints the map on the body figures, with the referral patterns and\n"
	"trigger points of the fewest muscles that explain it.\n"
	"\n"
	"Examples: trp find temple.l=7 neck_side.l=4\n"
	"          trp find tinnitus.l jaw.l=5\n";

/* "upper trapezius, left" style label. */
static const char *side_word(trp_side s)
{
	return s == TRP_LEFT ? "left" : "right";
}

/* Appends ", name.s" to line (of size bytes, `used` of them in use); returns the new used. */
static size_t append_token(char *line, size_t size, size_t used, const char *token)
{
	int w = snprintf(line + used, size - used, "%s%s", used ? ", " : "", token);

	return w > 0 && (size_t)w < size - used ? used + (size_t)w : used;
}

/* The symptoms candidate c explains (all, or those attributed to member `member` when it
 * is >= 0), as one wrapped line after `first`. */
static void print_symptoms(const trp_find_result *r, const trp_candidate *c, size_t i, int member,
			   const char *first, int indent)
{
	const trp_located_symptom *syms;
	size_t ns = trp_find_map_symptoms(r, &syms), items[TRP_SYMPTOMS_MAX], k, j, used = 0;
	char line[2048], buf[64];

	if (member >= 0) {
		for (k = 0, j = 0; j < ns; j++)
			if (trp_find_symptom_attributed(r, j) == member)
				items[k++] = j;
	} else {
		k = trp_find_explains_symptoms(r, i, items, TRP_SYMPTOMS_MAX);
	}
	line[0] = '\0';
	for (j = 0; j < k; j++) {
		trp_located_symptom s = syms[items[j]];

		if (trp_symptom_sided(s.symptom))
			s.side = (int)trp_find_symptom_side(r, c, items[j]);
		trp_symptom_format(&s, buf, sizeof buf);
		used = append_token(line, sizeof line, used, buf);
	}
	if (used)
		cli_wrap(first, indent, line);
}

static void print_result(const trp_find_result *r)
{
	const trp_located *map;
	const trp_located_symptom *syms;
	const trp_candidate *cands, *members;
	const trp_caution_note *notes;
	size_t n = trp_find_map(r, &map), nc = trp_find_candidates(r, &cands);
	size_t ns = trp_find_map_symptoms(r, &syms);
	size_t nm = trp_find_explanation(r, &members), nn = trp_find_cautions(r, &notes);
	size_t i, j, unexplained = 0;
	char buf[64];

	printf("Pain map:");
	for (i = 0; i < n; i++) {
		trp_located_format(&map[i], buf, sizeof buf);
		printf(" %s", buf);
	}
	for (i = 0; i < ns; i++) {
		trp_symptom_format(&syms[i], buf, sizeof buf);
		printf(" %s", buf);
	}
	printf("\n");
	for (i = 0; i < nn; i++) {
		char first[64];

		snprintf(first, sizeof first, "\n! CAUTION (%s): ", notes[i].code);
		cli_wrap(first, 2, notes[i].message);
	}
	if (nc == 0) {
		printf("\nNo muscle of the atlas refers pain to these regions or gives these symptoms.\n");
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
		print_symptoms(r, &cands[i], i, -1, "           symptom: ", 13);
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
		if (used)
			cli_wrap(first, 4, line);
		print_symptoms(r, &members[i], i, (int)i, used ? "    symptoms: " : first, 4);
	}
	for (j = 0; j < n; j++)
		if (map[j].intensity != 0 && trp_find_attributed(r, j) < 0) {
			trp_located l = map[j];

			l.intensity = -1;
			trp_located_format(&l, buf, sizeof buf);
			printf("%s%s", unexplained++ ? ", " : "  not explained by any muscle of the atlas: ", buf);
		}
	for (j = 0; j < ns; j++)
		if (trp_find_symptom_attributed(r, j) < 0) {
			trp_symptom_format(&syms[j], buf, sizeof buf);
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
	trp_located_symptom syms[TRP_SYMPTOMS_MAX];
	const trp_atlas *atlas;
	trp_finder *finder = NULL;
	trp_find_result *result = NULL;
	const char *arg;
	char msg[512];
	size_t n, ns, top = 10;
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
		return cli_error(EXIT_USAGE, "find: no regions given (usage: trp find REGION|SYMPTOM..., "
				 "e.g. 'trp find temple.l=7 neck_side.l' or 'trp find tinnitus.l jaw.l=5')");
	if (trp_query_parse((const char *const *)argv + cli_optind, (size_t)(argc - cli_optind), map,
			    &n, syms, &ns, msg, sizeof msg))
		return cli_error(EXIT_USAGE, "find: %s", msg);
	atlas = cli_atlas(cli);
	if (!atlas)
		return cli->failure;
	if (trp_finder_new(atlas, &finder) || trp_find_result_new(finder, &result) ||
	    trp_find_symptoms(finder, map, n, syms, ns, top, result)) {
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
