/*
 * diary.c: the records of the diary (pain entries, sessions, trials) as values: parsing
 * and formatting them, checking their ranges, dates and times, and their JSON. No
 * storage here (src/store/) and no clock: times come in as arguments.
 */
#include <ctype.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "internal.h"
#include "trp/diary.h"

static const char *const qualities[] = {
	NULL, "aching", "burning", "sharp", "tingling", "throbbing"
};

static const char *const treatments[] = {
	"pressure", "ball", "roller", "stretch", "heat", "massage", "dry_needling",
	"medication", "exercise", "other"
};

static const char *const treatment_labels[] = {
	"pressure", "ball", "foam roller", "stretching", "heat", "massage", "dry needling",
	"medication", "exercise", "other"
};

const char *trp_treatment_label(trp_treatment t)
{
	return (unsigned)t < TRP_TREATMENT_COUNT ? treatment_labels[t] : NULL;
}

const char *trp_quality_name(trp_quality q)
{
	return (unsigned)q < TRP_QUALITY_COUNT ? qualities[q] : NULL;
}

const char *trp_treatment_name(trp_treatment t)
{
	return (unsigned)t < TRP_TREATMENT_COUNT ? treatments[t] : NULL;
}

int trp_quality_parse(const char *name)
{
	int i;

	for (i = 1; name && i < TRP_QUALITY_COUNT; i++)
		if (strcmp(qualities[i], name) == 0)
			return i;
	return -1;
}

int trp_treatment_parse(const char *name)
{
	int i;

	for (i = 0; name && i < TRP_TREATMENT_COUNT; i++)
		if (strcmp(treatments[i], name) == 0)
			return i;
	return -1;
}

void trp_entry_init(trp_entry *e, trp_entry_kind kind)
{
	memset(e, 0, sizeof *e);
	e->kind = kind;
	e->side = -1;
	e->treatment = TRP_T_OTHER;
	e->minutes = -1;
	e->before = e->after = -1;
	e->later = e->soreness = -1;
}

/* ---------------------------------------------------------------- pain maps */

trp_err trp_pain_region_parse(const char *text, trp_pain_region *r, char *msg, size_t msgsize)
{
	char token[128];
	const char *colon;
	trp_located loc;
	int q = TRP_QUALITY_NONE;
	size_t len;

	memset(r, 0, sizeof *r);
	if (!text) {
		trp__msg(msg, msgsize, "no region given");
		return TRP_EINVAL;
	}
	colon = strchr(text, ':');
	len = colon ? (size_t)(colon - text) : strlen(text);
	if (len >= sizeof token) {
		trp__msg(msg, msgsize, "region '%.48s...' is too long", text);
		return TRP_EINVAL;
	}
	memcpy(token, text, len);
	token[len] = '\0';
	if (colon) {
		q = trp_quality_parse(colon + 1);
		if (q < 0) {
			trp__msg(msg, msgsize, "unknown quality '%.32s' in '%.64s' (expected aching, "
				 "burning, sharp, tingling or throbbing)", colon + 1, text);
			return TRP_EINVAL;
		}
	}
	if (trp_located_parse(token, &loc, msg, msgsize))
		return TRP_EINVAL;
	r->region = loc.region;
	r->side = loc.side;
	r->intensity = loc.intensity < 0 ? 5 : loc.intensity;
	r->quality = (trp_quality)q;
	return TRP_OK;
}

size_t trp_pain_map_format(const trp_pain_region *regions, size_t n, char *buf, size_t size)
{
	size_t used = 0, i;

	if (size)
		buf[0] = '\0';
	for (i = 0; i < n; i++) {
		const trp_pain_region *r = &regions[i];
		int w = snprintf(used < size ? buf + used : NULL, used < size ? size - used : 0,
				 "%s%s.%s=%d%s%s", i ? " " : "", trp_region_name(r->region),
				 trp_side_code(r->side), r->intensity, r->quality ? ":" : "",
				 r->quality ? trp_quality_name(r->quality) : "");

		if (w > 0)
			used += (size_t)w;
	}
	return used;
}

