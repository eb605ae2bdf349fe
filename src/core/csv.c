/*
 * csv.c: entries and trials as CSV (RFC 4180), for `trp export --csv` and `trp import
 * --csv`. Every field round-trips: ids, times with their offsets, deleted flags, notes
 * with commas, quotes and line breaks.
 */
#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"
#include "trp/diary.h"

#define FIELDS_MAX 32
#define FIELD_MAX (TRP_NOTE_MAX * 2 + 64)   /* the longest field: a note, or a map */
#define LINE_MAX_LEN (FIELD_MAX * 2)

static const char *const entry_columns[] = {
	"id", "kind", "at", "map", "muscle", "side", "technique", "minutes", "before", "after",
	"later", "soreness", "note", "deleted", NULL
};
static const char *const trial_columns[] = {
	"id", "a", "b", "blocks", "days", "start", "order", "stopped", NULL
};

const char *trp_entry_csv_header(void)
{
	return "id,kind,at,map,muscle,side,technique,minutes,before,after,later,soreness,note,deleted\n";
}

const char *trp_trial_csv_header(void)
{
	return "id,a,b,blocks,days,start,order,stopped\n";
}

/* ---------------------------------------------------------------- writing */

struct out {
	char *buf;
	size_t len, cap;
	int bad;
};

static void put(struct out *o, const char *s, size_t n)
{
	if (o->bad)
		return;
	if (o->len + n + 1 > o->cap) {
		size_t cap = (o->len + n + 1) * 2;
		char *b = realloc(o->buf, cap);

		if (!b) {
			o->bad = 1;
			return;
		}
		o->buf = b;
		o->cap = cap;
	}
	memcpy(o->buf + o->len, s, n);
	o->len += n;
	o->buf[o->len] = '\0';
}

/* A field, quoted when it must be (a quote inside is doubled); `last` ends the line. */
static void field(struct out *o, const char *s, int last)
{
	if (s && s[strcspn(s, ",\"\r\n")]) {
		const char *p;

		put(o, "\"", 1);
		for (p = s; *p; p++) {
			if (*p == '"')
				put(o, "\"\"", 2);
			else
				put(o, p, 1);
		}
		put(o, "\"", 1);
	} else if (s) {
		put(o, s, strlen(s));
	}
	put(o, last ? "\n" : ",", 1);
}

static void int_field(struct out *o, int64_t v, int optional)
{
	char buf[32];

	if (optional && v < 0) {
		field(o, "", 0);
		return;
	}
	snprintf(buf, sizeof buf, "%" PRId64, v);
	field(o, buf, 0);
}

static char *finish(struct out *o)
{
	if (o->bad) {
		free(o->buf);
		return NULL;
	}
	return o->buf;
}

char *trp_entry_csv(const trp_entry *e)
{
	struct out o = { 0 };
	char when[40], map[TRP_PAIN_REGIONS_MAX * 40];
	int session = e->kind == TRP_SESSION_ENTRY;

	trp_time_format(e->at, e->tz, when, sizeof when);
	int_field(&o, e->id, 0);
	field(&o, session ? "session" : "pain", 0);
	field(&o, when, 0);
	if (session) {
		field(&o, "", 0);
		field(&o, e->muscle, 0);
		field(&o, e->side < 0 ? "" : trp_side_code((trp_side)e->side), 0);
		field(&o, trp_treatment_name(e->treatment), 0);
		int_field(&o, e->minutes, 1);
		int_field(&o, e->before, 1);
		int_field(&o, e->after, 1);
		int_field(&o, e->later, 1);
		int_field(&o, e->soreness, 1);
	} else {
		trp_pain_map_format(e->regions, e->nregions, map, sizeof map);
		field(&o, map, 0);
		field(&o, "", 0);
		field(&o, "", 0);
		field(&o, "", 0);
		field(&o, "", 0);
		field(&o, "", 0);
		field(&o, "", 0);
		field(&o, "", 0);
		field(&o, "", 0);
	}
	/* a note is told apart from no note: no note is an empty field, an empty note "" */
	if (e->note && !e->note[0])
		put(&o, "\"\",", 3);
	else
		field(&o, e->note, 0);
	field(&o, e->deleted ? "1" : "0", 1);
	return finish(&o);
}

char *trp_trial_csv(const trp_trial *t)
{
	struct out o = { 0 };
	char start[48];

	trp_day_format(t->start_day, start, sizeof start);
	int_field(&o, t->id, 0);
	field(&o, trp_treatment_name(t->a), 0);
	field(&o, trp_treatment_name(t->b), 0);
	int_field(&o, t->blocks, 0);
	int_field(&o, t->days, 0);
	field(&o, start, 0);
	field(&o, t->order, 0);
	field(&o, t->stopped ? "1" : "0", 1);
	return finish(&o);
}

