/* fuzz_find.c: a whole pain map of regions and symptoms from any bytes (split at spaces)
 * through the query parser, the find engine and its JSON. A map that parses must give a
 * consistent answer: every painful region and symptom attributed or unexplained, no
 * candidate outside 0..1. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "trp/trp.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static trp_atlas *atlas;
static trp_finder *finder;
static trp_find_result *result;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *tokens[256];
	trp_located map[TRP_MAP_MAX];
	trp_located_symptom syms[TRP_SYMPTOMS_MAX];
	const trp_candidate *c, *m;
	char *text, *tok, *save, msg[256];
	size_t ntok = 0, n, ns, i, nc, nm;

	if (!atlas && (trp_atlas_open_builtin(&atlas) || trp_finder_new(atlas, &finder) ||
		       trp_find_result_new(finder, &result)))
		abort();
	text = malloc(size + 1);
	if (!text)
		return 0;
	memcpy(text, data, size);
	text[size] = '\0';
	for (tok = strtok_r(text, " \n", &save); tok && ntok < 256; tok = strtok_r(NULL, " \n", &save))
		tokens[ntok++] = tok;
	msg[0] = '\0';
	if (trp_query_parse(tokens, ntok, map, &n, syms, &ns, msg, sizeof msg) == TRP_OK) {
		if (trp_find_symptoms(finder, map, n, syms, ns, 1 + size % 20, result) != TRP_OK)
			abort();
		nc = trp_find_candidates(result, &c);
		nm = trp_find_explanation(result, &m);
		for (i = 0; i < nc; i++)
			if (!(c[i].score > 0 && c[i].score <= 1.000001))
				abort();
		for (i = 0; i < n; i++)
			if (trp_find_attributed(result, i) >= (int)nm)
				abort();
		for (i = 0; i < ns; i++)
			if (trp_find_symptom_attributed(result, i) >= (int)nm)
				abort();
		free(trp_find_json(result, (int)(size & 1)));
	} else if (ntok && msg[0] == '\0') {
		abort();   /* every failure explains itself */
	}
	free(text);
	return 0;
}
