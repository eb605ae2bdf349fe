/*
 * atlas_impl.h: the layout of an atlas, shared by the loader (atlas.c), the built-in
 * atlas (atlas_builtin.c and the tables atlasgen writes) and the JSON writer.
 */
#ifndef TRP_ATLAS_IMPL_H
#define TRP_ATLAS_IMPL_H

#include "internal.h"

#define TRP__TEXT_LISTS 7     /* the members of trp_text_list */

struct trp_muscle {
	const char *id;
	const char *name;
	const char *family;           /* NULL when none */
	const char *group;
	size_t index;                 /* position in its atlas */
	const char *const *texts[TRP__TEXT_LISTS];
	size_t ntexts[TRP__TEXT_LISTS];
	const trp_trigger_point *tps;
	size_t ntps;
	const trp_zone *zones;
	size_t nzones;
	const trp_self_care *care;
	size_t ncare;
	const trp_caution *cautions;
	size_t ncautions;
	const trp_professional *pro;
	size_t npro;
	const trp_coded_symptom *coded;   /* the coded entries of "symptoms" */
	size_t ncoded;
	trp_prior prior;
};

struct trp__arena;

struct trp_atlas {
	const struct trp_muscle *muscles;  /* n of them, in vocabulary order */
	size_t n;
	struct trp_muscle *owned;          /* the same array when loaded at run time */
	size_t cap;
	struct trp__arena *arena;          /* the strings and lists of a run-time atlas */
};

/* The families of docs/atlas.md; NULL-terminated. */
extern const char *const trp__families[];

/* The atlas compiled in by atlasgen. */
extern const struct trp_muscle trp__builtin_muscles[];
extern const size_t trp__builtin_n;

/* Building an atlas one file at a time (trp_atlas_open_dir uses these; so do the fuzz
 * target and atlasgen). `file` is the name shown in messages; when `expect_id` is not
 * NULL the muscle's id must equal it (the file's base name). */
trp_err trp__atlas_new(trp_atlas **out);
trp_err trp__atlas_add_json(trp_atlas *atlas, const char *file, const char *expect_id,
			    const char *text, size_t len, char *msg, size_t msgsize);
/* Puts the muscles in vocabulary order and numbers them. */
void trp__atlas_finish(trp_atlas *atlas);

/* find.c: the score trp_find gives muscle m for a map of `region` alone, on the side
 * where m reaches it best (0 when it does not), and of one symptom alone. */
double trp__alone_score(const struct trp_muscle *m, int region);
double trp__symptom_alone_score(const struct trp_muscle *m);

/* find.c: whether candidate a ranks before b when their scores are equal (the prior,
 * then the more specific pattern); 0 when nothing tells them apart. */
int trp__tie_order(const struct trp_muscle *a, const struct trp_muscle *b);

#endif
