/*
 * plan_impl.h: the layout of a release plan, shared by the planner (plan.c) and its JSON
 * reader and writer (plan_json.c).
 */
#ifndef TRP_PLAN_IMPL_H
#define TRP_PLAN_IMPL_H

#include "internal.h"
#include "trp/release.h"

struct trp_plan {
	const trp_atlas *atlas;
	struct trp__arena *arena;      /* every string and caution list of the plan */
	int refused;
	const char *reason;            /* NULL unless refused */
	const char *frequency;
	int days;
	trp_plan_step *steps;
	size_t nsteps, capsteps;
	trp_plan_drop *drops;
	size_t ndrops, capdrops;
	const char **pro;
	size_t npro, cappro;
	trp_caution_note *flags;
	size_t nflags, capflags;
};

/* An empty plan over `atlas`; NULL when out of memory. */
trp_plan *trp__plan_alloc(const trp_atlas *atlas);

/* Makes room for one more item in a growing array of `size`-byte items (*items holds n,
 * *cap fit). Returns 0, or -1 when out of memory (the array is unchanged). */
int trp__plan_grow(void **items, size_t *cap, size_t n, size_t size);

#endif
