/*
 * care.c: what a clinic adds to a diary (care.h): home programs that a therapist sets and
 * versions, the sessions done against them and the adherence they give, the patient's
 * consent to pool their outcomes, and the therapist's list of patients with the figures
 * that say whom to look at first.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>
#include <libpq-fe.h>

#include "care.h"
#include "store.h"
#include "trp/diary.h"

#define ITEMS_MAX 24
#define DAY 86400

static int fail(PGresult *r, PGconn *conn, char *msg, size_t msgsize, const char *what)
{
	const char *text = r ? PQresultErrorMessage(r) : PQerrorMessage(conn);
	size_t n;

	if (text && strncmp(text, "ERROR:  ", 8) == 0)
		text += 8;
	n = text ? strcspn(text, "\n") : 0;
	snprintf(msg, msgsize, "the clinic database: %s: %.*s", what, (int)n, n ? text : "no reply");
	return -1;
}

static PGresult *query(PGconn *conn, const char *sql, int n, const char *const *v, ExecStatusType want,
		       char *msg, size_t msgsize, const char *what)
{
	PGresult *r = PQexecParams(conn, sql, n, NULL, v, NULL, NULL, 0);

	if (PQresultStatus(r) != want) {
		fail(r, conn, msg, msgsize, what);
		PQclear(r);
		return NULL;
	}
	return r;
}

static const char *id_text(char *buf, size_t size, long long v)
{
	snprintf(buf, size, "%lld", v);
	return buf;
}

/* ---------------------------------------------------------------- programs */

/* An item's prescribed sessions in the week (of 7 days) that starts `week_start` days
 * after the program's start: per_day x 7 while the item runs (its weeks). */
static int prescribed(json_t *item, int week)
{
	int per_day = (int)json_integer_value(json_object_get(item, "per_day"));
	int weeks = (int)json_integer_value(json_object_get(item, "weeks"));

	return week < weeks ? per_day * 7 : 0;
}

/* Checks a program as a therapist sends it, and gives it back in the stored form:
 * {"items": [{"muscle", "side", "technique", "dose", "per_day", "weeks", "notes"}],
 *  "notes", "start"}. NULL with msg naming the field. */
