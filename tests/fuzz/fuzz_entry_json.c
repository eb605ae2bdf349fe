/* fuzz_entry_json.c: the parser of POST /api/pain and /api/sessions bodies on any bytes.
 * An entry it accepts must be in range and must write JSON that parses to the same
 * entry. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "trp/diary.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static trp_entry e, again;
	char note[TRP_NOTE_MAX + 1], note2[TRP_NOTE_MAX + 1], msg[512];
	trp_entry_kind kind = size && (data[0] & 1) ? TRP_SESSION_ENTRY : TRP_PAIN_ENTRY;
	int has_at, has_at2;

	if (size)
		data++, size--;
	if (trp_entry_parse_json((const char *)data, size, kind, &e, note, sizeof note, &has_at, msg,
				 sizeof msg) != TRP_OK) {
		if (!msg[0])
			abort();
		return 0;
	}
	if (!has_at)
		e.at = 1795505415, e.tz = 60;
	if (trp_entry_check(&e, NULL, msg, sizeof msg) == TRP_OK) {
		char *json = trp_entry_json(&e, 0), *json2;

		if (!json)
			abort();
		/* the JSON of a stored entry carries id and deleted, which a POST refuses */
		{
			char *cut = strstr(json, "\"id\":");

			if (cut) {
				char *comma = strchr(cut, ',');

				memmove(cut, comma + 1, strlen(comma + 1) + 1);
			}
			cut = strstr(json, ",\"deleted\":");
			if (cut)
				strcpy(cut, "}");
		}
		if (trp_entry_parse_json(json, strlen(json), kind, &again, note2, sizeof note2, &has_at2,
					 msg, sizeof msg) != TRP_OK)
			abort();
		json2 = trp_entry_json(&again, 0);
		free(json2);
		free(json);
	}
	return 0;
}
