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

/* An arena: memory handed out in pieces, aligned for any type, and freed all at once
 * (a run-time atlas's strings and lists, a release plan). *head starts as NULL.
 * trp__arena_alloc and trp__arena_strdup return NULL only when out of memory. */
struct trp__arena;
void *trp__arena_alloc(struct trp__arena **head, size_t size);
char *trp__arena_strdup(struct trp__arena **head, const char *s);
void trp__arena_free(struct trp__arena *arena);

/* The line (from 1) of `text` where the value at `path` ("referral[3].region", "[2].code",
 * "" for the whole text) starts; where the path cannot be followed, the line of the
 * deepest part that can. `text` must be JSON that jansson has accepted. */
int trp__json_line(const char *text, size_t len, const char *path);

/* Levenshtein distance between a and b, counted on lower-cased ASCII, capped at cap. */
int trp__edit_distance(const char *a, size_t alen, const char *b, size_t blen, int cap);

#endif