static json_t *program_checked(const char *text, size_t len, const trp_atlas *atlas, int64_t today,
			       char *msg, size_t msgsize)
{
	static const char *const item_fields[] = { "muscle", "side", "technique", "dose", "per_day",
						   "weeks", "notes", NULL };
	json_error_t jerr;
	json_t *o = json_loadb(text, len, JSON_REJECT_DUPLICATES, &jerr), *items, *item, *v, *out, *list;
	const char *key;
	char start[16];
	size_t i, k;

	if (!o || !json_is_object(o)) {
		snprintf(msg, msgsize, "expected {\"items\": [...], \"notes\": TEXT, \"start\": DATE}");
		json_decref(o);
		return NULL;
	}
	json_object_foreach(o, key, v)
		if (strcmp(key, "items") && strcmp(key, "notes") && strcmp(key, "start")) {
			snprintf(msg, msgsize, "%.32s: unknown field (expected items, notes, start)", key);
			goto bad;
		}
	items = json_object_get(o, "items");
	if (!json_is_array(items) || json_array_size(items) == 0 || json_array_size(items) > ITEMS_MAX) {
		snprintf(msg, msgsize, "items: expected a list of 1 to %d exercises", ITEMS_MAX);
		goto bad;
	}
	v = json_object_get(o, "start");
	trp_day_format(today, start, sizeof start);
	if (v && !json_is_null(v)) {
		int64_t at;
		int tz, has;

		if (!json_is_string(v) || trp_time_parse(json_string_value(v), &at, &tz, &has, NULL, 0) || has ||
		    strlen(json_string_value(v)) != 10) {
			snprintf(msg, msgsize, "start: expected a date such as 2026-12-01");
			goto bad;
		}
		snprintf(start, sizeof start, "%s", json_string_value(v));
	}
	v = json_object_get(o, "notes");
	if (v && !json_is_null(v) && (!json_is_string(v) || json_string_length(v) > 2000 ||
				      trp_text_check(json_string_value(v), json_string_length(v), 1))) {
		snprintf(msg, msgsize, "notes: expected text of at most 2000 bytes");
		goto bad;
	}
	list = json_array();
	out = json_pack("{s:o, s:O?, s:s}", "items", list, "notes", v && !json_is_null(v) ? v : NULL, "start", start);
	if (!out)
		goto bad;
	json_array_foreach(items, i, item) {
		const trp_muscle *m;
		json_t *side, *tech, *dose, *per_day, *weeks, *notes;
		const char *sv;

		if (!json_is_object(item)) {
			snprintf(msg, msgsize, "items[%zu]: expected an object", i);
			json_decref(out);
			goto bad;
		}
		json_object_foreach(item, key, v) {
			for (k = 0; item_fields[k] && strcmp(item_fields[k], key); k++)
				;
			if (!item_fields[k]) {
				snprintf(msg, msgsize, "items[%zu].%.32s: unknown field (expected muscle, side, "
					 "technique, dose, per_day, weeks, notes)", i, key);
				json_decref(out);
				goto bad;
			}
		}
		v = json_object_get(item, "muscle");
		m = json_is_string(v) ? trp_atlas_find(atlas, json_string_value(v)) : NULL;
		side = json_object_get(item, "side");
		sv = json_is_string(side) ? json_string_value(side) : "";
		tech = json_object_get(item, "technique");
		dose = json_object_get(item, "dose");
		per_day = json_object_get(item, "per_day");
		weeks = json_object_get(item, "weeks");
		notes = json_object_get(item, "notes");
		if (!m) {
			snprintf(msg, msgsize, "items[%zu].muscle: expected a muscle of the atlas", i);
		} else if (strcmp(sv, "l") != 0 && strcmp(sv, "r") != 0) {
			snprintf(msg, msgsize, "items[%zu].side: expected \"l\" or \"r\"", i);
		} else if (!json_is_string(tech) || trp_treatment_parse(json_string_value(tech)) < 0) {
			snprintf(msg, msgsize, "items[%zu].technique: expected pressure, ball, roller, stretch, "
				 "heat, massage, exercise or other", i);
		} else if (!json_is_string(dose) || json_string_length(dose) == 0 || json_string_length(dose) > 400 ||
			   trp_text_check(json_string_value(dose), json_string_length(dose), 0)) {
			snprintf(msg, msgsize, "items[%zu].dose: expected the dose in words (\"90 seconds, 3 "
				 "rounds\"), at most 400 bytes", i);
		} else if (!json_is_integer(per_day) || json_integer_value(per_day) < 1 || json_integer_value(per_day) > 6) {
			snprintf(msg, msgsize, "items[%zu].per_day: expected 1 to 6 times a day", i);
		} else if (!json_is_integer(weeks) || json_integer_value(weeks) < 1 || json_integer_value(weeks) > 52) {
			snprintf(msg, msgsize, "items[%zu].weeks: expected 1 to 52 weeks", i);
		} else if (notes && !json_is_null(notes) && (!json_is_string(notes) || json_string_length(notes) > 1000 ||
							      trp_text_check(json_string_value(notes), json_string_length(notes), 1))) {
			snprintf(msg, msgsize, "items[%zu].notes: expected text of at most 1000 bytes", i);
		} else {
			json_array_append_new(list, json_pack("{s:s, s:s, s:s, s:s, s:i, s:i, s:O?}",
				"muscle", trp_muscle_id(m), "side", sv, "technique", json_string_value(tech),
				"dose", json_string_value(dose), "per_day", (int)json_integer_value(per_day),
				"weeks", (int)json_integer_value(weeks),
				"notes", notes && !json_is_null(notes) ? notes : NULL));
			continue;
		}
		json_decref(out);
		goto bad;
	}
	json_decref(o);
	return out;
bad:
	json_decref(o);
	return NULL;
}

