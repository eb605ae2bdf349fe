/*
 * internal.h: what the modules of libtrp share and the public header does not show.
 * Nothing here is part of the API.
 */
#ifndef TRP_INTERNAL_H
#define TRP_INTERNAL_H

#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#include "trp/trp.h"

/* The vocabularies, compiled from data/regions.tsv, data/muscles.tsv and data/symptoms.tsv by vocabgen
 * (the generated file says so). */
struct trp__region {
	const char *name;
	const char *description;
	trp_view view;
	unsigned char len;          /* of the name */
};
extern const struct trp__region trp__regions[];
extern const int trp__region_n;
/* Region r as a JSON string begins, '"temple.', NUL-padded to 32 bytes; empty when the
 * name is too long for that (vocabgen). */
extern const char trp__region_json[][32];

/* The symptoms (data/symptoms.tsv), and their names by hash (name_hash.h): a slot holds
 * the symptom + 1, or 0. */
struct trp__symptom {
	const char *name;
	const char *description;
	int sided;
	unsigned char len;
};
extern const struct trp__symptom trp__symptoms[];
extern const int trp__symptom_n;
extern const unsigned char trp__symptom_hash[];
/* The symptom named name[0..len) (lower case), or -1 (symptom.c). */
int trp__symptom_find_n(const char *name, size_t len);
/* Parses one symptom token and marks it in seen[symptom] (bit 0 left, 1 right, 2 without
 * a side); then trp__symptoms_collect writes the marked symptoms, in vocabulary order, a
 * side given winning over the same symptom without one, and returns how many. */
trp_err trp__symptom_mark(const char *text, unsigned char *seen, char *msg, size_t msgsize);
size_t trp__symptoms_collect(const unsigned char *seen, trp_located_symptom *out);

struct trp__vocab_muscle {
	const char *id;
	const char *group;
};
extern const struct trp__vocab_muscle trp__vocab_muscles[];
extern const size_t trp__vocab_muscle_n;

/* find_json.c: the compact JSON head of every candidate, {"muscle":"<id>","name":"<name>",
 * "side":"l", for each muscle of the atlas on each side, in one malloc'd buffer; candidate
 * c (muscle index * 2 + side) is at[c] .. at[c + 1]. NULL when out of memory. */
char *trp__find_heads(const trp_atlas *atlas, uint32_t **at);

/* find.c: the head of a candidate (built once with the finder), and its length. */
const char *trp__find_head(const trp_find_result *r, const trp_muscle *m, trp_side side,
			   size_t *len);

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

/* ---- checking JSON files (json_check.c): the atlas, the screening questions, a plan */

#define TRP__PATH_LEN 256     /* the longest field path a message names */

/* The text a loader reads, for messages that name its file, line and field. */
struct trp__json_src {
	const char *file;
	const char *text;
	size_t len;
	char *msg;
	size_t msgsize;
};

/* Writes "file:line: path: what" into src->msg and returns `code`. */
trp_err trp__json_fail(const struct trp__json_src *src, trp_err code, const char *path,
		       const char *fmt, ...) __attribute__((format(printf, 4, 5)));

/* Checks that obj is an object with exactly the fields of `fields` (NULL-terminated);
 * otherwise says which is unknown or missing, and returns `code`. */
trp_err trp__json_check_fields(const struct trp__json_src *src, trp_err code, json_t *obj,
			       const char *path, const char *const *fields);

/* "path.key" (or "key" when path is empty) into buf, cut to fit: it only names a field
 * in a message. */
void trp__path_join(char *buf, size_t size, const char *path, const char *key);

/* The index of s in a NULL-terminated word list, or -1; the list as "a, b or c";
 * whether s is empty or all spaces. */
int trp__word_index(const char *const *words, const char *s);
const char *trp__word_list(char *buf, size_t size, const char *const *words);
int trp__blank(const char *s);

/* ---- names of the vocabularies (region.c): shared by the region and symptom parsers */

#define TRP__NAME_MAX 63         /* longer than any name; longer input cannot match */
#define TRP__SHOWN_MAX 48        /* how much of a bad token a message repeats */

/* Copies at most TRP__SHOWN_MAX bytes of s into buf for a message, control bytes as '?'. */
const char *trp__shown(char *buf, size_t size, const char *s, size_t len);

/* "l", "r", "left" or "right" (any case) in s[0..len): 1 and *side set, else 0. */
int trp__parse_side(const char *s, size_t len, trp_side *side);

/* The names of a vocabulary (name_of(0 .. count-1)) nearest to name[0..len) into
 * out[0..max-1], best first; returns how many. */
int trp__suggest(const char *name, size_t len, const char *(*name_of)(int), int count, int *out,
		 int max);

/* Appends " (did you mean 'a.s' or 'b.s'?)" (side may be NULL) for the nearest names of
 * the vocabulary to msg, or " (see 'COMMAND' for the N names)" when none is near. */
void trp__append_suggestions(char *msg, size_t msgsize, const char *name, size_t len,
			     const char *side, const char *(*name_of)(int), int count,
			     const char *command);

/* Levenshtein distance between a and b, counted on lower-cased ASCII, capped at cap. */
int trp__edit_distance(const char *a, size_t alen, const char *b, size_t blen, int cap);

#endif
