/*
 * trp.h: the public API of libtrp.
 *
 * libtrp holds trp's knowledge and computation: the body-region vocabulary, the muscle
 * atlas, and (in later modules) the find engine, the planner and the statistics. The
 * command-line tool and the server are thin faces over this header.
 *
 * Conventions:
 *  - Every call that can fail returns a trp_err; TRP_OK is 0.
 *  - Calls that create something take an out-parameter, set it to NULL on entry and fill
 *    it only on success. The caller owns what it is given and frees it with the matching
 *    *_free() call.
 *  - Where a failure needs more than the error code (which file, which token), the call
 *    takes a message buffer `msg` of `msgsize` bytes and writes one line into it, without
 *    a trailing newline. NULL/0 is accepted and means "no message wanted".
 *  - The library never prints, never exits and keeps no global mutable state: everything
 *    is in a handle or passed in. Read-only handles may be shared between threads.
 */
#ifndef TRP_H
#define TRP_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

#define TRP_VERSION "0.1.0"

/* ---------------------------------------------------------------- errors */

typedef enum trp_err {
	TRP_OK = 0,
	TRP_ENOMEM,   /* out of memory */
	TRP_EINVAL,   /* a bad argument or malformed input (a token, a request) */
	TRP_ENOTFOUND,/* no such region, muscle or record */
	TRP_EIO,      /* a file or directory could not be read or written */
	TRP_EPARSE,   /* a file is not valid JSON */
	TRP_ESCHEMA   /* a file is valid JSON but breaks the atlas schema */
} trp_err;

/* A short, static, lower-case description of an error code ("out of memory").
 * Never NULL; an unknown code gives "unknown error". */
const char *trp_strerror(trp_err err);

/* ---------------------------------------------------------------- text */

/* Whether the `len` bytes of `text` are fit to store and show a person: well-formed
 * UTF-8 (no overlong forms, surrogates or code points past U+10FFFF) with no control
 * characters (U+0000-U+001F, U+007F-U+009F) but tab and, when `lines` is non-zero, line
 * feed. Returns 0 when they are, else the offset (from 1) of the first bad byte. */
size_t trp_text_check(const char *text, size_t len, int lines);

/* Copies the text into out (size bytes, always NUL-terminated when size > 0) with every
 * byte that is not part of a well-formed sequence, and every character that
 * trp_text_check() refuses, replaced by U+FFFD; *replaced (may be NULL) counts them.
 * Whole characters only are copied. Returns the length the whole repaired text needs,
 * as snprintf does. */
size_t trp_text_repair(const char *text, size_t len, int lines, char *out, size_t size,
		       size_t *replaced);

/* ---------------------------------------------------------------- regions */

/* The body-region vocabulary (shared/spec/body-regions.md, copied in data/regions.tsv).
 * A region is an index 0 .. trp_region_count()-1, in the order of the vocabulary. */

typedef enum trp_side { TRP_LEFT = 0, TRP_RIGHT = 1 } trp_side;

/* On which drawing of the body a region can be seen. */
typedef enum trp_view {
	TRP_VIEW_FRONT = 1,
	TRP_VIEW_BACK = 2,
	TRP_VIEW_BOTH = 3
} trp_view;

/* The number of region names (78). */
int trp_region_count(void);

/* The name ("temple"), plain description and view of a region; NULL (or 0 for the view)
 * when `region` is out of range. The strings are static. */
const char *trp_region_name(int region);
const char *trp_region_description(int region);
trp_view trp_region_view(int region);

/* The region called `name` (exact, lower case), or -1. */
int trp_region_find(const char *name);

/* "l" or "r". */
const char *trp_side_code(trp_side side);

/* A located region with an optional pain intensity: "temple.l=7".
 * intensity is 0..10, or -1 when the text gave none. */
typedef struct trp_located {
	int region;
	trp_side side;
	int intensity;
} trp_located;

/* Parses "NAME.SIDE[=N]". NAME is a region name (case is ignored); SIDE is l, r, left
 * or right; N is a whole number 0..10. On failure returns TRP_EINVAL, leaves *out
 * zeroed and writes into msg a line that names the token and what would be accepted,
 * with the nearest valid names: "unknown region 'templ.l' (did you mean 'temple.l'?)". */