int care_program_set(void *conn, const struct clinic_actor *by, int64_t patient, const char *text,
		     size_t len, const trp_atlas *atlas, int64_t today, char **out, char *msg, size_t msgsize)
{
	json_t *body = program_checked(text, len, atlas, today, msg, msgsize);
	char p[24], m[24], *body_text;
	const char *v[3];
	PGresult *r;

	*out = NULL;
	if (!body)
		return 2;
	body_text = json_dumps(body, JSON_COMPACT);
	json_decref(body);
	if (!body_text) {
		snprintf(msg, msgsize, "out of memory");
		return -1;
	}
	v[0] = id_text(p, sizeof p, patient);
	v[1] = id_text(m, sizeof m, by->id);
	v[2] = body_text;
	/* a new version each time: the sessions done against the old one keep its number */
	r = query(conn, "INSERT INTO trp.program (patient, version, made_by, body) "
		  "SELECT $1, coalesce(max(version), 0) + 1, $2, $3::jsonb FROM trp.program WHERE patient = $1 "
		  "RETURNING version", 3, v, PGRES_TUPLES_OK, msg, msgsize, "cannot store the program");
	free(body_text);
	if (!r)
		return -1;
	PQclear(r);
	*out = care_program_json(conn, patient, today, msg, msgsize);
	return *out ? 0 : -1;
}

