/* fuzz_request.c: the fast path for POST /api/find bodies must agree with jansson:
 * whatever it accepts, jansson reads as an object with "regions" (the same strings) and
 * at most "top" (the same number). */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "request.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct find_request req;
	json_error_t err;
	json_t *o, *regions, *top;
	size_t i;

	if (!find_request_fast((const char *)data, size, &req))
		return 0;
	o = json_loadb((const char *)data, size, JSON_REJECT_DUPLICATES, &err);
	if (!json_is_object(o))
		abort();
	regions = json_object_get(o, "regions");
	top = json_object_get(o, "top");
	if (!json_is_array(regions) || json_array_size(regions) != req.ntokens ||
	    json_object_size(o) != 1u + (top != NULL) || (top != NULL) != req.has_top)
		abort();
	for (i = 0; i < req.ntokens; i++)
		if (!json_is_string(json_array_get(regions, i)) ||
		    strcmp(json_string_value(json_array_get(regions, i)), req.tokens[i]) != 0)
			abort();
	if (top && (!json_is_integer(top) || json_integer_value(top) != req.top))
		abort();
	json_decref(o);
	return 0;
}