trp_err trp_located_parse(const char *text, trp_located *out, char *msg, size_t msgsize);

/* Writes "name.s" or "name.s=N" into buf (always NUL-terminated when size > 0) and
 * returns the length the full text needs, as snprintf does. */
size_t trp_located_format(const trp_located *loc, char *buf, size_t size);

/* Fills out[0..max-1] with the regions whose names are nearest to `name` (edit distance
 * and shared words), best first, and returns how many were written. Only plausible
 * matches are returned, so the answer may be 0. */
int trp_region_suggest(const char *name, int *out, int max);

/* ---------------------------------------------------------------- symptoms */

/* The symptom vocabulary (shared/spec/symptoms.md, copied in data/symptoms.tsv): what a
 * person notices besides pain ("tinnitus", "weak_grip"). A symptom is an index
 * 0 .. trp_symptom_count()-1, in the order of the vocabulary. No symptom has the name of
 * a region, so one pain map holds both. */

/* The number of symptom names (45). */
int trp_symptom_count(void);

/* The name ("tinnitus") and plain description of a symptom, and whether it takes a side
 * (1) or not (0); NULL (or -1 for sided) when `symptom` is out of range. The strings are
 * static. */
const char *trp_symptom_name(int symptom);
const char *trp_symptom_description(int symptom);
int trp_symptom_sided(int symptom);

/* The symptom called `name` (exact, lower case), or -1. */
int trp_symptom_find(const char *name);

/* Fills out[0..max-1] with the symptoms whose names are nearest to `name`, best first,
 * and returns how many were written (only plausible matches, so maybe 0), as
 * trp_region_suggest() does for regions. */
int trp_symptom_suggest(const char *name, int *out, int max);

/* The side of a symptom in a map that was given without one. */
#define TRP_NO_SIDE (-1)

/* A symptom of a pain map: "tinnitus.l", or "tinnitus" and "dizziness" without a side.
 * `side` is TRP_LEFT, TRP_RIGHT or TRP_NO_SIDE; a symptom without a side counts for
 * both sides. */
typedef struct trp_located_symptom {
	int symptom;
	int side;
} trp_located_symptom;

/* Parses "NAME" or "NAME.SIDE": NAME a symptom name (case is ignored), SIDE l, r, left
 * or right, and only for a symptom that takes a side. On failure returns TRP_EINVAL,
 * leaves *out zeroed and writes into msg a line that names the token and what would be
 * accepted: "unknown symptom 'tinitus.l' (did you mean 'tinnitus.l'?)". */
trp_err trp_symptom_parse(const char *text, trp_located_symptom *out, char *msg, size_t msgsize);

/* Writes "name" or "name.s" into buf (always NUL-terminated when size > 0) and returns
 * the length the full text needs, as snprintf does. */
size_t trp_symptom_format(const trp_located_symptom *s, char *buf, size_t size);

/* The symptoms as JSON: [{"name", "description", "sided": true|false}]; free().
 * NULL only when out of memory. */
char *trp_symptoms_json(int pretty);

/* ---------------------------------------------------------------- atlas */

/* The muscle atlas: one record per muscle (docs/atlas.md). Immutable once opened; a
 * trp_atlas may be read from many threads at once. */
typedef struct trp_atlas trp_atlas;

/* One muscle of an atlas. Owned by its atlas: valid until trp_atlas_free(). */
typedef struct trp_muscle trp_muscle;

/* The atlas compiled into the library at build time from data/atlas/. Fails only with
 * TRP_ENOMEM. Free with trp_atlas_free(). */
trp_err trp_atlas_open_builtin(trp_atlas **out);

/* Loads and validates every *.json file of `dir`. The first problem stops the load:
 * TRP_EIO (unreadable), TRP_EPARSE (bad JSON) or TRP_ESCHEMA (unknown region or muscle,
 * missing or unknown field, duplicate id or alias, wrong type), and msg names the file,
 * the line and the field: "dir/masseter.json:42: referral[3].region: unknown region
 * 'jawx' (did you mean 'jaw'?)". */
