/*
 * find.c (bench): explained queries per second, in process, on one thread, over a mix
 * of pain maps of 1 to 8 regions: the textbook maps of the tuning suite, and random maps
 * (the regions scattered over the body, which makes for the largest explanations).
 * Each query ranks every muscle, finds the smallest explaining set and the cautions.
 *
 * usage: bench_find SUITE.tsv [SECONDS]
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "clock.h"
#include "trp/trp.h"

#define MAPS 4096
#define PER_MAP 8

struct map {
	trp_located r[PER_MAP];
	size_t n;
};

static unsigned long long rng = 0x9e3779b97f4a7c15ull;

static unsigned next(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return (unsigned)(rng >> 11);
}

/* Reads the maps of a suite (at most PER_MAP regions each). */
static size_t load_suite(const char *path, struct map *maps, size_t max)
{
	char line[4096];
	size_t n = 0;
	FILE *f = fopen(path, "r");

	if (!f) {
		perror(path);
		exit(1);
	}
	while (n < max && fgets(line, sizeof line, f)) {
		char *map, *tok, *save;
		const char *tokens[64];
		size_t nt = 0;

		line[strcspn(line, "\r\n")] = '\0';
		if (line[0] == '#' || !(map = strrchr(line, '\t')))
			continue;
		for (tok = strtok_r(map + 1, " ", &save); tok && nt < PER_MAP; tok = strtok_r(NULL, " ", &save))
			tokens[nt++] = tok;
		if (trp_map_parse(tokens, nt, maps[n].r, &maps[n].n, NULL, 0) == TRP_OK)
			n++;
	}
	fclose(f);
	return n;
}

int main(int argc, char **argv)
{
	static struct map maps[MAPS];
	trp_atlas *atlas;
	trp_finder *finder;
	trp_find_result *result;
	double seconds = argc > 2 ? atof(argv[2]) : 3.0, t0, elapsed;
	size_t nmaps, i, queries = 0, sizes[PER_MAP + 1] = { 0 }, members = 0;

	if (argc < 2) {
		fprintf(stderr, "usage: bench_find SUITE.tsv [SECONDS]\n");
		return 2;
	}
	nmaps = load_suite(argv[1], maps, MAPS / 2);
	while (nmaps < MAPS) {
		struct map *m = &maps[nmaps];
		size_t k = 1 + next() % PER_MAP, j;
		uint8_t used[TRP_MAP_MAX] = { 0 };

		m->n = 0;
		for (j = 0; j < k; j++) {
			int reg = (int)(next() % (unsigned)trp_region_count());
			trp_side side = (trp_side)(next() % 2);

			if (used[reg * 2 + side]++)
				continue;
			m->r[m->n].region = reg;
			m->r[m->n].side = side;
			m->r[m->n].intensity = (int)(next() % 11) - 1;
			m->n++;
		}
		nmaps++;
	}
	for (i = 0; i < nmaps; i++)
		sizes[maps[i].n]++;
	if (trp_atlas_open_builtin(&atlas) || trp_finder_new(atlas, &finder) ||
	    trp_find_result_new(finder, &result))
		return 1;
	t0 = now();
	do {
		for (i = 0; i < nmaps; i++) {
			const trp_candidate *m;

			if (trp_find(finder, maps[i].r, maps[i].n, 10, result))
				return 1;
			members += trp_find_explanation(result, &m);
		}
		queries += nmaps;
		elapsed = now() - t0;
	} while (elapsed < seconds);
	printf("maps: %zu (regions 1-8:", nmaps);
	for (i = 1; i <= PER_MAP; i++)
		printf(" %zu", sizes[i]);
	printf("), mean explanation %.2f muscles\n", (double)members / (double)queries);
	printf("explained queries: %zu in %.2f s on one thread = %.0f per second (%.2f us each)\n",
	       queries, elapsed, (double)queries / elapsed, elapsed * 1e6 / (double)queries);
	trp_find_result_free(result);
	trp_finder_free(finder);
	trp_atlas_free(atlas);
	return 0;
}
