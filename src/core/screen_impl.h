/*
 * screen_impl.h: the screening questions as libtrp holds them: the public question plus
 * what a "yes" changes in a plan, the combination rules, and the whole-body perpetuating
 * factors. Shared by the loaders (screen_load.c), the generator (screengen), the tables
 * it writes, the screening (screen.c) and the planner (plan.c).
 */
#ifndef TRP_SCREEN_IMPL_H
#define TRP_SCREEN_IMPL_H

#include "internal.h"
#include "trp/release.h"

/* Techniques that press on the muscle, as a bit set (1u << trp_technique). */
#define TRP__PRESSING ((1u << TRP_PRESSURE) | (1u << TRP_BALL_WALL) | (1u << TRP_BALL_FLOOR) | \
		       (1u << TRP_FOAM_ROLLER))
/* Those that put body weight on it, which cannot be kept light. */
#define TRP__BODY_WEIGHT ((1u << TRP_BALL_FLOOR) | (1u << TRP_FOAM_ROLLER))

struct trp__screen_item {
	trp_question q;
	/* when it is asked: the indices of q.ask_if_yes */
	const int *ask_yes;
	/* codes of questions it took over: a yes to one of them in an answers file (saved
	 * before the change) is a yes to this question */
	const char *const *old_codes;
	size_t nold;
	/* what a "yes" changes in a plan (precaution questions only; docs/release.md) */
	int light_pressure;          /* "max_pressure": "light" everywhere */
	int no_heat;                 /* "no_heat": true */
	const int *light_regions;    /* light pressure only at points in these regions */
	size_t nlight;
	const int *avoid_regions;    /* no pressure, rolling or heat at points here */
	size_t navoid;
	unsigned caution_techniques; /* steps of these techniques carry the message as a caution */
};

struct trp__screen_rule {
	trp_screen_rule r;
	const int *all;              /* the indices of r.all and r.any */
	const int *any;
};

/* The tables compiled in by screengen from data/screen.json and data/perpetuating.json. */
extern const struct trp__screen_item trp__screen_items[];
extern const size_t trp__screen_n;
extern const struct trp__screen_rule trp__screen_rules[];
extern const size_t trp__screen_nrules;
extern const trp_body_factor trp__body_factors[];
extern const size_t trp__body_nfactors;

/* A set of questions and rules loaded from JSON text (what screengen compiles, and
 * what the tests feed broken files to). The strings and lists live in `arena`. */
struct trp__screen_set {
	struct trp__screen_item *items;
	size_t n;
	struct trp__screen_rule *rules;
	size_t nrules;
	struct trp__arena *arena;
};

/* Loads and validates a questions file (docs/release.md). `file` is the name used in
 * messages. Fails with TRP_EPARSE (not JSON: "file:line:column: ...") or TRP_ESCHEMA
 * ("file:line: questions[3].avoid_regions[0]: unknown region 'bely' (did you mean
 * ...)"), or TRP_ENOMEM. On success free *out with trp__screen_set_free(). */
trp_err trp__screen_load(const char *file, const char *text, size_t len,
			 struct trp__screen_set *out, char *msg, size_t msgsize);
void trp__screen_set_free(struct trp__screen_set *set);

/* The whole-body factors loaded from JSON text (data/perpetuating.json). */
struct trp__factor_set {
	trp_body_factor *items;
	size_t n;
	struct trp__arena *arena;
};

/* Loads and validates a factors file: a list of {"code", "name", "text", "ask",
 * "sources"}; errors as trp__screen_load(). Free *out with trp__factor_set_free(). */
trp_err trp__factors_load(const char *file, const char *text, size_t len,
			  struct trp__factor_set *out, char *msg, size_t msgsize);
void trp__factor_set_free(struct trp__factor_set *set);

/* The compiled-in factors as the JSON list of trp_body_factors_json(); NULL when out of
 * memory. */
json_t *trp__body_factors_value(void);

#endif