trp_err trp_atlas_open_dir(const char *dir, trp_atlas **out, char *msg, size_t msgsize);

/* Frees an atlas and every muscle in it. NULL is a no-op. */
void trp_atlas_free(trp_atlas *atlas);

/* The number of muscles, and the i-th one (in the order of the muscle vocabulary);
 * NULL when i is out of range. */
size_t trp_atlas_count(const trp_atlas *atlas);
const trp_muscle *trp_atlas_muscle(const trp_atlas *atlas, size_t i);

/* The muscle whose identifier or alias is `name` (case is ignored; '-' and ' ' count as
 * '_'), or NULL. A family name ("trapezius") is not a muscle: see trp_atlas_family(). */
const trp_muscle *trp_atlas_find(const trp_atlas *atlas, const char *name);

/* The parts of the family `family` ("trapezius" gives trapezius_upper, _middle, _lower;
 * common names such as "scm", "glutes" or "quads" name their family too):
 * writes up to max of them into out and returns how many there are in all (0 when
 * `family` is not a family). */
size_t trp_atlas_family(const trp_atlas *atlas, const char *family,
			const trp_muscle **out, size_t max);

/* Fills out[0..max-1] with the muscle identifiers, aliases and family names nearest to
 * `name` (for "did you mean"), best first; returns how many. The strings belong to the
 * atlas. */
size_t trp_atlas_suggest(const trp_atlas *atlas, const char *name, const char **out,
			 size_t max);

/* The index (0 .. count-1) of a muscle in its atlas. */
size_t trp_muscle_index(const trp_muscle *muscle);

/* Identifier, display name, family (NULL when none) and body group ("neck"). */
const char *trp_muscle_id(const trp_muscle *muscle);
const char *trp_muscle_name(const trp_muscle *muscle);
const char *trp_muscle_family(const trp_muscle *muscle);
const char *trp_muscle_group(const trp_muscle *muscle);

/* The lists of plain text of a muscle. */
typedef enum trp_text_list {
	TRP_ALIASES,
	TRP_ACTIONS,
	TRP_SYMPTOMS,
	TRP_FUNCTIONAL_COMPLAINTS,
	TRP_CAUSES,
	TRP_PERPETUATING_FACTORS,
	TRP_SOURCES
} trp_text_list;

/* Sets *items to the list and returns its length. */
size_t trp_muscle_texts(const trp_muscle *muscle, trp_text_list which,
			const char *const **items);

/* A trigger point: where it lies (region on the muscle's own side) and how to find it. */
typedef struct trp_trigger_point {
	const char *name;
	int region;
	const char *location;
	const char *palpation;
} trp_trigger_point;

typedef enum trp_zone_kind { TRP_ESSENTIAL = 0, TRP_SPILLOVER = 1 } trp_zone_kind;

/* Where a referral zone lies relative to the side of the muscle. */
typedef enum trp_side_rule {
	TRP_SAME_SIDE = 0,
	TRP_OPPOSITE_SIDE = 1,
	TRP_BOTH_SIDES = 2
} trp_side_rule;

/* One zone of a referral pattern. */
typedef struct trp_zone {
	int region;
	trp_zone_kind kind;
	trp_side_rule side;
} trp_zone;

/* Self-care techniques of the atlas. */
typedef enum trp_technique {
	TRP_PRESSURE = 0,
	TRP_BALL_WALL,
	TRP_BALL_FLOOR,
	TRP_FOAM_ROLLER,
	TRP_STRETCH,
	TRP_HEAT,
	TRP_TECHNIQUE_COUNT
} trp_technique;

typedef struct trp_self_care {
	trp_technique technique;
	const char *how;
} trp_self_care;

/* A site caution; `techniques` is a bit set (1u << trp_technique) of the techniques it
 * limits, 0 for general advice. */
typedef struct trp_caution {
	const char *text;
	unsigned techniques;
} trp_caution;

