/*
 * pool_pg.c: a snapshot of the clinic's pooled outcomes from the consenting patients'
 * diaries as they are now (pool.h, docs/clinic.md "Shared experiences"), stored in
 * trp.snapshot; and the latest snapshot read back.
 *
 * Each consenting patient becomes one pool_person: the muscle and technique they did most
 * sessions of in the last 12 months, their clipped figures for it, the pattern of their
 * latest pain map (the fewest muscles that explain it) and their own report's verdict.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <jansson.h>
#include <libpq-fe.h>

#include "care.h"
#include "pool.h"
#include "store.h"
#include "trp/diary.h"
#include "trp/trp.h"

#define DAY 86400
#define PAIRS_MAX 64
#define SESSIONS_MAX 4096
#define DAYS_MAX 400

struct pair {
	char muscle[64];
	int treatment;
	int n;
	int64_t first;     /* local day of its first session */
};

struct gather {
	const trp_atlas *atlas;
	int64_t since_day;
	trp_report *report;
	struct pair pairs[PAIRS_MAX];
	size_t npairs;
	/* every session with before and after, kept for the main pair's figures */
	struct { int pair, before, after; } sessions[SESSIONS_MAX];
	size_t nsessions;
	/* daily pain: sum and count of readings per local day since since_day */
	double sum[DAYS_MAX];
	int count[DAYS_MAX];
	trp_entry latest;  /* the latest pain map */
	int have_latest;
};

static int gather_one(const trp_entry *e, void *arg)
{
	struct gather *g = arg;
	int64_t day = trp_local_day(e->at, e->tz);
	size_t i;
	int peak = -1;

	if (day < g->since_day)
		return 0;
	trp_report_add(g->report, e);
	if (e->kind == TRP_PAIN_ENTRY) {
		peak = trp_entry_peak(e);
		if (!g->have_latest || e->at >= g->latest.at) {
			g->latest = *e;
			g->latest.note = NULL;
			g->have_latest = 1;
		}
	} else if (e->before >= 0) {
		peak = e->before;
	}
	if (peak >= 0 && day - g->since_day < DAYS_MAX) {
		g->sum[day - g->since_day] += peak;
		g->count[day - g->since_day]++;
	}
	if (e->kind != TRP_SESSION_ENTRY || !e->muscle[0] || e->before < 0 || e->after < 0)
		return 0;
	for (i = 0; i < g->npairs; i++)
		if (g->pairs[i].treatment == (int)e->treatment && strcmp(g->pairs[i].muscle, e->muscle) == 0)
			break;
	if (i == g->npairs) {
		if (g->npairs == PAIRS_MAX)
			return 0;
		snprintf(g->pairs[i].muscle, sizeof g->pairs[i].muscle, "%s", e->muscle);
		g->pairs[i].treatment = (int)e->treatment;
		g->pairs[i].n = 0;
		g->pairs[i].first = day;
		g->npairs++;
	}
	g->pairs[i].n++;
	if (day < g->pairs[i].first)
		g->pairs[i].first = day;
	if (g->nsessions < SESSIONS_MAX) {
		g->sessions[g->nsessions].pair = (int)i;
		g->sessions[g->nsessions].before = e->before;
		g->sessions[g->nsessions].after = e->after;
		g->nsessions++;
	}
	return 0;
}

static int cmp_int(const void *a, const void *b)
{
	int x = *(const int *)a, y = *(const int *)b;

	return (x > y) - (x < y);
}

/* Mean daily pain over local days [from, from + 7) since since_day, or -1 with none. */
static double week_mean(const struct gather *g, int64_t from)
{
	double sum = 0;
	int n = 0;
	int64_t d;

	for (d = from; d < from + 7; d++)
		if (d - g->since_day >= 0 && d - g->since_day < DAYS_MAX && g->count[d - g->since_day]) {
			sum += g->sum[d - g->since_day] / g->count[d - g->since_day];
			n++;
		}
	return n ? sum / n : -1;
}

