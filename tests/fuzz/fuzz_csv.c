/* fuzz_csv.c: the CSV readers of `trp import` (entries and trials) on any bytes. Every
 * entry a read accepts must be in range, and must write back to CSV that reads to the
 * same line. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "trp/diary.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int in_range(const trp_entry *e, void *arg)
{
	(void)arg;
	if (trp_entry_check(e, NULL, NULL, 0) != TRP_OK)
		abort();
	return 0;
}

static int check_entry(const trp_entry *e, void *arg)
{
	const char *header = trp_entry_csv_header();
	char *line, *text;

	(void)arg;
	in_range(e, NULL);
	line = trp_entry_csv(e);
	text = line ? malloc(strlen(header) + strlen(line) + 1) : NULL;
	if (!text)
		abort();
	strcpy(text, header);
	strcat(text, line);
	if (trp_entry_csv_parse(text, strlen(text), in_range, NULL, NULL, 0) != TRP_OK)
		abort();   /* what we write we must read */
	free(text);
	free(line);
	return 0;
}

static int check_trial(const trp_trial *t, void *arg)
{
	(void)arg;
	if (trp_trial_check(t, NULL, 0) != TRP_OK)
		abort();
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char msg[512];

	if (size && data[0] & 1)
		trp_trial_csv_parse((const char *)data + 1, size - 1, check_trial, NULL, msg, sizeof msg);
	else
		trp_entry_csv_parse((const char *)data + (size ? 1 : 0), size ? size - 1 : 0, check_entry, NULL,
				    msg, sizeof msg);
	return 0;
}
