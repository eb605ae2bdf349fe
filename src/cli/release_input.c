/*
 * release_input.c: reading what the release commands share: answers files, the muscles
 * or pain map a plan is made for, and the plan itself (release_input.h).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "release_input.h"

#define ANSWERS_MAX (64 * 1024)

int release_read(const char *cmd, const char *path, size_t max, char **text, size_t *len)
{
	FILE *f = strcmp(path, "-") == 0 ? stdin : fopen(path, "rb");
	char *buf = NULL;
	size_t n = 0;
	int code = EXIT_DONE;

	*text = NULL;
	*len = 0;
	if (!f)
		return cli_error(EXIT_FAILED, "%s: cannot read '%s': %s", cmd, path, strerror(errno));
	buf = malloc(max + 1);
	if (!buf) {
		code = cli_error(EXIT_FAILED, "%s: out of memory", cmd);
		goto done;
	}
	n = fread(buf, 1, max + 1, f);
	if (ferror(f))
		code = cli_error(EXIT_FAILED, "%s: cannot read '%s': %s", cmd, path, strerror(errno));
	else if (n > max)
		code = cli_error(EXIT_USAGE, "%s: '%s' is larger than %zu KiB", cmd, path, max / 1024);
done:
	if (f != stdin)
		fclose(f);
	if (code) {
		free(buf);
		return code;
	}
	buf[n] = '\0';
	*text = buf;
	*len = n;
	return EXIT_DONE;
}

int release_answers(const char *cmd, const char *path, trp_answers *out)
{
	char *text, msg[512];
	size_t len;
	int code = release_read(cmd, path, ANSWERS_MAX, &text, &len);

	trp_answers_clear(out);
	if (code)
		return code;
	if (trp_answers_parse(text, len, out, msg, sizeof msg))
		code = cli_error(EXIT_USAGE, "%s: %s: %s", cmd, path, msg);
	free(text);
	return code;
}

/* Parses the side after the last '.', if any: returns 0, or -1 when it is no side. */
static int split_side(char *name, int *side)
{
	char *dot = strrchr(name, '.');

	*side = TRP_SIDE_ANY;
	if (!dot)
		return 0;
	if (strcasecmp(dot + 1, "l") == 0 || strcasecmp(dot + 1, "left") == 0)
		*side = TRP_LEFT;
	else if (strcasecmp(dot + 1, "r") == 0 || strcasecmp(dot + 1, "right") == 0)
		*side = TRP_RIGHT;
	else
		return -1;
	*dot = '\0';
	return 0;
}

int release_targets(struct cli *cli, const char *cmd, char **args, int n, trp_target *out,
		    size_t *nout)
{
	const trp_atlas *atlas;
	int i;

	*nout = 0;
	if (n <= 0)
		return cli_error(EXIT_USAGE, "%s: no muscles given (usage: trp %s MUSCLE[.SIDE]..., "
				 "e.g. 'trp %s trapezius_upper.l', or --find REGION...)", cmd, cmd, cmd);
	atlas = cli_atlas(cli);
	if (!atlas)
		return cli->failure;
	for (i = 0; i < n; i++) {
		const trp_muscle *parts[16];
		const trp_muscle *m;
		char name[128], hint[256];
		size_t nparts = 0, k;
		int side;

		if (strlen(args[i]) >= sizeof name)
			return cli_error(EXIT_USAGE, "%s: unknown muscle '%.64s...' (see 'trp muscles')",
					 cmd, args[i]);
		snprintf(name, sizeof name, "%s", args[i]);
		if (split_side(name, &side))
			return cli_error(EXIT_USAGE, "%s: unknown side '%s' in '%s' (expected l, r, "
					 "left or right, as in 'soleus.l')", cmd, strrchr(name, '.') + 1,
					 args[i]);
		m = trp_atlas_find(atlas, name);
		if (m) {
			parts[0] = m;
			nparts = 1;
		} else {
			nparts = trp_atlas_family(atlas, name, parts, 16);
			if (nparts > 16)
				nparts = 16;
		}
		if (nparts == 0)
			return cli_error(EXIT_USAGE, "%s: unknown muscle '%.64s'%s", cmd, name,
					 cli_muscle_hint(atlas, name, hint, sizeof hint));
		for (k = 0; k < nparts; k++) {
			if (*nout == TRP_PLAN_TARGETS_MAX)
				return cli_error(EXIT_USAGE, "%s: more than %d muscles (plan fewer at a time)",
						 cmd, TRP_PLAN_TARGETS_MAX);
			out[*nout].muscle = parts[k];
			out[*nout].side = side;
			(*nout)++;
		}
	}
	return EXIT_DONE;
}