/* ---------------------------------------------------------------- reading */

struct reader {
	const char *p, *end;
	int line;                   /* of the record being read */
	int next_line;
	char *fields[FIELDS_MAX];
	int quoted[FIELDS_MAX];
	int nfields;
	char buf[LINE_MAX_LEN];
};

/* Reads one record into r->fields; 0 at the end, -1 on a malformed record. */
static int next_record(struct reader *r, char *msg, size_t msgsize)
{
	size_t used = 0;

	r->nfields = 0;
	r->line = r->next_line;
	if (r->p >= r->end)
		return 0;
	for (;;) {
		int quoted = r->p < r->end && *r->p == '"';
		char *start = r->buf + used;

		if (r->nfields == FIELDS_MAX) {
			trp__msg(msg, msgsize, "line %d: more than %d fields", r->line, FIELDS_MAX);
			return -1;
		}
		if (quoted) {
			r->p++;
			for (;;) {
				if (r->p >= r->end) {
					trp__msg(msg, msgsize, "line %d: a quoted field is not closed", r->line);
					return -1;
				}
				if (*r->p == '"') {
					if (r->p + 1 < r->end && r->p[1] == '"') {
						r->p++;
					} else {
						r->p++;
						break;
					}
				}
				if (*r->p == '\n')
					r->next_line++;
				if (used + 1 >= sizeof r->buf) {
					trp__msg(msg, msgsize, "line %d: a field is too long", r->line);
					return -1;
				}
				r->buf[used++] = *r->p++;
			}
		} else {
			while (r->p < r->end && *r->p != ',' && *r->p != '\n' && *r->p != '\r') {
				if (*r->p == '"') {
					trp__msg(msg, msgsize, "line %d: a quote inside an unquoted field", r->line);
					return -1;
				}
				if (used + 1 >= sizeof r->buf) {
					trp__msg(msg, msgsize, "line %d: a field is too long", r->line);
					return -1;
				}
				r->buf[used++] = *r->p++;
			}
		}
		r->buf[used++] = '\0';
		r->quoted[r->nfields] = quoted;
		r->fields[r->nfields++] = start;
		if (r->p < r->end && *r->p == ',') {
			r->p++;
			continue;
		}
		if (r->p < r->end && *r->p == '\r')
			r->p++;
		if (r->p < r->end && *r->p == '\n') {
			r->p++;
			r->next_line++;
		} else if (r->p < r->end) {
			trp__msg(msg, msgsize, "line %d: expected a comma or the end of the line after a quoted field", r->line);
			return -1;
		}
		return 1;
	}
}

/* Maps the header's columns to `columns`: col[k] is the field index of column k. */
static trp_err read_header(struct reader *r, const char *const *columns, int *col,
			   char *msg, size_t msgsize)
{
	int i, k, rc = next_record(r, msg, msgsize);

	if (rc <= 0) {
		if (rc == 0)
			trp__msg(msg, msgsize, "line 1: no header");
		return TRP_EINVAL;
	}
	for (k = 0; columns[k]; k++)
		col[k] = -1;
	for (i = 0; i < r->nfields; i++) {
		for (k = 0; columns[k] && strcmp(columns[k], r->fields[i]) != 0; k++)
			;
		if (!columns[k]) {
			trp__msg(msg, msgsize, "line 1: unknown column '%.32s'", r->fields[i]);
			return TRP_EINVAL;
		}
		if (col[k] >= 0) {
			trp__msg(msg, msgsize, "line 1: column '%s' twice", columns[k]);
			return TRP_EINVAL;
		}
		col[k] = i;
	}
	for (k = 0; columns[k]; k++)
		if (col[k] < 0) {
			trp__msg(msg, msgsize, "line 1: missing column '%s'", columns[k]);
			return TRP_EINVAL;
		}
	return TRP_OK;
}

/* A whole number in [min, max], or -1 for an empty optional field. */
static int read_int(const char *s, int optional, long long min, long long max, long long *v)
{
	char *end;

	if (!*s) {
		*v = -1;
		return optional;
	}
	if (!isdigit((unsigned char)*s) && *s != '-')
		return 0;
	errno = 0;
	*v = strtoll(s, &end, 10);
	/* a number too large for 64 bits saturates: that is out of range, not the maximum */
	return *end == '\0' && errno == 0 && *v >= min && *v <= max;
}

