/*
 * reply.c (bench): the work of one POST /api/find inside the server, step by step, for
 * the body bench/serve.sh sends: reading the body (the fast path), parsing the map, the
 * find, and the compact JSON reply written into a reused buffer, as the server does.
 *
 * usage: bench_reply [SECONDS]
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "request.h"
#include "clock.h"
#include "trp/trp.h"

int main(int argc, char **argv)
{
	static const char body[] = "{\"regions\": [\"temple.l=7\", \"neck_side.l=4\", \"shoulder_top.l=3\"]}";
	static struct find_request req;
	double secs = argc > 1 ? atof(argv[1]) : 1.0, t[5];
	trp_located map[TRP_MAP_MAX];
	trp_atlas *atlas;
	trp_finder *finder;
	trp_find_result *result;
	char msg[256], *buf = NULL;
	size_t nmap = 0, cap = 0, len = 0, n, i, step;
	double sum[4] = { 0, 0, 0, 0 };
	long rounds = 0;

	if (trp_atlas_open_builtin(&atlas) || trp_finder_new(atlas, &finder) ||
	    trp_find_result_new(finder, &result)) {
		fprintf(stderr, "bench_reply: out of memory\n");
		return 1;
	}
	/* rounds of n calls of each step, until the time is up */
	n = 20000;
	do {
		t[0] = now();
		for (i = 0; i < n; i++)
			if (!find_request_fast(body, sizeof body - 1, &req))
				return 1;
		t[1] = now();
		for (i = 0; i < n; i++)
			if (trp_map_parse(req.tokens, req.ntokens, map, &nmap, msg, sizeof msg))
				return 1;
		t[2] = now();
		for (i = 0; i < n; i++)
			if (trp_find(finder, map, nmap, 10, result))
				return 1;
		t[3] = now();
		for (i = 0; i < n; i++)
			if (!(len = trp_find_json_into(result, 0, &buf, &cap)))
				return 1;
		t[4] = now();
		for (step = 0; step < 4; step++)
			sum[step] += t[step + 1] - t[step];
		rounds++;
	} while (sum[0] + sum[1] + sum[2] + sum[3] < secs);
	printf("POST /api/find, %zu-byte reply, per request on one thread:\n", len);
	printf("  read the body %.3f us, parse the map %.3f us, find %.3f us, JSON %.3f us; "
	       "all %.3f us\n",
	       sum[0] / (double)(rounds * (long)n) * 1e6, sum[1] / (double)(rounds * (long)n) * 1e6,
	       sum[2] / (double)(rounds * (long)n) * 1e6, sum[3] / (double)(rounds * (long)n) * 1e6,
	       (sum[0] + sum[1] + sum[2] + sum[3]) / (double)(rounds * (long)n) * 1e6);
	free(buf);
	trp_find_result_free(result);
	trp_finder_free(finder);
	trp_atlas_free(atlas);
	return 0;
}