trp_err trp_pain_map_parse(const char *text, trp_entry *e, char *msg, size_t msgsize)
{
	const char *p = text;
	size_t i;

	e->nregions = 0;
	while (p && *p) {
		char token[160];
		size_t len;

		p += strspn(p, " \t");
		len = strcspn(p, " \t");
		if (len == 0)
			break;
		if (len >= sizeof token) {
			trp__msg(msg, msgsize, "region '%.48s...' is too long", p);
			return TRP_EINVAL;
		}
		if (e->nregions == TRP_PAIN_REGIONS_MAX) {
			trp__msg(msg, msgsize, "more than %d regions", TRP_PAIN_REGIONS_MAX);
			return TRP_EINVAL;
		}
		memcpy(token, p, len);
		token[len] = '\0';
		if (trp_pain_region_parse(token, &e->regions[e->nregions], msg, msgsize))
			return TRP_EINVAL;
		for (i = 0; i < e->nregions; i++)
			if (e->regions[i].region == e->regions[e->nregions].region &&
			    e->regions[i].side == e->regions[e->nregions].side) {
				trp__msg(msg, msgsize, "region '%s.%s' given twice",
					 trp_region_name(e->regions[i].region), trp_side_code(e->regions[i].side));
				return TRP_EINVAL;
			}
		e->nregions++;
		p += len;
	}
	if (e->nregions == 0) {
		trp__msg(msg, msgsize, "no regions (expected NAME.SIDE[=N][:QUALITY]..., such as temple.l=6:aching)");
		return TRP_EINVAL;
	}
	return TRP_OK;
}

int trp_entry_peak(const trp_entry *e)
{
	int peak = -1;
	size_t i;

	for (i = 0; i < e->nregions; i++)
		if (e->regions[i].intensity > peak)
			peak = e->regions[i].intensity;
	return peak;
}

/* ---------------------------------------------------------------- checks */

static int pain_value(int v, int optional)
{
	return (v >= 0 && v <= 10) || (optional && v == -1);
}

