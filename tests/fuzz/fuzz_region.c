/* fuzz_region.c: the located-region and symptom parsers and the name suggesters on any
 * bytes. A parse that succeeds must format back to text that parses to the same region
 * or symptom; a failure must say why. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "trp/trp.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = malloc(size + 1), msg[256], buf[96];
	trp_located loc, again;
	trp_located_symptom sym, sym_again;
	int near[4];

	if (!text)
		return 0;
	memcpy(text, data, size);
	text[size] = '\0';
	if (trp_located_parse(text, &loc, msg, sizeof msg) == TRP_OK) {
		trp_located_format(&loc, buf, sizeof buf);
		if (trp_located_parse(buf, &again, NULL, 0) != TRP_OK ||
		    memcmp(&loc, &again, sizeof loc) != 0)
			abort();
	} else if (msg[0] == '\0') {
		abort();   /* every failure explains itself */
	}
	trp_region_suggest(text, near, 4);
	msg[0] = '\0';
	if (trp_symptom_parse(text, &sym, msg, sizeof msg) == TRP_OK) {
		trp_symptom_format(&sym, buf, sizeof buf);
		if (trp_symptom_parse(buf, &sym_again, NULL, 0) != TRP_OK ||
		    memcmp(&sym, &sym_again, sizeof sym) != 0)
			abort();
	} else if (msg[0] == '\0') {
		abort();
	}
	trp_symptom_suggest(text, near, 4);
	free(text);
	return 0;
}
