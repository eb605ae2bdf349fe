/* fuzz_text.c: the text check and repair (src/core/text.c) on any bytes, held to each
 * other and to jansson, whose UTF-8 decoder is the one the API's bodies meet first:
 * - text that passes the check is left as it is by the repair, and jansson takes it;
 * - a repaired text always passes the check, and repairing it again changes nothing;
 * - the first bad offset the check gives is a byte the repair replaces from;
 * - a repair into too small a buffer copies whole characters only. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "trp/trp.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *text = (const char *)data;
	int lines = size > 0 && (data[0] & 1);
	size_t bad = trp_text_check(text, size, lines), need, replaced, again, small;
	char *out, *twice, tiny[8];

	need = trp_text_repair(text, size, lines, NULL, 0, NULL);
	out = malloc(need + 1);
	twice = malloc(need + 1);
	if (!out || !twice)
		goto done;
	if (trp_text_repair(text, size, lines, out, need + 1, &replaced) != need)
		abort();
	if (strlen(out) != need || trp_text_check(out, need, lines) != 0)
		abort();
	if ((bad == 0) != (replaced == 0))
		abort();
	if (bad == 0) {
		json_t *s = json_stringn(text, size);

		if (memcmp(out, text, size) != 0 || need != size)
			abort();
		/* what passes is UTF-8 that jansson takes (unless it holds a NUL, which the
		 * check refuses anyway as a control character) */
		if (!s)
			abort();
		json_decref(s);
	} else if (memcmp(out, text, bad - 1) != 0) {
		abort();
	}
	if (trp_text_repair(out, need, lines, twice, need + 1, &again) != need || again != 0 ||
	    memcmp(out, twice, need) != 0)
		abort();
	small = trp_text_repair(text, size, lines, tiny, sizeof tiny, NULL);
	if (small != need || trp_text_check(tiny, strlen(tiny), lines) != 0 ||
	    strncmp(tiny, out, strlen(tiny)) != 0)
		abort();
done:
	free(out);
	free(twice);
	return 0;
}