trp_err trp_entry_check(const trp_entry *e, const trp_atlas *atlas, char *msg, size_t msgsize)
{
	size_t i, j;

	if (e->kind != TRP_PAIN_ENTRY && e->kind != TRP_SESSION_ENTRY) {
		trp__msg(msg, msgsize, "kind: expected pain or session");
		return TRP_EINVAL;
	}
	if (e->tz < -14 * 60 || e->tz > 14 * 60) {
		trp__msg(msg, msgsize, "time zone offset %d min is out of range (-14:00 to +14:00)", e->tz);
		return TRP_EINVAL;
	}
	/* 1900 to 2200: anything outside is a typo, not a diary entry */
	if (e->at < -2208988800LL || e->at > 7258118400LL) {
		trp__msg(msg, msgsize, "time is out of range (years 1900 to 2200)");
		return TRP_EINVAL;
	}
	/* an imported id (negative: kept as it is) up to 2^52, so that the ids the diary
	 * then hands out still fit a JSON number exactly (up to 2^53) */
	if (e->id < -TRP_ID_MAX || e->id > 2 * TRP_ID_MAX) {
		trp__msg(msg, msgsize, "id: expected a whole number from 1 to %lld (2^52)", TRP_ID_MAX);
		return TRP_EINVAL;
	}
	if (e->note) {
		size_t len = strlen(e->note), bad;

		if (len > TRP_NOTE_MAX) {
			trp__msg(msg, msgsize, "note is longer than %d bytes", TRP_NOTE_MAX);
			return TRP_EINVAL;
		}
		bad = trp_text_check(e->note, len, 1);
		if (bad) {
			trp__msg(msg, msgsize, "note: byte %zu is not UTF-8 text or is a control character "
				 "(a note is UTF-8 text; tabs and line breaks are allowed)", bad);
			return TRP_EINVAL;
		}
	}
	if (e->kind == TRP_PAIN_ENTRY) {
		if (e->nregions == 0 || e->nregions > TRP_PAIN_REGIONS_MAX) {
			trp__msg(msg, msgsize, "a pain entry needs at least one region");
			return TRP_EINVAL;
		}
		for (i = 0; i < e->nregions; i++) {
			const trp_pain_region *r = &e->regions[i];

			if (!trp_region_name(r->region) || (unsigned)r->side > 1 ||
			    !pain_value(r->intensity, 0) || (unsigned)r->quality >= TRP_QUALITY_COUNT) {
				trp__msg(msg, msgsize, "region %zu is out of range", i + 1);
				return TRP_EINVAL;
			}
			for (j = 0; j < i; j++)
				if (e->regions[j].region == r->region && e->regions[j].side == r->side) {
					trp__msg(msg, msgsize, "region '%s.%s' given twice",
						 trp_region_name(r->region), trp_side_code(r->side));
					return TRP_EINVAL;
				}
		}
		return TRP_OK;
	}
	if ((unsigned)e->treatment >= TRP_TREATMENT_COUNT) {
		trp__msg(msg, msgsize, "technique: expected pressure, ball, roller, stretch, heat, "
			 "massage, dry_needling, medication, exercise or other");
		return TRP_EINVAL;
	}
	if (!pain_value(e->before, 0)) {
		trp__msg(msg, msgsize, "before: expected pain from 0 to 10");
		return TRP_EINVAL;
	}
	if (!pain_value(e->after, 0)) {
		trp__msg(msg, msgsize, "after: expected pain from 0 to 10");
		return TRP_EINVAL;
	}
	if (!pain_value(e->later, 1)) {
		trp__msg(msg, msgsize, "later: expected pain from 0 to 10");
		return TRP_EINVAL;
	}
	if (!pain_value(e->soreness, 1)) {
		trp__msg(msg, msgsize, "soreness: expected 0 to 10");
		return TRP_EINVAL;
	}
	if (e->minutes < -1 || e->minutes > 24 * 60) {
		trp__msg(msg, msgsize, "minutes: expected 0 to 1440");
		return TRP_EINVAL;
	}
	if (memchr(e->muscle, '\0', sizeof e->muscle) == NULL) {
		trp__msg(msg, msgsize, "muscle: too long");
		return TRP_EINVAL;
	}
	if (e->muscle[strspn(e->muscle, "abcdefghijklmnopqrstuvwxyz0123456789_")] != '\0') {
		trp__msg(msg, msgsize, "muscle: expected a muscle identifier (lower-case letters, digits "
			 "and '_', such as trapezius_upper)");
		return TRP_EINVAL;
	}
	if (e->muscle[0] && e->side != TRP_LEFT && e->side != TRP_RIGHT) {
		trp__msg(msg, msgsize, "side: a session on a muscle needs its side, l or r");
		return TRP_EINVAL;
	}
	if (!e->muscle[0] && e->side != -1) {
		trp__msg(msg, msgsize, "side: given without a muscle");
		return TRP_EINVAL;
	}
	if (e->muscle[0] && atlas && !trp_atlas_find(atlas, e->muscle)) {
		trp__msg(msg, msgsize, "muscle: unknown muscle '%s'", e->muscle);
		return TRP_ENOTFOUND;
	}
	return TRP_OK;
}

/* ---------------------------------------------------------------- dates and times */

/* Days since 1970-01-01 of a date in the proleptic Gregorian calendar: count whole
 * 400-year eras (146097 days each) from 0000-03-01, with March as the first month so
 * that the leap day falls at the end of the year. */