char *care_program_json(void *conn, int64_t patient, int64_t today, char *msg, size_t msgsize)
{
	char p[24];
	const char *v[1] = { id_text(p, sizeof p, patient) };
	PGresult *r, *s;
	json_t *o, *body, *items, *item, *weeks, *today_list, *sessions;
	json_error_t jerr;
	int64_t start_day, at;
	int tz, has, week, nweeks, i, n;
	size_t k;
	char *out, day[16];

	r = query(conn, "SELECT p.version, to_char(p.made AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"'), "
		  "a.name, p.body::text FROM trp.program p JOIN trp.account a ON a.id = p.made_by "
		  "WHERE p.patient = $1 ORDER BY p.version DESC LIMIT 1", 1, v, PGRES_TUPLES_OK, msg, msgsize,
		  "cannot read the program");
	if (!r)
		return NULL;
	if (PQntuples(r) == 0) {
		PQclear(r);
		o = json_pack("{s:n, s:[], s:[], s:[], s:[]}", "version", "items", "today", "adherence", "sessions");
		out = o ? json_dumps(o, JSON_COMPACT) : NULL;
		json_decref(o);
		return out;
	}
	body = json_loads(PQgetvalue(r, 0, 3), 0, &jerr);
	items = json_object_get(body, "items");
	if (!body || trp_time_parse(json_string_value(json_object_get(body, "start")), &at, &tz, &has, NULL, 0)) {
		json_decref(body);
		PQclear(r);
		snprintf(msg, msgsize, "the clinic database: a stored program is unreadable");
		return NULL;
	}
	start_day = trp_local_day(at, 0);
	o = json_pack("{s:i, s:s, s:s, s:O, s:O, s:O}", "version", atoi(PQgetvalue(r, 0, 0)),
		      "made", PQgetvalue(r, 0, 1), "made_by", PQgetvalue(r, 0, 2), "start",
		      json_object_get(body, "start"), "notes", json_object_get(body, "notes") ? json_object_get(body, "notes") : json_null(),
		      "items", items);
	PQclear(r);
	/* the sessions done against any version of the program, with their days */
	s = query(conn, "SELECT ps.entry, ps.version, ps.item, (e.at + e.tz * 60) / 86400 "
		  "FROM trp.program_session ps JOIN trp.entry e ON e.patient = ps.patient AND e.id = ps.entry "
		  "WHERE ps.patient = $1 AND NOT e.deleted ORDER BY e.at", 1, v, PGRES_TUPLES_OK, msg, msgsize,
		  "cannot read the program's sessions");
	if (!o || !s) {
		json_decref(o);
		json_decref(body);
		PQclear(s);
		return NULL;
	}
	n = PQntuples(s);
	sessions = json_array();
	for (i = 0; i < n; i++)
		json_array_append_new(sessions, json_pack("{s:I, s:i, s:i}", "entry",
			(json_int_t)strtoll(PQgetvalue(s, i, 0), NULL, 10), "version", atoi(PQgetvalue(s, i, 1)),
			"item", atoi(PQgetvalue(s, i, 2))));
	/* today's part of the program: what each item asks, and what was done */
	today_list = json_array();
	json_array_foreach(items, k, item) {
		int done = 0, active = today >= start_day &&
			   today < start_day + 7 * json_integer_value(json_object_get(item, "weeks"));

		for (i = 0; i < n; i++)
			done += atoi(PQgetvalue(s, i, 2)) == (int)k && strtoll(PQgetvalue(s, i, 3), NULL, 10) == today;
		json_array_append_new(today_list, json_pack("{s:i, s:i, s:i}", "item", (int)k, "due",
			active ? (int)json_integer_value(json_object_get(item, "per_day")) : 0, "done", done));
	}
	/* adherence: sessions done against prescribed, week by week since the start */
	weeks = json_array();
	nweeks = today >= start_day ? (int)((today - start_day) / 7) + 1 : 0;
	for (week = 0; week < nweeks && week < 104; week++) {
		int want = 0, done = 0;

		json_array_foreach(items, k, item)
			want += prescribed(item, week);
		for (i = 0; i < n; i++) {
			int64_t d = strtoll(PQgetvalue(s, i, 3), NULL, 10);

			done += d >= start_day + 7 * week && d < start_day + 7 * (week + 1);
		}
		trp_day_format(start_day + 7 * week, day, sizeof day);
		json_array_append_new(weeks, json_pack("{s:s, s:i, s:i}", "week", day, "done", done,
						       "prescribed", want));
	}
	PQclear(s);
	json_object_set_new(o, "today", today_list);
	json_object_set_new(o, "adherence", weeks);
	json_object_set_new(o, "sessions", sessions);
	json_decref(body);
	out = json_dumps(o, JSON_COMPACT);
	json_decref(o);
	if (!out)
		snprintf(msg, msgsize, "out of memory");
	return out;
}

int care_program_link(void *conn, int64_t patient, int64_t entry, int version, int item, char *msg,
		      size_t msgsize)
{
	char p[24], e[24], ver[16], it[16];
	const char *v[4] = { id_text(p, sizeof p, patient), id_text(e, sizeof e, entry),
			     id_text(ver, sizeof ver, version), id_text(it, sizeof it, item) };
	PGresult *r;
	int rows;

	/* only a version and an item that exist */
	r = query(conn, "INSERT INTO trp.program_session (patient, entry, version, item) "
		  "SELECT $1, $2, $3, $4 FROM trp.program WHERE patient = $1 AND version = $3 "
		  "AND $4::int >= 0 AND $4::int < jsonb_array_length(body->'items') RETURNING entry",
		  4, v, PGRES_TUPLES_OK, msg, msgsize, "cannot link the session to the program");
	if (!r)
		return -1;
	rows = PQntuples(r);
	PQclear(r);
	if (rows == 0) {
		snprintf(msg, msgsize, "program: no version %d with an item %d", version, item);
		return 1;
	}
	return 0;
}

/* ---------------------------------------------------------------- consent */

int care_consent_set(void *conn, int64_t patient, int share, char *msg, size_t msgsize)
{
	char p[24];
	const char *v[2] = { id_text(p, sizeof p, patient), share ? "true" : "false" };
	PGresult *r = query(conn, "INSERT INTO trp.consent (patient, share) VALUES ($1, $2)", 2, v,
			    PGRES_COMMAND_OK, msg, msgsize, "cannot store the consent");

	PQclear(r);
	return r ? 0 : -1;
}