typedef enum trp_professional_option {
	TRP_DRY_NEEDLING = 0,
	TRP_INJECTION,
	TRP_MANUAL_THERAPY,
	TRP_SPRAY_AND_STRETCH,
	TRP_PROFESSIONAL_COUNT
} trp_professional_option;

typedef struct trp_professional {
	trp_professional_option option;
	const char *note;
} trp_professional;

/* A symptom the atlas codes for a muscle (docs/atlas.md): which one, on which side
 * relative to the muscle (always TRP_BOTH_SIDES for a symptom that takes no side), and
 * the source that says so. */
typedef struct trp_coded_symptom {
	int symptom;
	trp_side_rule side;
	const char *source;
} trp_coded_symptom;

/* How common a muscle is as the source (docs/find.md): the share (0..1) of the people of
 * a study population ("among") in whom active trigger points were found in it, and the
 * study; share is -1 with among and source NULL where the atlas names no study, and the
 * find model then uses its documented default. */
typedef struct trp_prior {
	double share;
	const char *among;
	const char *source;
} trp_prior;

/* The muscle's coded symptoms (in the order of its file); sets *items, returns the count. */
size_t trp_muscle_symptoms(const trp_muscle *muscle, const trp_coded_symptom **items);

/* The muscle's prior as the atlas gives it. Never NULL; owned by the atlas. */
const trp_prior *trp_muscle_prior(const trp_muscle *muscle);

/* The prior the find model uses: the share, or the default where there is none. */
double trp_muscle_prior_share(const trp_muscle *muscle);

/* Whether the muscle gives `symptom`, and by which side rule: 1 and *rule set, or 0. */
int trp_muscle_gives_symptom(const trp_muscle *muscle, int symptom, trp_side_rule *rule);

/* The muscles that give `symptom`, most common first (the prior, then the more specific
 * referral pattern, as trp_find ranks a map of that symptom alone): writes up to max into
 * out and returns how many there are. */
size_t trp_atlas_symptom_muscles(const trp_atlas *atlas, int symptom, const trp_muscle **out,
				 size_t max);

/* The structured lists of a muscle: each sets *items and returns the length. */
size_t trp_muscle_trigger_points(const trp_muscle *muscle, const trp_trigger_point **items);
size_t trp_muscle_referral(const trp_muscle *muscle, const trp_zone **items);
size_t trp_muscle_self_care(const trp_muscle *muscle, const trp_self_care **items);
size_t trp_muscle_cautions(const trp_muscle *muscle, const trp_caution **items);
size_t trp_muscle_professional(const trp_muscle *muscle, const trp_professional **items);

/* Names of the enumerations as the JSON and the CLI spell them ("essential", "same",
 * "ball_wall", "dry_needling"); NULL for an out-of-range value. */
const char *trp_zone_kind_name(trp_zone_kind kind);
const char *trp_side_rule_name(trp_side_rule rule);
const char *trp_technique_name(trp_technique technique);
const char *trp_professional_name(trp_professional_option option);

/* Whether the muscle refers pain to `region` (any side rule) or has a trigger point in
 * it. */
int trp_muscle_touches_region(const trp_muscle *muscle, int region);

/* How a muscle relates to a region, strongest first; 0 when it does not. */
typedef enum trp_relation {
	TRP_RELATION_NONE = 0,
	TRP_LIES_IN = 1,            /* a trigger point lies in the region */
	TRP_REFERS_SPILLOVER = 2,   /* a spillover zone of its pattern */
	TRP_REFERS_ESSENTIAL = 3    /* an essential zone */
} trp_relation;

trp_relation trp_muscle_relation(const trp_muscle *muscle, int region);

/* "essential_referral", "spillover_referral", "trigger_point"; NULL for none. */
const char *trp_relation_name(trp_relation relation);

/* The muscles that refer pain to `region` or lie in it, strongest relation first and,
 * within a relation, in the order trp_find ranks a map of that region alone (the score
 * of docs/find.md, then the prior, then the more specific pattern); every muscle, in
 * atlas order, when region is -1. Writes up to max into out and returns how many there
 * are. */
size_t trp_atlas_region_muscles(const trp_atlas *atlas, int region, const trp_muscle **out,
				size_t max);

