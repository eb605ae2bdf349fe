/* fuzz_screen.c: an answers file from any bytes through the answers parser, the
 * screening and the planner; the same bytes through the plan reader of `trp session
 * --plan`. Answers that parse must write back to text that parses to the same answers,
 * and every failure must explain itself. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "trp/release.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static trp_atlas *atlas;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	trp_answers a, again;
	trp_target target;
	trp_plan_options opts = { 0, NULL, NULL, 0 };
	trp_plan *plan = NULL;
	char msg[512], *json;

	if (!atlas && trp_atlas_open_builtin(&atlas))
		abort();
	msg[0] = '\0';
	if (trp_answers_parse((const char *)data, size, &a, msg, sizeof msg) == TRP_OK) {
		json = trp_answers_json(&a, 0);
		if (!json || trp_answers_parse(json, strlen(json), &again, NULL, 0) != TRP_OK ||
		    memcmp(&a, &again, sizeof a) != 0)
			abort();
		free(json);
		json = trp_screen_json(&a, 0);
		if (!json)
			abort();
		free(json);
		/* the answers drive a plan: refused exactly when the outcome says so */
		target.muscle = trp_atlas_muscle(atlas, size % trp_atlas_count(atlas));
		target.side = (int)(size % 3) - 1;
		opts.answers = &a;
		if (trp_plan_new(atlas, &target, 1, &opts, &plan, NULL, 0) != TRP_OK)
			abort();
		if (trp_plan_refused(plan, NULL) != (trp_screen_outcome(&a) >= TRP_OUTCOME_SEE_DOCTOR))
			abort();
		trp_plan_free(plan);
	} else if (msg[0] == '\0') {
		abort();
	}
	msg[0] = '\0';
	if (trp_plan_parse(atlas, "fuzz", (const char *)data, size, &plan, msg, sizeof msg) == TRP_OK) {
		json = trp_plan_json(plan, 0);
		if (!json)
			abort();
		free(json);
		trp_plan_free(plan);
	} else if (msg[0] == '\0' || plan) {
		abort();
	}
	return 0;
}
