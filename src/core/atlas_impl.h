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

#endif