static int cmp_id(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* The pattern of the latest map: the fewest muscles that explain it, sorted, '+'-joined. */
static void pattern_of(const struct gather *g, const trp_finder *finder, trp_find_result *res, char *out,
		       size_t size)
{
	trp_located map[TRP_PAIN_REGIONS_MAX];
	const trp_candidate *members;
	const char *ids[8];
	size_t i, n, used = 0;

	out[0] = '\0';
	if (!g->have_latest || !finder || !res)
		return;
	for (i = 0; i < g->latest.nregions; i++) {
		map[i].region = g->latest.regions[i].region;
		map[i].side = g->latest.regions[i].side;
		map[i].intensity = g->latest.regions[i].intensity;
	}
	if (trp_find(finder, map, g->latest.nregions, 10, res) != TRP_OK)
		return;
	n = trp_find_explanation(res, &members);
	for (i = 0; i < n && i < 8; i++)
		ids[i] = trp_muscle_id(members[i].muscle);
	n = i;
	qsort(ids, n, sizeof *ids, cmp_id);
	for (i = 0; i < n; i++) {
		if (i && strcmp(ids[i], ids[i - 1]) == 0)
			continue;
		used += (size_t)snprintf(out + used, used < size ? size - used : 0, "%s%s", used ? "+" : "", ids[i]);
		if (used >= size) {
			out[0] = '\0';   /* too long to be a group anyone shares */
			return;
		}
	}
}

/* The verdict of the person's own report for a technique: 1, 2 or 0. */
static int verdict_of(trp_report *report, int treatment, int64_t today)
{
	char *text = trp_report_json(report, today, 0);
	json_t *root = text ? json_loads(text, 0, NULL) : NULL, *t;
	size_t i;
	int v = 0;

	json_array_foreach(json_object_get(root, "techniques"), i, t)
		if (json_is_string(json_object_get(t, "technique")) &&
		    strcmp(json_string_value(json_object_get(t, "technique")), trp_treatment_name((trp_treatment)treatment)) == 0) {
			const char *s = json_string_value(json_object_get(t, "verdict"));

			v = s && strcmp(s, "instant_relief") == 0 ? 1 : s && strcmp(s, "builds_over_weeks") == 0 ? 2 : 0;
		}
	json_decref(root);
	free(text);
	return v;
}

/* One patient's record: 1 when they have a main pair, 0 when not, -1 on failure. */
static int person(PGconn *conn, int64_t patient, struct gather *g, const trp_finder *finder,
		  trp_find_result *res, int64_t today, struct pool_person *out, char *msg, size_t msgsize)
{
	trp_diary *d;
	size_t i, best = 0, n = 0;
	int *changes, meaningful = 0, k;
	double base;
	trp_err err;

	g->npairs = g->nsessions = 0;
	g->have_latest = 0;
	memset(g->sum, 0, sizeof g->sum);
	memset(g->count, 0, sizeof g->count);
	if (trp_report_new(&g->report) != TRP_OK)
		return -1;
	if (trp__diary_pg_bind(conn, patient, &d) != TRP_OK) {
		trp_report_free(g->report);
		return -1;
	}
	err = trp_diary_each(d, (g->since_day - 1) * DAY, 0, gather_one, g);
	if (err != TRP_OK)
		snprintf(msg, msgsize, "the clinic database: cannot read a diary: %s", trp_diary_errmsg(d));
	trp_diary_close(d);
	if (err != TRP_OK || g->npairs == 0) {
		trp_report_free(g->report);
		return err != TRP_OK ? -1 : 0;
	}
	for (i = 1; i < g->npairs; i++)
		if (g->pairs[i].n > g->pairs[best].n ||
		    (g->pairs[i].n == g->pairs[best].n && g->pairs[i].first < g->pairs[best].first))
			best = i;
	memset(out, 0, sizeof *out);
	snprintf(out->muscle, sizeof out->muscle, "%s", g->pairs[best].muscle);
	snprintf(out->technique, sizeof out->technique, "%s", trp_treatment_name((trp_treatment)g->pairs[best].treatment));
	changes = malloc(g->nsessions * sizeof *changes);
	if (!changes) {
		trp_report_free(g->report);
		return -1;
	}
	for (i = 0; i < g->nsessions; i++) {
		int drop;

		if (g->sessions[i].pair != (int)best)
			continue;
		drop = g->sessions[i].before - g->sessions[i].after;
		/* a meaningful drop: 2 points, or 30% of the pain before */
		meaningful += drop >= 2 || (g->sessions[i].before > 0 && 10 * drop >= 3 * g->sessions[i].before);
		changes[n++] = -drop;
	}
	qsort(changes, n, sizeof *changes, cmp_int);
	out->sessions = (int)(n < POOL_SESSIONS_CLIP ? n : POOL_SESSIONS_CLIP);
	out->meaningful_pct = n ? (int)lround(100.0 * meaningful / (double)n) : 0;
	out->median_change2 = n ? (n % 2 ? 2 * changes[n / 2] : changes[n / 2 - 1] + changes[n / 2]) : 0;
	if (out->median_change2 < -20)
		out->median_change2 = -20;
	if (out->median_change2 > 20)
		out->median_change2 = 20;
	free(changes);
	/* 30% better within 2, 4, 8 weeks: a week's mean at most 70% of the first week's */
	base = week_mean(g, g->pairs[best].first);
	for (k = 0; k < 3; k++) {
		static const int weeks[] = { 2, 4, 8 };
		int w;

		for (w = 1; base > 0 && w < weeks[k]; w++) {
			double m = week_mean(g, g->pairs[best].first + 7 * w);

			if (m >= 0 && m <= 0.7 * base) {
				out->better[k] = 1;
				break;
			}
		}
	}
	out->verdict = verdict_of(g->report, g->pairs[best].treatment, today);
	pattern_of(g, finder, res, out->pattern, sizeof out->pattern);
	trp_report_free(g->report);
	return 1;
}

static void month_of(int64_t day, char *buf, size_t size)
{
	char full[16];

	trp_day_format(day, full, sizeof full);
	snprintf(buf, size, "%.7s", full);
}

/* Makes a snapshot from the consenting patients' diaries as they are now and stores it;
 * *out is its JSON (malloc'd). 0, or -1 with msg. */
int pool_make_snapshot(void *connection, const trp_atlas *atlas, const char *clinic, double scale,
		       const char *seed, char **out, char *msg, size_t msgsize)
{
	PGconn *conn = connection;
	PGresult *r = NULL, *w = NULL;
	struct gather *g = calloc(1, sizeof *g);
	struct pool_person *people = NULL;
	const char **muscles = NULL;
	trp_finder *finder = NULL;
	trp_find_result *res = NULL;
	struct pool_params params;
	struct pool_rng rng;
	size_t i, n = 0, nm = trp_atlas_count(atlas);
	int64_t today;
	char from[16], to[16];
	time_t now = time(NULL);
	const char *v[1];
	int code = -1;

	*out = NULL;
	today = trp_local_day((int64_t)now, 0);
	if (!g || trp_finder_new(atlas, &finder) != TRP_OK || trp_find_result_new(finder, &res) != TRP_OK) {
		snprintf(msg, msgsize, "out of memory");
		goto done;
	}
	g->atlas = atlas;
	g->since_day = today - 365;
	r = PQexec(conn, "SELECT patient FROM (SELECT DISTINCT ON (patient) patient, share FROM trp.consent "
			 "ORDER BY patient, changed DESC) c JOIN trp.account a ON a.id = c.patient "
			 "WHERE c.share AND a.role = 'patient' AND NOT a.disabled ORDER BY patient");
	if (PQresultStatus(r) != PGRES_TUPLES_OK) {
		snprintf(msg, msgsize, "the clinic database: cannot read the consents: %s", PQerrorMessage(conn));
		goto done;
	}
	people = calloc((size_t)PQntuples(r) + 1, sizeof *people);
	muscles = calloc(nm + 1, sizeof *muscles);
	if (!people || !muscles) {
		snprintf(msg, msgsize, "out of memory");
		goto done;
	}
	for (i = 0; i < (size_t)PQntuples(r); i++) {
		int got = person(conn, strtoll(PQgetvalue(r, (int)i, 0), NULL, 10), g, finder, res, today, &people[n],
				 msg, msgsize);

		if (got < 0)
			goto done;
		n += (size_t)got;
	}
	for (i = 0; i < nm; i++)
		muscles[i] = trp_muscle_id(trp_atlas_muscle(atlas, i));
	pool_params_default(&params, scale);
	pool_rng_init(&rng, seed);
	month_of(g->since_day, from, sizeof from);
	month_of(today, to, sizeof to);
	*out = pool_snapshot(people, n, muscles, nm, &params, &rng, clinic, from, to, to);
	if (!*out) {
		snprintf(msg, msgsize, "out of memory");
		goto done;
	}
	v[0] = *out;
	w = PQexecParams(conn, "INSERT INTO trp.snapshot (body) VALUES ($1::jsonb)", 1, NULL, v, NULL, NULL, 0);
	if (PQresultStatus(w) != PGRES_COMMAND_OK) {
		snprintf(msg, msgsize, "the clinic database: cannot store the snapshot: %s", PQerrorMessage(conn));
		free(*out);
		*out = NULL;
		goto done;
	}
	code = 0;
done:
	PQclear(r);
	PQclear(w);
	trp_find_result_free(res);
	trp_finder_free(finder);
	free(people);
	free(muscles);
	free(g);
	return code;
}

/* The latest snapshot's JSON (malloc'd); NULL with *none set when there is none yet, or
 * NULL with msg on failure. */
char *pool_latest(void *connection, int *none, char *msg, size_t msgsize)
{
	PGresult *r = PQexec(connection, "SELECT body::text FROM trp.snapshot ORDER BY id DESC LIMIT 1");
	char *out = NULL;

	*none = 0;
	if (PQresultStatus(r) != PGRES_TUPLES_OK)
		snprintf(msg, msgsize, "the clinic database: cannot read the snapshot: %s", PQerrorMessage(connection));
	else if (PQntuples(r) == 0)
		*none = 1;
	else if (!(out = strdup(PQgetvalue(r, 0, 0))))
		snprintf(msg, msgsize, "out of memory");
	PQclear(r);
	return out;
}

char *pool_cli(const char *conninfo, const trp_atlas *atlas, int make, const char *clinic, double scale,
	       const char *seed, int *none, char *msg, size_t msgsize)
{
	PGconn *conn = clinic_connect(conninfo, msg, msgsize);
	char *out = NULL;

	*none = 0;
	if (!conn)
		return NULL;
	if (make) {
		PGresult *r = PQexec(conn, "BEGIN ISOLATION LEVEL REPEATABLE READ READ WRITE");

		PQclear(r);
		if (pool_make_snapshot(conn, atlas, clinic, scale, seed, &out, msg, msgsize) == 0) {
			r = PQexec(conn, "COMMIT");
			if (PQresultStatus(r) != PGRES_COMMAND_OK) {
				snprintf(msg, msgsize, "the clinic database: %s", PQerrorMessage(conn));
				free(out);
				out = NULL;
			}
			PQclear(r);
		}
	} else {
		out = pool_latest(conn, none, msg, msgsize);
	}
	PQfinish(conn);
	return out;
}
