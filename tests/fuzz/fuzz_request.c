/* fuzz_request.c: the fast path for POST /api/find bodies must agree with jansson:
 * whatever it accepts, jansson reads as an object with at most "regions" and "symptoms"
 * (the same strings) and "top" (the same number). */
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
	json_t *o, *regions, *symptoms, *top;
	size_t i;

	if (!find_request_fast((const char *)data, size, &req))
		return 0;
	o = json_loadb((const char *)data, size, JSON_REJECT_DUPLICATES, &err);
	if (!json_is_object(o))
		abort();
	regions = json_object_get(o, "regions");
	symptoms = json_object_get(o, "symptoms");
	top = json_object_get(o, "top");
	if ((regions != NULL) != req.has_regions || (symptoms != NULL) != req.has_symptoms ||
	    (top != NULL) != req.has_top ||
	    json_object_size(o) != (size_t)(req.has_regions + req.has_symptoms + req.has_top))
		abort();
	if (regions && (!json_is_array(regions) || json_array_size(regions) != req.ntokens))
		abort();
	if (symptoms && (!json_is_array(symptoms) || json_array_size(symptoms) != req.nsymptoms))
		abort();
	for (i = 0; i < req.ntokens; i++)
		if (!json_is_string(json_array_get(regions, i)) ||
		    strcmp(json_string_value(json_array_get(regions, i)), req.tokens[i]) != 0)
			abort();
	for (i = 0; i < req.nsymptoms; i++)
		if (!json_is_string(json_array_get(symptoms, i)) ||
		    strcmp(json_string_value(json_array_get(symptoms, i)), req.symptoms[i]) != 0)
			abort();
	if (top && (!json_is_integer(top) || json_integer_value(top) != req.top))
		abort();
	json_decref(o);
	return 0;
}