/* Writes "line N: column: why" into msg; `detail` (may be empty) is what the field's own
 * parser said. */
static trp_err bad(const struct reader *r, char *msg, size_t msgsize, const char *column,
		   const char *why, const char *detail)
{
	trp__msg(msg, msgsize, "line %d: %s: %s%s%s", r->line, column, why,
		 *detail ? ": " : "", detail);
	return TRP_EINVAL;
}

trp_err trp_entry_csv_parse(const char *text, size_t len,
			    int (*fn)(const trp_entry *e, void *arg), void *arg,
			    char *msg, size_t msgsize)
{
	enum { ID, KIND, AT, MAP, MUSCLE, SIDE, TECH, MIN, BEFORE, AFTER, LATER, SORE, NOTE, DEL };
	struct reader *r;
	trp_entry *e;
	int col[FIELDS_MAX], rc, has_offset;
	trp_err err;

	r = malloc(sizeof *r);
	e = malloc(sizeof *e);
	if (!r || !e) {
		free(r);
		free(e);
		return TRP_ENOMEM;
	}
	r->p = text;
	r->end = text + len;
	r->next_line = 1;
	if ((err = read_header(r, entry_columns, col, msg, msgsize)))
		goto done;
	while ((rc = next_record(r, msg, msgsize)) > 0) {
		const char *f[FIELDS_MAX];
		char detail[256] = "";
		long long v;
		int k, t;

		if (r->nfields == 1 && !r->fields[0][0] && !r->quoted[0])
			continue;   /* a blank line */
		if (r->nfields != 14) {
			trp__msg(msg, msgsize, "line %d: expected 14 fields, found %d", r->line, r->nfields);
			err = TRP_EINVAL;
			goto done;
		}
		for (k = 0; k < 14; k++)
			f[k] = r->fields[col[k]];
		if (strcmp(f[KIND], "pain") != 0 && strcmp(f[KIND], "session") != 0) {
			err = bad(r, msg, msgsize, "kind", "expected pain or session", detail);
			goto done;
		}
		trp_entry_init(e, strcmp(f[KIND], "pain") == 0 ? TRP_PAIN_ENTRY : TRP_SESSION_ENTRY);
		if (!read_int(f[ID], 0, 1, TRP_ID_MAX, &v)) {
			err = bad(r, msg, msgsize, "id", "expected a whole number from 1 to 4503599627370496 (2^52)", detail);
			goto done;
		}
		e->id = v;
		if (trp_time_parse(f[AT], &e->at, &e->tz, &has_offset, detail, sizeof detail) || !has_offset) {
			err = bad(r, msg, msgsize, "at", "expected a time with its offset, such as 2026-11-24T08:30:00+01:00", detail);
			goto done;
		}
		if (e->kind == TRP_PAIN_ENTRY) {
			if (trp_pain_map_parse(f[MAP], e, detail, sizeof detail)) {
				err = bad(r, msg, msgsize, "map", "bad map", detail);
				goto done;
			}
		} else {
			snprintf(e->muscle, sizeof e->muscle, "%s", f[MUSCLE]);
			if (strlen(f[MUSCLE]) >= sizeof e->muscle) {
				err = bad(r, msg, msgsize, "muscle", "too long", detail);
				goto done;
			}
			e->side = !*f[SIDE] ? -1 : strcmp(f[SIDE], "l") == 0 ? TRP_LEFT
				: strcmp(f[SIDE], "r") == 0 ? TRP_RIGHT : -2;
			if (e->side == -2) {
				err = bad(r, msg, msgsize, "side", "expected l, r or nothing", detail);
				goto done;
			}
			t = trp_treatment_parse(f[TECH]);
			if (t < 0) {
				err = bad(r, msg, msgsize, "technique", "unknown technique", detail);
				goto done;
			}
			e->treatment = (trp_treatment)t;
			if (!read_int(f[MIN], 1, 0, 1440, &v)) {
				err = bad(r, msg, msgsize, "minutes", "expected 0 to 1440 or nothing", detail);
				goto done;
			}
			e->minutes = (int)v;
			if (!read_int(f[BEFORE], 0, 0, 10, &v)) {
				err = bad(r, msg, msgsize, "before", "expected 0 to 10", detail);
				goto done;
			}
			e->before = (int)v;
			if (!read_int(f[AFTER], 0, 0, 10, &v)) {
				err = bad(r, msg, msgsize, "after", "expected 0 to 10", detail);
				goto done;
			}
			e->after = (int)v;
			if (!read_int(f[LATER], 1, 0, 10, &v)) {
				err = bad(r, msg, msgsize, "later", "expected 0 to 10 or nothing", detail);
				goto done;
			}
			e->later = (int)v;
			if (!read_int(f[SORE], 1, 0, 10, &v)) {
				err = bad(r, msg, msgsize, "soreness", "expected 0 to 10 or nothing", detail);
				goto done;
			}
			e->soreness = (int)v;
		}
		e->note = *f[NOTE] || r->quoted[col[NOTE]] ? f[NOTE] : NULL;
		if (strcmp(f[DEL], "0") != 0 && strcmp(f[DEL], "1") != 0) {
			err = bad(r, msg, msgsize, "deleted", "expected 0 or 1", detail);
			goto done;
		}
		e->deleted = f[DEL][0] == '1';
		if (trp_entry_check(e, NULL, detail, sizeof detail)) {
			err = bad(r, msg, msgsize, "record", "out of range", detail);
			goto done;
		}
		if (fn(e, arg)) {
			err = TRP_EINVAL;
			goto done;
		}
	}
	err = rc < 0 ? TRP_EINVAL : TRP_OK;
done:
	free(r);
	free(e);
	return err;
}

