/*
 * internal.h: what the modules of libtrp share and the public header does not show.
 * Nothing here is part of the API.
 */
#ifndef TRP_INTERNAL_H
#define TRP_INTERNAL_H

#include <stdarg.h>
#include <stddef.h>

#include "trp/trp.h"

/* The vocabularies, compiled from data/regions.tsv and data/muscles.tsv by vocabgen
 * (the generated file says so). */
struct trp__region {
	const char *name;
	const char *description;
	trp_view view;
};
extern const struct trp__region trp__regions[];
extern const int trp__region_n;

struct trp__vocab_muscle {
	const char *id;
	const char *group;
};
extern const struct trp__vocab_muscle trp__vocab_muscles[];
extern const size_t trp__vocab_muscle_n;

/* The index of `id` in the muscle vocabulary, or -1. */
int trp__vocab_muscle_find(const char *id);

/* snprintf into msg when msg is not NULL; never fails. */
void trp__msg(char *msg, size_t msgsize, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* Levenshtein distance between a and b, counted on lower-cased ASCII, capped at cap. */
int trp__edit_distance(const char *a, size_t alen, const char *b, size_t blen, int cap);

#endif
