/* fuzz_screen.c: an answers file from any bytes through the answers parser (the yes/no
 * codes and the age), the skip rules, the combination rules, the screening and the
 * planner; the same bytes through the plan reader of `trp session --plan`. Answers that
 * parse must hold an age in range (or none) and write back to text that parses to the
 * same answers; the outcome is the most serious flag; a plan is refused exactly when the
 * outcome says so, and no timer of it runs past its cap; every failure explains itself. */
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
		trp_flag flags[TRP_SCREEN_FLAGS_MAX];
		const trp_plan_step *steps;
		size_t nflags, nsteps, i;

		if (a.age != TRP_AGE_UNKNOWN && (a.age < TRP_AGE_MIN || a.age > TRP_AGE_MAX))
			abort();
		for (i = 0; i <= trp_screen_count(); i++)
			if (trp_screen_applies(&a, i) && i == trp_screen_count())
				abort();
		for (i = 0; i <= trp_screen_rule_count(); i++)
			if (trp_screen_rule_fires(&a, i) && i == trp_screen_rule_count())
				abort();
		nflags = trp_screen_flags(&a, flags, TRP_SCREEN_FLAGS_MAX);
		if (nflags > TRP_SCREEN_FLAGS_MAX ||
		    (nflags ? flags[0].outcome : TRP_OUTCOME_CLEAR) != trp_screen_outcome(&a))
			abort();
		for (i = 1; i < nflags; i++)
			if (flags[i].outcome > flags[i - 1].outcome || !flags[i].message)
				abort();
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
		nsteps = trp_plan_steps(plan, &steps);
		for (i = 0; i < nsteps; i++)
			if (steps[i].dose.hold_max > (steps[i].technique == TRP_HEAT ? TRP_HEAT_MAX_SECONDS
						      : TRP_HOLD_MAX_SECONDS))
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