int release_find_targets(struct cli *cli, const char *cmd, char **args, int n,
			 trp_target *out, size_t *nout, trp_caution_note *notes, size_t *nnotes)
{
	trp_located map[TRP_MAP_MAX];
	const trp_atlas *atlas;
	const trp_candidate *members;
	const trp_caution_note *cautions;
	trp_finder *finder = NULL;
	trp_find_result *result = NULL;
	char msg[512];
	size_t nmap, nm, nc, i;
	int code = EXIT_FAILED;

	*nout = 0;
	*nnotes = 0;
	if (n <= 0)
		return cli_error(EXIT_USAGE, "%s: --find needs a pain map (e.g. '--find temple.l=7 "
				 "neck_side.l')", cmd);
	if (trp_map_parse((const char *const *)args, (size_t)n, map, &nmap, msg, sizeof msg))
		return cli_error(EXIT_USAGE, "%s: %s", cmd, msg);
	atlas = cli_atlas(cli);
	if (!atlas)
		return cli->failure;
	if (trp_finder_new(atlas, &finder) || trp_find_result_new(finder, &result) ||
	    trp_find(finder, map, nmap, 10, result)) {
		cli_error(EXIT_FAILED, "%s: out of memory", cmd);
		goto done;
	}
	nm = trp_find_explanation(result, &members);
	for (i = 0; i < nm && i < TRP_PLAN_TARGETS_MAX; i++) {
		out[i].muscle = members[i].muscle;
		out[i].side = (int)members[i].side;
	}
	*nout = i;
	nc = trp_find_cautions(result, &cautions);
	for (i = 0; i < nc && i < 8; i++)
		notes[i] = cautions[i];   /* static strings of the find engine */
	*nnotes = i;
	code = EXIT_DONE;
	if (*nout == 0)
		code = cli_error(EXIT_USAGE, "%s: no muscle of the atlas refers pain to this map "
				 "(see 'trp find' and 'trp regions')", cmd);
done:
	trp_find_result_free(result);
	trp_finder_free(finder);
	return code;
}

int release_plan(struct cli *cli, const char *cmd, const trp_target *targets, size_t n,
		 const char *screen_path, size_t points, const trp_caution_note *notes,
		 size_t nnotes, trp_plan **out)
{
	trp_plan_options opts = { points, NULL, notes, nnotes };
	trp_answers answers;
	const trp_atlas *atlas;
	char msg[512];
	int code;
	trp_err err;

	*out = NULL;
	if (screen_path) {
		if ((code = release_answers(cmd, screen_path, &answers)))
			return code;
		opts.answers = &answers;
	}
	atlas = cli_atlas(cli);
	if (!atlas)
		return cli->failure;
	err = trp_plan_new(atlas, targets, n, &opts, out, msg, sizeof msg);
	if (err)
		return cli_error(err == TRP_ENOMEM ? EXIT_FAILED : EXIT_USAGE, "%s: %s", cmd, msg);
	return EXIT_DONE;
}

int release_points(const char *cmd, const char *text, size_t *out)
{
	char *end;
	long v = strtol(text, &end, 10);

	if (*text == '\0' || *end != '\0' || v < 1 || v > TRP_PLAN_POINTS_MAX)
		return cli_error(EXIT_USAGE, "%s: bad --points '%.32s' (expected a whole number from 1 to %d)",
				 cmd, text, TRP_PLAN_POINTS_MAX);
	*out = (size_t)v;
	return EXIT_DONE;
}

const char *release_side_words(int side)
{
	return side == TRP_LEFT ? "left" : side == TRP_RIGHT ? "right" : "either side";
}
