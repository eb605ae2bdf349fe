/* fuzz_experiences.c: the reader of a clinic's experiences snapshot (trp experiences
 * --load, trp serve --experiences) on any bytes: what it accepts it can read for a
 * muscle, and what it refuses it says why. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "experiences.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char msg[512] = "", *one;

	if (trp__experiences_check((const char *)data, size, msg, sizeof msg) != 0) {
		if (!msg[0])
			abort();
		return 0;
	}
	one = trp__experiences_muscle((const char *)data, size, "trapezius_upper", 0);
	if (!one)
		abort();
	free(one);
	return 0;
}
