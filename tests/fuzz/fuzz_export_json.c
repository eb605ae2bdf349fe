/* fuzz_export_json.c: the reader of `trp export --json` documents (trp import --json, the
 * clinic's upload) on any bytes. Whatever it hands out passes the same checks as an
 * entry put into the diary, and says why when it refuses. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "trp/diary.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int entry(const trp_entry *e, void *arg)
{
	(void)arg;
	if (e->id < 1 || e->id > TRP_ID_MAX || trp_entry_check(e, NULL, NULL, 0) != TRP_OK)
		abort();
	return 0;
}

static int trial(const trp_trial *t, void *arg)
{
	(void)arg;
	if (t->id < 1 || trp_trial_check(t, NULL, 0) != TRP_OK)
		abort();
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char msg[512] = "";

	if (trp_export_parse_json((const char *)data, size, entry, trial, NULL, msg, sizeof msg) != TRP_OK &&
	    msg[0] == '\0')
		abort();
	return 0;
}