trp_err trp_trial_csv_parse(const char *text, size_t len,
			    int (*fn)(const trp_trial *t, void *arg), void *arg,
			    char *msg, size_t msgsize)
{
	enum { ID, A, B, BLOCKS, DAYS, START, ORDER, STOPPED };
	struct reader *r = malloc(sizeof *r);
	int col[FIELDS_MAX], rc, has_offset, tz;
	trp_err err;

	if (!r)
		return TRP_ENOMEM;
	r->p = text;
	r->end = text + len;
	r->next_line = 1;
	if ((err = read_header(r, trial_columns, col, msg, msgsize)))
		goto done;
	while ((rc = next_record(r, msg, msgsize)) > 0) {
		const char *f[8];
		char detail[256] = "";
		trp_trial t;
		long long v;
		int64_t at;
		int k, a, b;

		if (r->nfields == 1 && !r->fields[0][0] && !r->quoted[0])
			continue;
		if (r->nfields != 8) {
			trp__msg(msg, msgsize, "line %d: expected 8 fields, found %d", r->line, r->nfields);
			err = TRP_EINVAL;
			goto done;
		}
		for (k = 0; k < 8; k++)
			f[k] = r->fields[col[k]];
		memset(&t, 0, sizeof t);
		a = trp_treatment_parse(f[A]);
		b = trp_treatment_parse(f[B]);
		if (!read_int(f[ID], 0, 1, TRP_ID_MAX, &v)) {
			err = bad(r, msg, msgsize, "id", "expected a whole number from 1 to 4503599627370496 (2^52)", detail);
			goto done;
		}
		t.id = v;
		if (a < 0 || b < 0) {
			err = bad(r, msg, msgsize, a < 0 ? "a" : "b", "unknown treatment", detail);
			goto done;
		}
		t.a = (trp_treatment)a;
		t.b = (trp_treatment)b;
		if (!read_int(f[BLOCKS], 0, 1, 100, &v)) {
			err = bad(r, msg, msgsize, "blocks", "expected a whole number", detail);
			goto done;
		}
		t.blocks = (int)v;
		if (!read_int(f[DAYS], 0, 1, 100, &v)) {
			err = bad(r, msg, msgsize, "days", "expected a whole number", detail);
			goto done;
		}
		t.days = (int)v;
		if (trp_time_parse(f[START], &at, &tz, &has_offset, detail, sizeof detail) || has_offset) {
			err = bad(r, msg, msgsize, "start", "expected a date, such as 2026-11-24", detail);
			goto done;
		}
		t.start_day = trp_local_day(at, 0);
		if (strlen(f[ORDER]) >= sizeof t.order) {
			err = bad(r, msg, msgsize, "order", "too long", detail);
			goto done;
		}
		snprintf(t.order, sizeof t.order, "%s", f[ORDER]);
		if (strcmp(f[STOPPED], "0") != 0 && strcmp(f[STOPPED], "1") != 0) {
			err = bad(r, msg, msgsize, "stopped", "expected 0 or 1", detail);
			goto done;
		}
		t.stopped = f[STOPPED][0] == '1';
		if (trp_trial_check(&t, detail, sizeof detail)) {
			err = bad(r, msg, msgsize, "record", "out of range", detail);
			goto done;
		}
		if (fn(&t, arg)) {
			err = TRP_EINVAL;
			goto done;
		}
	}
	err = rc < 0 ? TRP_EINVAL : TRP_OK;
done:
	free(r);
	return err;
}