static int64_t days_from_date(int64_t y, int m, int d)
{
	int64_t era, yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = y - era * 400;
	doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

/* The inverse of days_from_date. */
static void date_from_days(int64_t z, int64_t *y, int *m, int *d)
{
	int64_t era, doe, yoe, doy, mp;

	z += 719468;
	era = (z >= 0 ? z : z - 146096) / 146097;
	doe = z - era * 146097;
	yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	mp = (5 * doy + 2) / 153;
	*d = (int)(doy - (153 * mp + 2) / 5 + 1);
	*m = (int)(mp < 10 ? mp + 3 : mp - 9);
	*y = yoe + era * 400 + (*m <= 2);
}

static int64_t floor_div(int64_t a, int64_t b)
{
	return a / b - (a % b != 0 && (a < 0) != (b < 0));
}

int64_t trp_local_day(int64_t at, int tz)
{
	return floor_div(at + (int64_t)tz * 60, 86400);
}

size_t trp_time_format(int64_t at, int tz, char *buf, size_t size)
{
	int64_t local = at + (int64_t)tz * 60, day = floor_div(local, 86400), y;
	int64_t secs = local - day * 86400;
	int m, d, off = tz < 0 ? -tz : tz, n;

	date_from_days(day, &y, &m, &d);
	n = snprintf(buf, size, "%04" PRId64 "-%02d-%02dT%02d:%02d:%02d%c%02d:%02d", y, m, d,
		     (int)(secs / 3600), (int)(secs / 60 % 60), (int)(secs % 60), tz < 0 ? '-' : '+',
		     off / 60, off % 60);
	return n < 0 ? 0 : (size_t)n;
}

size_t trp_day_format(int64_t day, char *buf, size_t size)
{
	int64_t y;
	int m, d, n;

	date_from_days(day, &y, &m, &d);
	n = snprintf(buf, size, "%04" PRId64 "-%02d-%02d", y, m, d);
	return n < 0 ? 0 : (size_t)n;
}

/* Reads exactly n digits at *p into *v. */
static int digits(const char **p, int n, int *v)
{
	int i;

	*v = 0;
	for (i = 0; i < n; i++) {
		if (!isdigit((unsigned char)(*p)[i]))
			return 0;
		*v = *v * 10 + ((*p)[i] - '0');
	}
	*p += n;
	return 1;
}

trp_err trp_time_parse(const char *text, int64_t *at, int *tz, int *has_offset, char *msg,
		       size_t msgsize)
{
	static const int mdays[] = { 31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
	const char *p = text;
	int y, mo, d, h = 0, mi = 0, s = 0, oh = 0, om = 0, sign = 1;

	*at = 0;
	*tz = 0;
	*has_offset = 0;
	if (!p || !digits(&p, 4, &y) || *p++ != '-' || !digits(&p, 2, &mo) || *p++ != '-' ||
	    !digits(&p, 2, &d))
		goto bad;
	if (*p == 'T' || *p == 't' || *p == ' ') {
		p++;
		if (!digits(&p, 2, &h) || *p++ != ':' || !digits(&p, 2, &mi))
			goto bad;
		if (*p == ':') {
			p++;
			if (!digits(&p, 2, &s))
				goto bad;
		}
	}
	if (*p == 'Z' || *p == 'z') {
		p++;
		*has_offset = 1;
	} else if (*p == '+' || *p == '-') {
		sign = *p++ == '-' ? -1 : 1;
		if (!digits(&p, 2, &oh))
			goto bad;
		if (*p == ':')
			p++;
		if (!digits(&p, 2, &om))
			goto bad;
		*has_offset = 1;
	}
	if (*p != '\0')
		goto bad;
	if (mo < 1 || mo > 12 || d < 1 || d > mdays[mo - 1] ||
	    (mo == 2 && d == 29 && !(y % 4 == 0 && (y % 100 != 0 || y % 400 == 0))) ||
	    h > 23 || mi > 59 || s > 59 || oh > 14 || om > 59 || y < 1900 || y > 2199) {
		trp__msg(msg, msgsize, "'%.40s' is not a real date and time", text);
		return TRP_EINVAL;
	}
	*tz = sign * (oh * 60 + om);
	*at = days_from_date(y, mo, d) * 86400 + h * 3600 + mi * 60 + s - (int64_t)*tz * 60;
	return TRP_OK;
bad:
	trp__msg(msg, msgsize, "bad time '%.40s' (expected YYYY-MM-DD or YYYY-MM-DDTHH:MM[:SS], "
		 "optionally with Z or +HH:MM)", text ? text : "");
	return TRP_EINVAL;
}

/* ---------------------------------------------------------------- JSON */

static json_t *int_or_null(int v)
{
	return v < 0 ? json_null() : json_integer(v);
}

/* A note as a JSON string; one that is not text (it reached the diary some other way)
 * with its bad bytes replaced, since JSON can carry only UTF-8. */
static json_t *note_json(const char *note)
{
	size_t len = strlen(note), need;
	char *fixed;
	json_t *v;

	if (trp_text_check(note, len, 1) == 0)
		return json_stringn(note, len);
	need = trp_text_repair(note, len, 1, NULL, 0, NULL) + 1;
	fixed = malloc(need);
	if (!fixed)
		return NULL;
	trp_text_repair(note, len, 1, fixed, need, NULL);
	v = json_string(fixed);
	free(fixed);
	return v;
}

char *trp_entry_json(const trp_entry *e, int pretty)
{
	char when[40];
	json_t *o;
	char *s;
	size_t i;

	trp_time_format(e->at, e->tz, when, sizeof when);
	o = json_pack("{s:I, s:s, s:s}", "id", (json_int_t)e->id,
		      "kind", e->kind == TRP_PAIN_ENTRY ? "pain" : "session", "at", when);
	if (!o)
		return NULL;
	if (e->kind == TRP_PAIN_ENTRY) {
		json_t *regions = json_array();

		for (i = 0; regions && i < e->nregions; i++) {
			char loc[64];
			const trp_pain_region *r = &e->regions[i];

			snprintf(loc, sizeof loc, "%s.%s", trp_region_name(r->region), trp_side_code(r->side));
			if (json_array_append_new(regions, json_pack("{s:s, s:i, s:o}", "region", loc,
					"intensity", r->intensity, "quality",
					r->quality ? json_string(trp_quality_name(r->quality)) : json_null()))) {
				json_decref(regions);
				regions = NULL;
			}
		}
		if (!regions || json_object_set_new(o, "regions", regions))
			goto nomem;
	} else {
		json_t *fields = json_pack("{s:o, s:o, s:s, s:o, s:i, s:i, s:o, s:o}",
			"muscle", e->muscle[0] ? json_string(e->muscle) : json_null(),
			"side", e->side < 0 ? json_null() : json_string(trp_side_code((trp_side)e->side)),
			"technique", trp_treatment_name(e->treatment),
			"minutes", int_or_null(e->minutes),
			"before", e->before, "after", e->after,
			"later", int_or_null(e->later),
			"soreness", int_or_null(e->soreness));

		if (!fields || json_object_update(o, fields)) {
			json_decref(fields);
			goto nomem;
		}
		json_decref(fields);
	}
	if (json_object_set_new(o, "note", e->note ? note_json(e->note) : json_null()) ||
	    json_object_set_new(o, "deleted", json_boolean(e->deleted)))
		goto nomem;
	s = json_dumps(o, pretty ? JSON_INDENT(2) : JSON_COMPACT);
	json_decref(o);
	return s;
nomem:
	json_decref(o);
	return NULL;
}

/* ---------------------------------------------------------------- trials */

trp_err trp_trial_check(const trp_trial *t, char *msg, size_t msgsize)
{
	int i;

	if (t->id < 0 || t->id > 2 * TRP_ID_MAX) {
		trp__msg(msg, msgsize, "id: expected a whole number from 1 to %lld (2^52)", TRP_ID_MAX);
		return TRP_EINVAL;
	}
	if ((unsigned)t->a >= TRP_TREATMENT_COUNT || (unsigned)t->b >= TRP_TREATMENT_COUNT) {
		trp__msg(msg, msgsize, "treatments: expected two of pressure, ball, roller, stretch, "
			 "heat, massage, dry_needling, medication, exercise, other");
		return TRP_EINVAL;
	}
	if (t->a == t->b) {
		trp__msg(msg, msgsize, "treatments: A and B must differ");
		return TRP_EINVAL;
	}
	if (t->blocks < 3 || t->blocks > TRP_TRIAL_BLOCKS_MAX) {
		trp__msg(msg, msgsize, "blocks: expected 3 to %d (at least 3 are needed for a verdict)",
			 TRP_TRIAL_BLOCKS_MAX);
		return TRP_EINVAL;
	}
	if (t->days < 1 || t->days > 28) {
		trp__msg(msg, msgsize, "days: expected 1 to 28 days a period");
		return TRP_EINVAL;
	}
	if (strlen(t->order) != (size_t)t->blocks * 2) {
		trp__msg(msg, msgsize, "order: expected two letters a block");
		return TRP_EINVAL;
	}
	for (i = 0; i < t->blocks; i++) {
		const char *b = t->order + 2 * i;

		if (!((b[0] == 'A' && b[1] == 'B') || (b[0] == 'B' && b[1] == 'A'))) {
			trp__msg(msg, msgsize, "order: each block must be AB or BA");
			return TRP_EINVAL;
		}
	}
	return TRP_OK;
}

void trp_trial_draw(trp_trial *t, uint32_t random)
{
	int i;

	for (i = 0; i < t->blocks && i < TRP_TRIAL_BLOCKS_MAX; i++) {
		int ab = (random >> i) & 1;

		t->order[2 * i] = ab ? 'A' : 'B';
		t->order[2 * i + 1] = ab ? 'B' : 'A';
	}
	t->order[2 * (t->blocks < TRP_TRIAL_BLOCKS_MAX ? t->blocks : TRP_TRIAL_BLOCKS_MAX)] = '\0';
}

char trp_trial_on(const trp_trial *t, int64_t day, int *block, int *period)
{
	int64_t k;

	if (day < t->start_day || t->days < 1)
		return 0;
	k = (day - t->start_day) / t->days;     /* period number from the start */
	if (k >= (int64_t)t->blocks * 2)
		return 0;
	if (block)
		*block = (int)(k / 2);
	if (period)
		*period = (int)(k % 2);
	return t->order[k];
}

char *trp_trial_json(const trp_trial *t)
{
	char start[48];
	json_t *o;
	char *s;

	trp_day_format(t->start_day, start, sizeof start);
	o = json_pack("{s:I, s:s, s:s, s:i, s:i, s:s, s:s, s:b}", "id", (json_int_t)t->id,
		      "a", trp_treatment_name(t->a), "b", trp_treatment_name(t->b),
		      "blocks", t->blocks, "days", t->days, "start", start, "order", t->order,
		      "stopped", t->stopped);
	if (!o)
		return NULL;
	s = json_dumps(o, JSON_COMPACT);
	json_decref(o);
	return s;
}

/* ---------------------------------------------------------------- entries from JSON */

static const char *const pain_fields[] = { "kind", "at", "regions", "note", NULL };
static const char *const session_fields[] = {
	"kind", "at", "muscle", "side", "technique", "minutes", "before", "after", "later",
	"soreness", "note", NULL
};

static int known(const char *const *fields, const char *key)
{
	for (; *fields; fields++)
		if (strcmp(*fields, key) == 0)
			return 1;
	return 0;
}

/* An integer field in [min, max]; absent or null gives `none` when optional. */
static trp_err int_field(json_t *o, const char *key, int optional, int min, int max, int none,
			 int *out, char *msg, size_t msgsize)
{
	json_t *v = json_object_get(o, key);

	if (!v || json_is_null(v)) {
		if (optional) {
			*out = none;
			return TRP_OK;
		}
		trp__msg(msg, msgsize, "%s: missing (expected a whole number from %d to %d)", key, min, max);
		return TRP_EINVAL;
	}
	if (!json_is_integer(v) || json_integer_value(v) < min || json_integer_value(v) > max) {
		trp__msg(msg, msgsize, "%s: expected a whole number from %d to %d", key, min, max);
		return TRP_EINVAL;
	}
	*out = (int)json_integer_value(v);
	return TRP_OK;
}

static trp_err json_regions(json_t *arr, trp_entry *e, char *msg, size_t msgsize)
{
	char why[256];
	json_t *v;
	size_t i, j;

	if (!json_is_array(arr) || json_array_size(arr) == 0) {
		trp__msg(msg, msgsize, "regions: expected a non-empty list of regions");
		return TRP_EINVAL;
	}
	if (json_array_size(arr) > TRP_PAIN_REGIONS_MAX) {
		trp__msg(msg, msgsize, "regions: more than %d", TRP_PAIN_REGIONS_MAX);
		return TRP_EINVAL;
	}
	e->nregions = 0;
	json_array_foreach(arr, i, v) {
		trp_pain_region *r = &e->regions[i];

		if (json_is_string(v)) {
			if (trp_pain_region_parse(json_string_value(v), r, why, sizeof why)) {
				trp__msg(msg, msgsize, "regions[%zu]: %s", i, why);
				return TRP_EINVAL;
			}
		} else if (json_is_object(v)) {
			json_t *name = json_object_get(v, "region"), *q = json_object_get(v, "quality");
			const char *key;
			json_t *x;
			trp_located loc;
			int in;

			json_object_foreach(v, key, x)
				if (strcmp(key, "region") && strcmp(key, "intensity") && strcmp(key, "quality")) {
					trp__msg(msg, msgsize, "regions[%zu].%.32s: unknown field (expected region, "
						 "intensity, quality)", i, key);
					return TRP_EINVAL;
				}
			if (!json_is_string(name) || trp_located_parse(json_string_value(name), &loc, why, sizeof why)) {
				trp__msg(msg, msgsize, "regions[%zu].region: %s", i,
					 json_is_string(name) ? why : "expected a located region such as \"temple.l\"");
				return TRP_EINVAL;
			}
			if (loc.intensity >= 0) {
				trp__msg(msg, msgsize, "regions[%zu].region: give the intensity as \"intensity\"", i);
				return TRP_EINVAL;
			}
			if (int_field(v, "intensity", 1, 0, 10, 5, &in, why, sizeof why)) {
				trp__msg(msg, msgsize, "regions[%zu].%s", i, why);
				return TRP_EINVAL;
			}
			r->region = loc.region;
			r->side = loc.side;
			r->intensity = in;
			r->quality = TRP_QUALITY_NONE;
			if (q && !json_is_null(q)) {
				int qv = json_is_string(q) ? trp_quality_parse(json_string_value(q)) : -1;

				if (qv < 0) {
					trp__msg(msg, msgsize, "regions[%zu].quality: expected aching, burning, sharp, "
						 "tingling, throbbing or null", i);
					return TRP_EINVAL;
				}
				r->quality = (trp_quality)qv;
			}
		} else {
			trp__msg(msg, msgsize, "regions[%zu]: expected an object or a string", i);
			return TRP_EINVAL;
		}
		for (j = 0; j < i; j++)
			if (e->regions[j].region == r->region && e->regions[j].side == r->side) {
				trp__msg(msg, msgsize, "regions[%zu]: '%s.%s' given twice", i,
					 trp_region_name(r->region), trp_side_code(r->side));
				return TRP_EINVAL;
			}
		e->nregions++;
	}
	return TRP_OK;
}

trp_err trp_entry_parse_json(const char *text, size_t len, trp_entry_kind kind, trp_entry *e,
			     char *note_buf, size_t note_size, int *has_at, char *msg, size_t msgsize)
{
	const char *const *fields = kind == TRP_PAIN_ENTRY ? pain_fields : session_fields;
	const char *kind_name = kind == TRP_PAIN_ENTRY ? "pain" : "session";
	json_error_t jerr;
	json_t *o, *v;
	const char *key;
	trp_err err = TRP_EINVAL;

	trp_entry_init(e, kind);
	*has_at = 0;
	o = json_loadb(text, len, JSON_REJECT_DUPLICATES, &jerr);
	if (!o) {
		trp__msg(msg, msgsize, "malformed JSON at line %d, column %d: %s", jerr.line, jerr.column, jerr.text);
		return TRP_EINVAL;
	}
	if (!json_is_object(o)) {
		trp__msg(msg, msgsize, "expected a JSON object");
		goto done;
	}
	json_object_foreach(o, key, v)
		if (!known(fields, key)) {
			trp__msg(msg, msgsize, "%.32s: unknown field for a %s entry", key, kind_name);
			goto done;
		}
	v = json_object_get(o, "kind");
	if (v && (!json_is_string(v) || strcmp(json_string_value(v), kind_name) != 0)) {
		trp__msg(msg, msgsize, "kind: expected \"%s\"", kind_name);
		goto done;
	}
	v = json_object_get(o, "at");
	if (v && !json_is_null(v)) {
		char why[256];

		if (!json_is_string(v) || trp_time_parse(json_string_value(v), &e->at, &e->tz, has_at, why, sizeof why) ||
		    !*has_at) {
			trp__msg(msg, msgsize, "at: expected a time with its offset, such as \"2026-11-24T08:30:00+01:00\"");
			*has_at = 0;
			goto done;
		}
	}
	v = json_object_get(o, "note");
	if (v && !json_is_null(v)) {
		if (!json_is_string(v) || json_string_length(v) > TRP_NOTE_MAX || json_string_length(v) >= note_size) {
			trp__msg(msg, msgsize, "note: expected text of at most %d bytes", TRP_NOTE_MAX);
			goto done;
		}
		memcpy(note_buf, json_string_value(v), json_string_length(v) + 1);
		e->note = note_buf;
	}
	if (kind == TRP_PAIN_ENTRY) {
		err = json_regions(json_object_get(o, "regions"), e, msg, msgsize);
		goto done;
	}
	{
		json_t *t = json_object_get(o, "technique"), *m = json_object_get(o, "muscle");
		json_t *side = json_object_get(o, "side");
		int tv = json_is_string(t) ? trp_treatment_parse(json_string_value(t)) : -1;

		if (tv < 0) {
			trp__msg(msg, msgsize, "technique: expected pressure, ball, roller, stretch, heat, massage, "
				 "dry_needling, medication, exercise or other");
			goto done;
		}
		e->treatment = (trp_treatment)tv;
		if (m && !json_is_null(m)) {
			if (!json_is_string(m) || json_string_length(m) >= sizeof e->muscle || !json_string_length(m)) {
				trp__msg(msg, msgsize, "muscle: expected a muscle identifier or null");
				goto done;
			}
			memcpy(e->muscle, json_string_value(m), json_string_length(m) + 1);
		}
		if (side && !json_is_null(side)) {
			const char *sv = json_is_string(side) ? json_string_value(side) : "";

			e->side = strcmp(sv, "l") == 0 || strcmp(sv, "left") == 0 ? TRP_LEFT
				: strcmp(sv, "r") == 0 || strcmp(sv, "right") == 0 ? TRP_RIGHT : -2;
			if (e->side == -2) {
				trp__msg(msg, msgsize, "side: expected \"l\", \"r\" or null");
				goto done;
			}
		}
		if ((err = int_field(o, "before", 0, 0, 10, -1, &e->before, msg, msgsize)) ||
		    (err = int_field(o, "after", 0, 0, 10, -1, &e->after, msg, msgsize)) ||
		    (err = int_field(o, "minutes", 1, 0, 1440, -1, &e->minutes, msg, msgsize)) ||
		    (err = int_field(o, "later", 1, 0, 10, -1, &e->later, msg, msgsize)) ||
		    (err = int_field(o, "soreness", 1, 0, 10, -1, &e->soreness, msg, msgsize)))
			goto done;
		err = TRP_OK;
	}
done:
	json_decref(o);
	return err;
}