/* The 78 regions as JSON: [{"name", "view": "F"|"B"|"FB", "description"}]; free().
 * NULL only when out of memory. */
char *trp_regions_json(int pretty);

/* The muscle as the JSON object of docs/atlas.md (every field), as a NUL-terminated
 * string the caller frees with free(). pretty != 0 indents by two spaces.
 * Returns NULL only when out of memory. */
char *trp_muscle_json(const trp_muscle *muscle, int pretty);

/* ---------------------------------------------------------------- find */

/* From a pain map to the muscles that may cause it (docs/find.md). A trp_finder is an
 * index over one atlas, built once and read-only after: it may serve many threads, each
 * with its own trp_find_result. */
typedef struct trp_finder trp_finder;

/* Reusable storage for the answer to one query; reuse it across queries (no allocation
 * per query). Not to be shared between threads. */
typedef struct trp_find_result trp_find_result;

/* The most located regions a map may hold: every region on both sides. */
#define TRP_MAP_MAX 156

/* The most symptoms a map may hold: every symptom on each of its sides (vocabgen checks
 * that the vocabulary fits). */
#define TRP_SYMPTOMS_MAX 96

/* Builds the index of an atlas; the atlas must outlive the finder. Fails only with
 * TRP_ENOMEM. Free with trp_finder_free(). */
trp_err trp_finder_new(const trp_atlas *atlas, trp_finder **out);
void trp_finder_free(trp_finder *finder);

/* Result storage for queries against `finder`. Fails only with TRP_ENOMEM. */
trp_err trp_find_result_new(const trp_finder *finder, trp_find_result **out);
void trp_find_result_free(trp_find_result *result);

/* Parses a whole pain map: each text is NAME.SIDE[=N]. The same located region given
 * twice is merged (the higher intensity wins). On failure returns TRP_EINVAL with msg
 * naming the token, as trp_located_parse() does. *n_out is the number of distinct
 * regions written to out (at most TRP_MAP_MAX). */
trp_err trp_map_parse(const char *const *texts, size_t ntexts, trp_located *out,
		      size_t *n_out, char *msg, size_t msgsize);

/* Parses a list of symptom tokens (NAME or NAME.SIDE), as trp_symptom_parse() does
 * each. The same symptom given twice is merged; a symptom given with a side and without
 * one keeps the sides. An empty list is accepted. *n_out is the number written to out
 * (at most TRP_SYMPTOMS_MAX). */
trp_err trp_symptoms_parse(const char *const *texts, size_t ntexts, trp_located_symptom *out,
			   size_t *n_out, char *msg, size_t msgsize);

/* Parses a pain map of regions and symptoms mixed, as `trp find` takes it: each text is
 * a region (NAME.SIDE[=N]) or a symptom (NAME[.SIDE]), told apart by the name. Regions
 * and symptoms are merged as trp_map_parse() and trp_symptoms_parse() merge them. At
 * least one token is needed. A name of neither vocabulary gets the message of the nearer
 * one: "unknown symptom 'tinitus' (did you mean 'tinnitus'?)" or "unknown region ...". */
trp_err trp_query_parse(const char *const *texts, size_t ntexts, trp_located *regions,
			size_t *nregions, trp_located_symptom *symptoms, size_t *nsymptoms,
			char *msg, size_t msgsize);

/* Ranks every muscle on each side for the map (n located regions, distinct; an
 * intensity of -1 counts as 5, 0 as "not painful") and finds the smallest set of
 * muscles that explains the painful regions, and the cautions the map calls for.
 * Keeps the `top` best candidates (at least 1). The map is copied into the result.
 * Fails with TRP_EINVAL for an empty map, a repeated region, or values out of range. */
trp_err trp_find(const trp_finder *finder, const trp_located *map, size_t n, size_t top,
		 trp_find_result *result);

/* trp_find() for a map of regions and symptoms: n regions as trp_find() takes them and
 * nsymptoms distinct symptoms (each symptom at most once per side, and not both with and
 * without a side). A symptom counts like a painful region of the default intensity that a
 * muscle which gives it reaches through an essential link; it takes part in the
 * explanation like a region. Either list may be empty, not both. The same errors as
 * trp_find(), and TRP_EINVAL for a symptom out of range or a side it does not take. */