char *care_consent_json(void *conn, int64_t patient, char *msg, size_t msgsize)
{
	char p[24];
	const char *v[1] = { id_text(p, sizeof p, patient) };
	PGresult *r = query(conn, "SELECT share, to_char(changed AT TIME ZONE 'UTC', 'YYYY-MM-DD') FROM trp.consent "
			    "WHERE patient = $1 ORDER BY changed DESC LIMIT 1", 1, v, PGRES_TUPLES_OK, msg,
			    msgsize, "cannot read the consent");
	json_t *o;
	char *out;

	if (!r)
		return NULL;
	/* off until the patient says otherwise */
	o = PQntuples(r) == 1
	    ? json_pack("{s:b, s:s}", "share_outcomes", strcmp(PQgetvalue(r, 0, 0), "t") == 0, "since", PQgetvalue(r, 0, 1))
	    : json_pack("{s:b, s:n}", "share_outcomes", 0, "since");
	PQclear(r);
	out = o ? json_dumps(o, JSON_COMPACT) : NULL;
	json_decref(o);
	return out;
}

/* ---------------------------------------------------------------- the therapist's list */

char *care_patients_json(void *conn, int64_t therapist, int admin, int64_t now, char *msg, size_t msgsize)
{
	/* For each patient: the latest pain, the daily pain of the last 28 days (the mean of
	 * each day's figures: a pain map's peak, a session's pain before), the last entry of
	 * any kind, and the current program. Days are the patient's own (their offset). */
	static const char sql[] =
		"WITH pts AS ("
		"  SELECT p.id, p.name, p.disabled, p.password IS NOT NULL AS has_password, "
		"    EXISTS (SELECT 1 FROM trp.team t WHERE t.patient = p.id AND t.therapist = $1) AS on_team "
		"  FROM trp.account p WHERE p.role = 'patient' AND ($3::boolean OR EXISTS "
		"    (SELECT 1 FROM trp.team t WHERE t.patient = p.id AND t.therapist = $1))) "
		"SELECT pts.name, pts.disabled, pts.has_password, pts.on_team, l.peak, l.at, a.at, "
		"  (SELECT json_agg(json_build_array(d.day, d.pain) ORDER BY d.day)::text FROM "
		"    (SELECT (e.at + e.tz * 60) / 86400 AS day, round(avg(e.peak), 2) AS pain FROM trp.entry e "
		"     WHERE e.patient = pts.id AND e.at >= $2::bigint - 29 * 86400 AND NOT e.deleted "
		"     AND e.peak IS NOT NULL GROUP BY 1) d), "
		"  pr.body::text, "
		"  (SELECT count(*) FROM trp.program_session ps JOIN trp.entry e ON e.patient = ps.patient "
		"     AND e.id = ps.entry WHERE ps.patient = pts.id AND NOT e.deleted "
		"     AND e.at >= $2::bigint - 7 * 86400), "
		"  l.tz "
		"FROM pts "
		"LEFT JOIN LATERAL (SELECT peak, at, tz FROM trp.entry e WHERE e.patient = pts.id AND e.peak IS NOT NULL "
		"  AND NOT e.deleted ORDER BY at DESC, id DESC LIMIT 1) l ON true "
		"LEFT JOIN LATERAL (SELECT at FROM trp.entry e WHERE e.patient = pts.id AND NOT e.deleted "
		"  ORDER BY at DESC, id DESC LIMIT 1) a ON true "
		"LEFT JOIN LATERAL (SELECT body FROM trp.program p WHERE p.patient = pts.id "
		"  ORDER BY version DESC LIMIT 1) pr ON true "
		"ORDER BY pts.name";
	char t[24], n[24];
	const char *v[3] = { id_text(t, sizeof t, therapist), id_text(n, sizeof n, now), admin ? "true" : "false" };
	PGresult *r;
	json_t *list;
	int i, rows;
	char *out;

	/* the planner's cost for 200 patients passes jit_above_cost, and compiling the query
	 * took 30 of its 55 ms (bench/clinic.sh); within this request's transaction only */
	r = query(conn, "SET LOCAL jit = off", 0, NULL, PGRES_COMMAND_OK, msg, msgsize, "cannot list the patients");
	if (!r)
		return NULL;
	PQclear(r);
	r = query(conn, sql, 3, v, PGRES_TUPLES_OK, msg, msgsize, "cannot list the patients");
	if (!r)
		return NULL;
	list = json_array();
	rows = PQntuples(r);
	for (i = 0; list && i < rows; i++) {
		json_error_t jerr;
		json_t *days = PQgetisnull(r, i, 7) ? json_array() : json_loads(PQgetvalue(r, i, 7), 0, &jerr);
		json_t *program = PQgetisnull(r, i, 8) ? NULL : json_loads(PQgetvalue(r, i, 8), 0, &jerr);
		json_t *trend = json_array(), *flags = json_array(), *d, *item;
		int tz = PQgetisnull(r, i, 10) ? 0 : atoi(PQgetvalue(r, i, 10));
		int64_t today = trp_local_day(now, tz), last = PQgetisnull(r, i, 6) ? -1
			: strtoll(PQgetvalue(r, i, 6), NULL, 10);
		double recent = 0, earlier = 0;
		int nrecent = 0, nearlier = 0, want = 0;
		size_t k, j;
		char when[40];

		/* the sparkline: 28 days, oldest first, null where nothing was logged */
		for (k = 0; k < 28; k++) {
			int64_t day = today - 27 + (int64_t)k;
			json_t *value = json_null();

			json_array_foreach(days, j, d)
				if (json_integer_value(json_array_get(d, 0)) == day) {
					double pain = json_number_value(json_array_get(d, 1));

					value = json_real(pain);
					if (day > today - 7) {
						recent += pain;
						nrecent++;
					} else if (day > today - 14) {
						earlier += pain;
						nearlier++;
					}
				}
			json_array_append_new(trend, value);
		}
		/* whom to look at first */
		if (nrecent && nearlier && recent / nrecent - earlier / nearlier >= 2)
			json_array_append_new(flags, json_string("worse"));
		if (last < 0 || now - last >= 14 * DAY)
			json_array_append_new(flags, json_string("inactive"));
		json_array_foreach(json_object_get(program, "items"), k, item)
			want += (int)json_integer_value(json_object_get(item, "per_day")) * 7;
		if (!PQgetisnull(r, i, 5))
			trp_time_format(strtoll(PQgetvalue(r, i, 5), NULL, 10), tz, when, sizeof when);
		json_array_append_new(list, json_pack("{s:s, s:b, s:b, s:b, s:o, s:o, s:o, s:{s:i, s:o}, s:o}",
			"user", PQgetvalue(r, i, 0), "disabled", strcmp(PQgetvalue(r, i, 1), "t") == 0,
			"has_password", strcmp(PQgetvalue(r, i, 2), "t") == 0, "on_team", strcmp(PQgetvalue(r, i, 3), "t") == 0,
			"latest_pain", PQgetisnull(r, i, 4) ? json_null() : json_integer(atoi(PQgetvalue(r, i, 4))),
			"latest_at", PQgetisnull(r, i, 5) ? json_null() : json_string(when),
			"trend", trend,
			"sessions_week", "done", atoi(PQgetvalue(r, i, 9)),
			"prescribed", program ? json_integer(want) : json_null(),
			"flags", flags));
		json_decref(days);
		json_decref(program);
	}
	PQclear(r);
	out = list ? json_dumps(list, JSON_COMPACT) : NULL;
	json_decref(list);
	if (!out)
		snprintf(msg, msgsize, "out of memory");
	return out;
}
