/*
 * eval.c: runs a suite of textbook pain maps (a .tsv file in tests/find; a map's tokens are
 * regions and symptoms) through the find engine
 * and prints its top-1 and top-3 hit rates. A vignette is a hit at k when one of its
 * expected muscles (with side) is among the first k candidates.
 *
 * usage: eval [--details] [--min-top1 P] [--min-top3 P] SUITE.tsv
 * Exits 1 when a rate is below its minimum (a percentage), 2 on a malformed suite. An
 * expected muscle the atlas does not have is named on stderr and counts as not found.
 * --details lists every vignette that misses top-1; held-out suites are run without it,
 * so that tuning never sees their misses.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "trp/trp.h"

#define LINE_MAX_LEN 4096
#define EXPECT_MAX 8
#define TOKENS_MAX 64

int main(int argc, char **argv)
{
	double min1 = 0, min3 = 0;
	int details = 0, i, total = 0, hit1 = 0, hit3 = 0, lineno = 0, not_in_atlas = 0;
	const char *path = NULL;
	trp_atlas *atlas = NULL;
	trp_finder *finder = NULL;
	trp_find_result *result = NULL;
	char line[LINE_MAX_LEN];
	FILE *f;

	for (i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--details") == 0)
			details = 1;
		else if (strcmp(argv[i], "--min-top1") == 0 && i + 1 < argc)
			min1 = atof(argv[++i]);
		else if (strcmp(argv[i], "--min-top3") == 0 && i + 1 < argc)
			min3 = atof(argv[++i]);
		else
			path = argv[i];
	}
	if (!path) {
		fprintf(stderr, "usage: eval [--details] [--min-top1 P] [--min-top3 P] SUITE.tsv\n");
		return 2;
	}
	f = fopen(path, "r");
	if (!f) {
		perror(path);
		return 2;
	}
	if (trp_atlas_open_builtin(&atlas) || trp_finder_new(atlas, &finder) ||
	    trp_find_result_new(finder, &result)) {
		fprintf(stderr, "eval: out of memory\n");
		return 1;
	}
	while (fgets(line, sizeof line, f)) {
		char *name, *expected, *mapstr, *tok, *save;
		const char *tokens[TOKENS_MAX], *want[EXPECT_MAX];
		trp_located map[TRP_MAP_MAX];
		trp_located_symptom syms[TRP_SYMPTOMS_MAX];
		const trp_candidate *c;
		char msg[512];
		size_t ntok = 0, nwant = 0, n, ns, nc, k;
		int rank = -1;

		lineno++;
		line[strcspn(line, "\r\n")] = '\0';
		if (line[0] == '#' || line[0] == '\0')
			continue;
		name = line;
		expected = strchr(name, '\t');
		mapstr = expected ? strchr(expected + 1, '\t') : NULL;
		if (!mapstr) {
			fprintf(stderr, "%s:%d: expected name<TAB>expected<TAB>map\n", path, lineno);
			return 2;
		}
		*expected++ = '\0';
		*mapstr++ = '\0';
		for (tok = strtok_r(expected, ",", &save); tok && nwant < EXPECT_MAX;
		     tok = strtok_r(NULL, ",", &save))
			want[nwant++] = tok + strspn(tok, " ");
		for (tok = strtok_r(mapstr, " ", &save); tok && ntok < TOKENS_MAX;
		     tok = strtok_r(NULL, " ", &save))
			tokens[ntok++] = tok;
		if (trp_query_parse(tokens, ntok, map, &n, syms, &ns, msg, sizeof msg)) {
			fprintf(stderr, "%s:%d: %s\n", path, lineno, msg);
			return 2;
		}
		if (trp_find_symptoms(finder, map, n, syms, ns, 10, result)) {
			fprintf(stderr, "%s:%d: find failed\n", path, lineno);
			return 1;
		}
		nc = trp_find_candidates(result, &c);
		for (k = 0; k < nc && rank < 0; k++) {
			char id[160];
			size_t w;

			snprintf(id, sizeof id, "%s.%s", trp_muscle_id(c[k].muscle), trp_side_code(c[k].side));
			for (w = 0; w < nwant; w++)
				if (strcmp(id, want[w]) == 0)
					rank = (int)k;
		}
		for (k = 0; k < nwant; k++) {
			char mid[160];
			const char *dot = strrchr(want[k], '.');

			snprintf(mid, sizeof mid, "%.*s", dot ? (int)(dot - want[k]) : 0, want[k]);
			if (!dot || (strcmp(dot, ".l") != 0 && strcmp(dot, ".r") != 0)) {
				fprintf(stderr, "%s:%d: bad expected muscle '%s' (want ID.l or ID.r)\n", path,
					lineno, want[k]);
				return 2;
			}
			/* a muscle the atlas does not have yet can be expected, but not ranked: the
			 * vignette counts, and misses unless another expected muscle is found */
			if (!trp_atlas_find(atlas, mid)) {
				fprintf(stderr, "%s:%d: expected muscle '%s' is not in the atlas\n", path, lineno,
					want[k]);
				not_in_atlas++;
			}
		}
		total++;
		hit1 += rank == 0;
		hit3 += rank >= 0 && rank < 3;
		if (details && rank != 0) {
			printf("  miss%s: %-40s want %-28s got", rank < 0 ? " (not in top 10)" :
			       rank < 3 ? " (top 3)" : " (top 10)", name, want[0]);
			for (k = 0; k < nc && k < 3; k++)
				printf(" %s.%s(%.2f)", trp_muscle_id(c[k].muscle), trp_side_code(c[k].side),
				       c[k].score);
			printf("\n");
		}
	}
	fclose(f);
	trp_find_result_free(result);
	trp_finder_free(finder);
	trp_atlas_free(atlas);
	if (total == 0) {
		fprintf(stderr, "%s: no vignettes\n", path);
		return 2;
	}
	printf("%s: %d vignettes, top-1 %d/%d (%.1f%%), top-3 %d/%d (%.1f%%)", path, total,
	       hit1, total, 100.0 * hit1 / total, hit3, total, 100.0 * hit3 / total);
	if (not_in_atlas)
		printf(" (%d expected muscles not in the atlas yet)", not_in_atlas);
	printf("\n");
	if (100.0 * hit1 / total < min1 || 100.0 * hit3 / total < min3) {
		printf("FAIL: below the target (top-1 >= %.1f%%, top-3 >= %.1f%%)\n", min1, min3);
		return 1;
	}
	return 0;
}