trp_err trp_find_symptoms(const trp_finder *finder, const trp_located *map, size_t n,
			  const trp_located_symptom *symptoms, size_t nsymptoms, size_t top,
			  trp_find_result *result);

/* How a candidate accounts for one region of the map. */
typedef enum trp_link {
	TRP_LINK_ESSENTIAL = 0,  /* an essential zone of its pattern */
	TRP_LINK_SPILLOVER = 1,  /* a spillover zone */
	TRP_LINK_LOCAL = 2       /* its trigger point lies there */
} trp_link;

/* "essential", "spillover", "trigger_point". */
const char *trp_link_name(trp_link link);

typedef struct trp_candidate {
	const trp_muscle *muscle;
	trp_side side;
	double score;            /* 0..1: how well the muscle accounts for the map */
} trp_candidate;

/* The ranked candidates, best first: returns how many (at most `top`). */
size_t trp_find_candidates(const trp_find_result *result, const trp_candidate **items);

/* Which regions of the map (indices into trp_find_map()) candidate i accounts for, and
 * how: writes up to max of each into regions/links and returns the number. */
size_t trp_find_explains(const trp_find_result *result, size_t i, size_t *regions,
			 trp_link *links, size_t max);

/* The map as the result holds it. */
size_t trp_find_map(const trp_find_result *result, const trp_located **map);

/* The symptoms of the map as the result holds them (none after trp_find()). */
size_t trp_find_map_symptoms(const trp_find_result *result, const trp_located_symptom **symptoms);

/* Which symptoms of the map (indices into trp_find_map_symptoms()) candidate i accounts
 * for: writes up to max into items and returns the number. */
size_t trp_find_explains_symptoms(const trp_find_result *result, size_t i, size_t *items,
				  size_t max);

/* The side on which `candidate` (a candidate or an explanation member of this result)
 * explains symptom `item` of the map: the side given, or, for a symptom given without
 * one, the side the muscle's rule puts it on (the muscle's own side for a rule of both
 * sides and for a symptom that takes no side). */
trp_side trp_find_symptom_side(const trp_find_result *result, const trp_candidate *candidate,
			       size_t item);

/* The member (index into the explanation) symptom `item` of the map is attributed to, or
 * -1 when no muscle of the atlas gives it. */
int trp_find_symptom_attributed(const trp_find_result *result, size_t item);

/* The explanation: members (muscle with side) and, for every painful region of the map,
 * the member it is attributed to. */
size_t trp_find_explanation(const trp_find_result *result, const trp_candidate **members);

/* The member (index into the explanation) a map region is attributed to; -1 when the
 * region is unexplained or not painful (intensity 0). */
int trp_find_attributed(const trp_find_result *result, size_t region_index);

/* A caution: a map that can signal something other than muscle. */
typedef struct trp_caution_note {
	const char *code;        /* "cardiac", "calf_clot", "headache", "abdomen", "widespread",
				  * and for symptoms "heart_rhythm", "breathing", "numbness",
				  * "swallowing", "dizziness", "bladder", "vision" (docs/find.md) */
	const char *message;     /* what to rule out first and when to call a doctor */
} trp_caution_note;

size_t trp_find_cautions(const trp_find_result *result, const trp_caution_note **items);

/* The result as the JSON object of docs/find.md ({"query", "symptoms", "candidates",
 * "explanation", "unexplained", "cautions"}); free() it. NULL only when out of memory. */
char *trp_find_json(const trp_find_result *result, int pretty);

/* The same JSON written into *buf, a malloc'd buffer of *cap bytes (NULL and 0 to start),
 * which is grown with realloc when too small: the server reuses its buffers this way.
 * Returns the length (the text is NUL-terminated), or 0 when out of memory, in which
 * case *buf and *cap still describe a valid buffer (or NULL) for the caller to free. */
size_t trp_find_json_into(const trp_find_result *result, int pretty, char **buf, size_t *cap);

#ifdef __cplusplus
}
#endif

#endif /* TRP_H */
