/* fuzz_atlas.c: the atlas loader (jansson parse, schema checks, line finding) on any
 * bytes as one muscle file. A muscle that loads must serialise and load again. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "atlas_impl.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	trp_atlas *atlas = NULL, *again = NULL;
	char msg[1024];

	if (trp__atlas_new(&atlas) != TRP_OK)
		return 0;
	msg[0] = '\0';
	if (trp__atlas_add_json(atlas, "fuzz.json", NULL, (const char *)data, size, msg,
				sizeof msg) == TRP_OK) {
		char *json = trp_muscle_json(trp_atlas_muscle(atlas, 0), 1);

		if (!json || trp__atlas_new(&again) != TRP_OK)
			abort();
		if (trp__atlas_add_json(again, "again.json", NULL, json, strlen(json), msg,
					sizeof msg) != TRP_OK)
			abort();   /* what we write we must read */
		free(json);
		trp_atlas_free(again);
	} else if (msg[0] == '\0') {
		abort();
	}
	trp_atlas_free(atlas);
	return 0;
}
