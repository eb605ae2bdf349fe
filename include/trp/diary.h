/*
 * diary.h: the diary of pain and sessions, its storage, and what it shows (docs/diary.md).
 *
 * A diary is opened from a target: a file path (SQLite, the default) or, once the clinic
 * back end lands, a PostgreSQL connection string. Every back end implements one table of
 * operations (src/store/store.h); the records and the statistics here do not depend on
 * which one is used. Times are seconds since the Unix epoch (UTC) with the offset east
 * of UTC, in minutes, that the person's clock had then: the offset decides the day an
 * entry belongs to. The library has no clock: callers pass "now" where it matters.
 */
#ifndef TRP_DIARY_H
#define TRP_DIARY_H

#include <stddef.h>
#include <stdint.h>

#include "trp/trp.h"

#ifdef __cplusplus
extern "C" {
#endif

/* ---------------------------------------------------------------- records */

/* How a painful region feels (optional). */
typedef enum trp_quality {
	TRP_QUALITY_NONE = 0,
	TRP_ACHING,
	TRP_BURNING,
	TRP_SHARP,
	TRP_TINGLING,
	TRP_THROBBING,
	TRP_QUALITY_COUNT
} trp_quality;

/* Treatments a session can record (not only the atlas's self-care techniques). */
typedef enum trp_treatment {
	TRP_T_PRESSURE = 0,
	TRP_T_BALL,
	TRP_T_ROLLER,
	TRP_T_STRETCH,
	TRP_T_HEAT,
	TRP_T_MASSAGE,
	TRP_T_DRY_NEEDLING,
	TRP_T_MEDICATION,
	TRP_T_EXERCISE,
	TRP_T_OTHER,
	TRP_TREATMENT_COUNT
} trp_treatment;

/* "aching" ..., "pressure" ...; NULL when out of range. */
const char *trp_quality_name(trp_quality q);
const char *trp_treatment_name(trp_treatment t);
/* The treatment in words for people ("foam roller", "dry needling"); NULL when out of range. */
const char *trp_treatment_label(trp_treatment t);
/* The value named `name`, or -1. */
int trp_quality_parse(const char *name);
int trp_treatment_parse(const char *name);

/* Most regions one pain entry may hold. */
#define TRP_PAIN_REGIONS_MAX TRP_MAP_MAX
/* Longest note, in bytes. */
#define TRP_NOTE_MAX 2000
/* The largest id of an entry or a trial: 2^52, so that every id is exact as a JSON
 * number (a double) and the ids after it still fit. */
#define TRP_ID_MAX 4503599627370496LL

/* A painful region of a pain entry: a located region with its own intensity (0..10)
 * and how it feels. */
typedef struct trp_pain_region {
	int region;
	trp_side side;
	int intensity;
	trp_quality quality;
} trp_pain_region;

typedef enum trp_entry_kind { TRP_PAIN_ENTRY = 0, TRP_SESSION_ENTRY = 1 } trp_entry_kind;

/* One entry of the diary: a pain entry or a session. Fields that do not apply to the
 * kind, and optional values not given, are -1 (numbers) or NULL (text). */
typedef struct trp_entry {
	int64_t id;              /* 0 until stored */
	trp_entry_kind kind;
	int64_t at;              /* seconds since the epoch, UTC */
	int tz;                  /* minutes east of UTC */
	const char *note;        /* or NULL */
	int deleted;             /* 1 when deleted (it can be restored) */
	/* pain */
	trp_pain_region regions[TRP_PAIN_REGIONS_MAX];
	size_t nregions;
	/* session */
	char muscle[64];         /* a muscle id, or "" for a treatment not aimed at one */
	int side;                /* TRP_LEFT, TRP_RIGHT, or -1 */
	trp_treatment treatment;
	int minutes;             /* or -1 */
	int before, after;       /* pain 0..10 just before and just after */
	int later;               /* pain some time after (an hour on, next morning), or -1 */
	int soreness;            /* next-day soreness 0..10, or -1 */
} trp_entry;

/* Sets every field to "not given" for a new entry of the kind. */
void trp_entry_init(trp_entry *e, trp_entry_kind kind);

/* Parses one painful region "NAME.SIDE[=N][:QUALITY]" (no intensity means 5) into r.
 * TRP_EINVAL with msg naming the token, as trp_located_parse() does. */
trp_err trp_pain_region_parse(const char *text, trp_pain_region *r, char *msg, size_t msgsize);

/* Writes the regions of a pain entry as "temple.l=7:aching neck_side.l=4" (the form the
 * store keeps); returns the length needed, as snprintf does. */
size_t trp_pain_map_format(const trp_pain_region *regions, size_t n, char *buf, size_t size);

/* Parses a whole map in that form (tokens separated by spaces) into e->regions; the same
 * located region twice is an error. */
trp_err trp_pain_map_parse(const char *text, trp_entry *e, char *msg, size_t msgsize);

/* Checks that every field of an entry is within its range and that the muscle exists in
 * `atlas` (when the entry names one). msg names the field. */
trp_err trp_entry_check(const trp_entry *e, const trp_atlas *atlas, char *msg, size_t msgsize);

/* The peak intensity of a pain entry (its worst region), or -1 for none. */
int trp_entry_peak(const trp_entry *e);

/* The person's local day of a time: days since 1970-01-01 in their time zone. */
int64_t trp_local_day(int64_t at, int tz);

/* Writes "2026-11-24T08:30:00+01:00" (ISO 8601 with the entry's offset). */
size_t trp_time_format(int64_t at, int tz, char *buf, size_t size);

/* Writes "2026-11-24" for a local day. */
size_t trp_day_format(int64_t day, char *buf, size_t size);

/* Parses an ISO 8601 date or time: "2026-11-24", "2026-11-24T08:30", "...:15",
 * with "Z" or "+01:00"/"-0500" optional. Without an offset the caller decides it:
 * *has_offset is set to 0 and *at is the time as if the offset were zero. */
trp_err trp_time_parse(const char *text, int64_t *at, int *tz, int *has_offset, char *msg,
		       size_t msgsize);

/* The entry as JSON: {"id", "kind": "pain"|"session", "at", ...} (docs/diary.md);
 * free(). NULL only when out of memory. */
char *trp_entry_json(const trp_entry *e, int pretty);

/* Reads an entry of `kind` from its JSON object, the form trp_entry_json() writes (the
 * body of POST /api/pain and /api/sessions): a pain entry takes "regions" (objects
 * {"region": "temple.l", "intensity": 0..10 (default 5), "quality": NAME|null}, or
 * strings "temple.l=7:aching") and optionally "at" and "note"; a session takes
 * "technique", "before", "after" and optionally "at", "muscle" with "side", "minutes",
 * "later", "soreness", "note". "kind" may be given if it matches; other fields are
 * refused. The note is copied into note_buf. "at" must carry its offset; *has_at says
 * whether it was given (the caller supplies "now" when not). The muscle is not looked
 * up (see trp_entry_check). TRP_EINVAL with msg naming the field. */
trp_err trp_entry_parse_json(const char *text, size_t len, trp_entry_kind kind, trp_entry *e,
			     char *note_buf, size_t note_size, int *has_at, char *msg, size_t msgsize);

/* ---------------------------------------------------------------- trials */

/* An n-of-1 trial: treatment A against B in `blocks` blocks of two periods of `days`
 * days each; each block runs AB or BA, drawn at random when the trial starts. */
#define TRP_TRIAL_BLOCKS_MAX 12

typedef struct trp_trial {
	int64_t id;
	trp_treatment a, b;
	int blocks;
	int days;
	int64_t start_day;               /* local day the first period starts */
	char order[TRP_TRIAL_BLOCKS_MAX * 2 + 1];   /* "ABBAAB...": two letters a block */
	int stopped;                     /* 1 when stopped before its end */
} trp_trial;

/* Checks a trial's fields; msg names the field. */
trp_err trp_trial_check(const trp_trial *t, char *msg, size_t msgsize);

/* Draws the AB or BA order of every block from `random` (one bit a block). */
void trp_trial_draw(trp_trial *t, uint32_t random);

/* Which treatment day `day` falls in: 'A' or 'B' (and its block and period through the
 * out-parameters, which may be NULL), or 0 before the start or after the end. */
char trp_trial_on(const trp_trial *t, int64_t day, int *block, int *period);

/* The trial as JSON: {"id", "a", "b", "blocks", "days", "start", "order", "stopped"};
 * free(). NULL only when out of memory. */
char *trp_trial_json(const trp_trial *t);

/* ---------------------------------------------------------------- CSV */

/* Entries and trials as CSV (RFC 4180: fields with commas, quotes or line breaks are
 * quoted, quotes doubled), one header line and one line a record (docs/diary.md). Export
 * and import round-trip every field, deleted entries and ids included. */

/* The header line, with its line break. */
const char *trp_entry_csv_header(void);
const char *trp_trial_csv_header(void);

/* One record as a CSV line with its line break; free(). NULL only when out of memory. */
char *trp_entry_csv(const trp_entry *e);
char *trp_trial_csv(const trp_trial *t);

/* Reads a whole CSV text of entries (or trials), calling fn for each record in order;
 * fn returns non-zero to stop (then TRP_EINVAL). The header must name the columns (in
 * any order; unknown columns are refused). A bad record stops the parse with TRP_EINVAL
 * and msg naming the line and the column. */
trp_err trp_entry_csv_parse(const char *text, size_t len,
			    int (*fn)(const trp_entry *e, void *arg), void *arg,
			    char *msg, size_t msgsize);
trp_err trp_trial_csv_parse(const char *text, size_t len,
			    int (*fn)(const trp_trial *t, void *arg), void *arg,
			    char *msg, size_t msgsize);

/* ---------------------------------------------------------------- JSON export */

/* Reads the document `trp export --json` writes, {"entries": [...], "trials": [...]}
 * (trials may be left out), calling on_entry for each entry (with its id and deleted
 * flag; the note points into storage valid during the call) and on_trial for each trial,
 * in order; either returns non-zero to stop (then TRP_EINVAL). Each entry is read as the
 * API reads a body (trp_entry_parse_json), plus "id" (1 to 2^52) and "deleted". A bad
 * record stops the walk with TRP_EINVAL and msg naming it ("entries[3].at: ..."). */
trp_err trp_export_parse_json(const char *text, size_t len,
			      int (*on_entry)(const trp_entry *e, void *arg),
			      int (*on_trial)(const trp_trial *t, void *arg), void *arg,
			      char *msg, size_t msgsize);

/* ---------------------------------------------------------------- the store */

/* An open diary. One handle serves one thread at a time. */
typedef struct trp_diary trp_diary;

/* Opens (creating if absent) the diary at `target`: a file path for SQLite, or a
 * "postgresql://" or "postgres://" URI. A file that is not a trp diary, or is damaged,
 * is refused with a message naming it and is never written to. */
trp_err trp_diary_open(const char *target, trp_diary **out, char *msg, size_t msgsize);

/* Closes a diary; NULL is a no-op. */
void trp_diary_close(trp_diary *d);

/* The message of the last failed call on d. */
const char *trp_diary_errmsg(const trp_diary *d);

/* Stores a new entry (e->id == 0: it gets an id) or replaces a stored one (e->id > 0;
 * TRP_ENOTFOUND if there is none of that kind). A negative id stores a new entry under
 * the id -e->id (an import keeps its ids; TRP_EINVAL if it is taken). Durable when it
 * returns TRP_OK. */
trp_err trp_diary_put(trp_diary *d, trp_entry *e);

/* Reads the entry `id` (deleted ones too). TRP_ENOTFOUND when there is none. The
 * note points into the handle: valid until the next call on it. */
trp_err trp_diary_get(trp_diary *d, int64_t id, trp_entry *e);

/* Marks an entry deleted (1) or restores it (0). */
trp_err trp_diary_set_deleted(trp_diary *d, int64_t id, int deleted);

/* Calls fn for each entry with at >= since (INT64_MIN for all), oldest first (then by
 * id), skipping deleted ones unless with_deleted. The entry is valid only during the
 * call; fn returns 0 to go on, non-zero to stop the walk early (still TRP_OK). */
trp_err trp_diary_each(trp_diary *d, int64_t since, int with_deleted,
		       int (*fn)(const trp_entry *e, void *arg), void *arg);

/* Trials: store a new one (t->id 0: it gets an id; > 0: it keeps that id, TRP_EINVAL
 * if taken), read the latest not stopped (TRP_ENOTFOUND when none), stop one, and walk
 * all of them oldest first. */
trp_err trp_diary_trial_put(trp_diary *d, trp_trial *t);
trp_err trp_diary_trial_current(trp_diary *d, trp_trial *t);
trp_err trp_diary_trial_stop(trp_diary *d, int64_t id);
trp_err trp_diary_trial_each(trp_diary *d, int (*fn)(const trp_trial *t, void *arg), void *arg);

/* Several writes as one: everything between begin and commit is stored together or not
 * at all (rollback, or a failure in between). */
trp_err trp_diary_begin(trp_diary *d);
trp_err trp_diary_commit(trp_diary *d);
void trp_diary_rollback(trp_diary *d);

/* "sqlite" or "postgresql". */
const char *trp_diary_backend(const trp_diary *d);

/* Looks the whole diary over for damage that a read of a few entries does not meet (for
 * SQLite, its quick_check: every page of every table read and its structure checked; on
 * a ten-year diary it takes tens of milliseconds, docs/diary.md). Reads only. TRP_OK,
 * TRP_EPARSE with the damage named in trp_diary_errmsg(), or TRP_EIO. */
trp_err trp_diary_check(trp_diary *d);

/* How many entries read since the diary was opened held text that is not UTF-8, or
 * control characters (they reached the file before trp checked notes, or by another
 * program): they are handed out with U+FFFD in place of each bad byte, and the file
 * is left as it is. Callers warn when this is not 0. */
size_t trp_diary_repairs(const trp_diary *d);

/* ---------------------------------------------------------------- the report */

/* What the diary shows (src/core/stats.c; the model is docs/diary.md). Built from
 * entries given one at a time, so any store can feed it. */
typedef struct trp_report trp_report;

trp_err trp_report_new(trp_report **out);
void trp_report_free(trp_report *r);

/* Feeds an entry (not deleted) or a trial; the report keeps copies of what it needs. */
trp_err trp_report_add(trp_report *r, const trp_entry *e);
trp_err trp_report_add_trial(trp_report *r, const trp_trial *t);

/* Computes everything for the local day `today` and returns the report as the JSON of
 * docs/diary.md ({"techniques", "trend", "comparisons", "trials", ...}); free().
 * NULL only when out of memory. */
char *trp_report_json(trp_report *r, int64_t today, int pretty);

/* One day of the daily pain the trend is fitted to (docs/diary.md), and the treatments
 * of that day's sessions, for charts. */
typedef struct trp_report_day {
	int64_t day;             /* the local day */
	double pain;             /* the mean of the day's readings, 0..10 */
	unsigned treatments;     /* bit set (1u << trp_treatment) of the day's sessions */
} trp_report_day;

/* The days with readings, in day order: *days points into the report and stays valid
 * until the next trp_report_days() or trp_report_free(); *n is how many. Fails only
 * with TRP_ENOMEM. */
trp_err trp_report_days(trp_report *r, const trp_report_day **days, size_t *n);

/* The immediate effect of one treatment: the number of its sessions, the median change
 * (after minus before, as in the report) and the median's distribution-free 95%
 * interval (order statistics; NAN with fewer than 6 sessions, too few for one). With no
 * sessions, 0 and NAN. TRP_EINVAL for a treatment out of range, TRP_ENOMEM. */
trp_err trp_report_median_change(const trp_report *r, trp_treatment t, int *sessions,
				 double *median, double *low, double *high);

#ifdef __cplusplus
}
#endif

#endif /* TRP_DIARY_H */
