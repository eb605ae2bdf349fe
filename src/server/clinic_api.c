/*
 * clinic_api.c: the routes of clinic mode (docs/clinic.md), and the one way a request
 * reaches a patient's diary there.
 *
 * api.c's table marks each route: open (the atlas, the page), a diary route (the local
 * routes, on the diary of the patient who asks or, under /api/patients/{user}/, of the
 * patient named), or a clinic route with the least role it needs. Every request to a
 * diary route or a clinic route runs in one transaction: the session is read, the role
 * or the access check (clinic_access, the only one) decides, the route works on a diary
 * handle bound to that patient, and a row goes into the audit log in the same
 * transaction before it commits. A patient the asker may not see is a 404, exactly as
 * one that does not exist.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <jansson.h>
#include <sodium.h>

#include "care.h"
#include "clinic.h"
#include "clinic_api.h"
#include "experiences.h"
#include "pool.h"
#include "server.h"
#include "store.h"
#include "trp/diary.h"

#define SESSION_COOKIE "trp_session"

/* {"error": {"code", "message"}} with the status. */
static void refuse(struct reply *r, int status, const char *code, const char *message)
{
	json_t *o = json_pack("{s:{s:s, s:s}}", "error", "code", code, "message", message);

	free(r->body);
	r->body = o ? json_dumps(o, JSON_COMPACT) : NULL;
	r->len = r->body ? strlen(r->body) : 0;
	r->status = r->body ? status : 500;
	r->type = NULL;
	r->fixed = NULL;
	r->recycle = 0;
	json_decref(o);
}

/* A JSON reply of our own (o is taken). */
static void reply_json(struct reply *r, int status, json_t *o)
{
	r->body = o ? json_dumps(o, JSON_COMPACT) : NULL;
	json_decref(o);
	r->len = r->body ? strlen(r->body) : 0;
	r->status = r->body ? status : 500;
	r->type = NULL;
}

/* The database could not be reached or failed: 503, the reply's message in words. */
static void unavailable(struct reply *r, const char *msg)
{
	fprintf(stderr, "trp: %s\n", msg);
	refuse(r, 503, "clinic_unavailable", "the clinic's database cannot be reached just now; "
	       "try again in a moment");
}

/* The session cookie: set (a login) or cleared (a logout); Secure when the request came
 * over TLS through the trusted proxy, or when the public origin is https. */
static void set_session(const struct request *rq, struct reply *r, const char *token)
{
	const struct server_config *c = server_config_of(rq->server);
	int secure = rq->secure || (c->public_origin && strncmp(c->public_origin, "https://", 8) == 0);

	if (token)
		snprintf(r->cookie, sizeof r->cookie, SESSION_COOKIE "=%s; Path=/; HttpOnly; "
			 "SameSite=Strict; Max-Age=%d%s", token, CLINIC_SESSION_MAX_S, secure ? "; Secure" : "");
	else
		snprintf(r->cookie, sizeof r->cookie, SESSION_COOKIE "=; Path=/; HttpOnly; "
			 "SameSite=Strict; Max-Age=0%s", secure ? "; Secure" : "");
}

/* The body as a JSON object whose fields are all among `fields` (a NULL-ended list);
 * NULL after a 400 reply. */
static json_t *body_fields(const struct request *rq, struct reply *r, const char *const *fields)
{
	json_error_t err;
	json_t *o = json_loadb(rq->body, rq->len, JSON_REJECT_DUPLICATES, &err), *v;
	const char *key;
	char text[300];

	if (!o || !json_is_object(o)) {
		snprintf(text, sizeof text, "the body must be a JSON object%s%s", o ? "" : ": ", o ? "" : err.text);
		json_decref(o);
		refuse(r, 400, "bad_request", text);
		return NULL;
	}
	json_object_foreach(o, key, v) {
		size_t i;

		for (i = 0; fields[i] && strcmp(fields[i], key) != 0; i++)
			;
		if (!fields[i]) {
			char expected[160] = "";

			for (i = 0; fields[i]; i++)
				snprintf(expected + strlen(expected), sizeof expected - strlen(expected), "%s%s",
					 i ? ", " : "", fields[i]);
			snprintf(text, sizeof text, "%.32s: unknown field (expected %s)", key, expected);
			json_decref(o);
			refuse(r, 400, "bad_request", text);
			return NULL;
		}
	}
	return o;
}

/* A string field, or NULL after a 400 reply naming it. */
static const char *text_field(json_t *o, const char *name, struct reply *r)
{
	json_t *v = json_object_get(o, name);
	char text[160];

	if (!json_is_string(v) || json_string_length(v) == 0) {
		snprintf(text, sizeof text, "%s: expected a string", name);
		refuse(r, 400, "bad_request", text);
		return NULL;
	}
	return json_string_value(v);
}

static const struct clinic_actor *actor_of(const struct request *rq)
{
	return rq->actor;
}

/* ---------------------------------------------------------------- accounts */

/* POST /api/login {"user", "password"} -> 200 {"user", "role"} and the session cookie. */
void clinic_api_login(const struct request *rq, struct reply *r)
{
	static const char *const fields[] = { "user", "password", NULL };
	struct clinic_actor who;
	char token[CLINIC_TOKEN_LEN + 1], msg[512], text[160];
	json_t *o = body_fields(rq, r, fields);
	const char *user, *password;
	void *pg = server_clinic_conn(rq->server, msg, sizeof msg);
	int retry, code;

	if (!o)
		return;
	if (!(user = text_field(o, "user", r)) || !(password = text_field(o, "password", r)))
		goto done;
	if (!pg) {
		unavailable(r, msg);
		goto done;
	}
	code = clinic_login(pg, user, password, rq->client, &who, token, &retry, msg, sizeof msg);
	if (code < 0) {
		unavailable(r, msg);
	} else if (code == 2) {
		snprintf(text, sizeof text, "too many failed logins: try again in %d minutes", (retry + 59) / 60);
		refuse(r, 429, "too_many_logins", text);
	} else if (code == 1) {
		refuse(r, 401, "login_failed", "that name and password do not match an account");
	} else {
		reply_json(r, 200, json_pack("{s:s, s:s}", "user", who.name, "role", clinic_role_name(who.role)));
		set_session(rq, r, token);
		sodium_memzero(token, sizeof token);
		/* the audit row names who logged in */
		*(struct clinic_actor *)rq->actor = who;
	}
done:
	json_decref(o);
}

/* POST /api/logout -> 204, the cookie cleared. */
void clinic_api_logout(const struct request *rq, struct reply *r)
{
	char msg[512];
	void *pg = server_clinic_conn(rq->server, msg, sizeof msg);

	if (!pg || clinic_logout(pg, rq->session, msg, sizeof msg) != 0) {
		unavailable(r, msg);
		return;
	}
	r->status = 204;
	set_session(rq, r, NULL);
}

/* GET /api/me -> {"user", "role"}. */
void clinic_api_me(const struct request *rq, struct reply *r)
{
	const struct clinic_actor *who = actor_of(rq);

	reply_json(r, 200, json_pack("{s:s, s:s}", "user", who->name, "role", clinic_role_name(who->role)));
}

/* POST /api/password {"old", "new"} -> 204; every other session of the account ends. */
void clinic_api_password(const struct request *rq, struct reply *r)
{
	static const char *const fields[] = { "old", "new", NULL };
	json_t *o = body_fields(rq, r, fields);
	const char *old, *new_password;
	char msg[512];
	void *pg = server_clinic_conn(rq->server, msg, sizeof msg);
	int code;

	if (!o)
		return;
	if (!(old = text_field(o, "old", r)) || !(new_password = text_field(o, "new", r)))
		goto done;
	code = clinic_password_change(pg, actor_of(rq), rq->session, old, new_password, msg, sizeof msg);
	if (code < 0)
		unavailable(r, msg);
	else if (code == 1)
		refuse(r, 403, "wrong_password", msg);
	else if (code == 2)
		refuse(r, 400, "weak_password", msg);
	else
		r->status = 204;
done:
	json_decref(o);
}

/* POST /api/users {"user", "password", "role"} -> 201 {"user", "role"}: an admin makes any
 * account; a therapist makes patients, who go on their team. A patient's password may be
 * left out (an invite gives them one). */
void clinic_api_users_post(const struct request *rq, struct reply *r)
{
	static const char *const fields[] = { "user", "password", "role", NULL };
	const struct clinic_actor *who = actor_of(rq);
	json_t *o = body_fields(rq, r, fields), *pw;
	const char *user, *role_name;
	enum clinic_role role;
	char msg[512];
	void *pg = server_clinic_conn(rq->server, msg, sizeof msg);
	int code;

	if (!o)
		return;
	if (!(user = text_field(o, "user", r)) || !(role_name = text_field(o, "role", r)))
		goto done;
	role = clinic_role_parse(role_name);
	pw = json_object_get(o, "password");
	if (role == CLINIC_NOBODY) {
		refuse(r, 400, "bad_request", "role: expected admin, therapist or patient");
	} else if (pw && !json_is_string(pw) && !json_is_null(pw)) {
		refuse(r, 400, "bad_request", "password: expected a string, or null for a patient to be invited");
	} else if (who->role == CLINIC_THERAPIST && role != CLINIC_PATIENT) {
		refuse(r, 403, "forbidden", "a therapist may make patients only");
	} else {
		code = clinic_account_new(pg, who, user, json_is_string(pw) ? json_string_value(pw) : NULL,
					  role, msg, sizeof msg);
		if (code < 0)
			unavailable(r, msg);
		else if (code == 1)
			refuse(r, 409, "user_exists", msg);
		else if (code == 2)
			refuse(r, 400, "bad_request", msg);
		else
			reply_json(r, 201, json_pack("{s:s, s:s}", "user", user, "role", clinic_role_name(role)));
	}
done:
	json_decref(o);
}

/* GET /api/users (admin) -> every account. */
void clinic_api_users_get(const struct request *rq, struct reply *r)
{
	char msg[512], *out;
	void *pg = server_clinic_conn(rq->server, msg, sizeof msg);

	out = pg ? clinic_users_json(pg, msg, sizeof msg) : NULL;
	if (!out) {
		unavailable(r, msg);
		return;
	}
	r->status = 200;
	r->body = out;
	r->len = strlen(out);
}

/* The {user} of a path /api/users/{user}/..., or of /api/patients/{user}/... */
static int path_user(const char *path, const char *prefix, char *out, size_t size)
{
	const char *start = path + strlen(prefix);
	size_t n = strcspn(start, "/");

	if (strncmp(path, prefix, strlen(prefix)) != 0 || n == 0 || n >= size)
		return -1;
	memcpy(out, start, n);
	out[n] = '\0';
	return 0;
}

static void disable(const struct request *rq, struct reply *r, int disabled)
{
	char user[CLINIC_NAME_MAX + 1], msg[512];
	void *pg = server_clinic_conn(rq->server, msg, sizeof msg);
	int code;

	if (path_user(rq->path, "/api/users/", user, sizeof user) != 0) {
		refuse(r, 404, "not_found", "no such account");
		return;
	}
	if (disabled && strcmp(user, actor_of(rq)->name) == 0) {
		refuse(r, 400, "bad_request", "an administrator cannot disable their own account");
		return;
	}
	code = clinic_account_disable(pg, user, disabled, msg, sizeof msg);
	if (code < 0)
		unavailable(r, msg);
	else if (code == 1)
		refuse(r, 404, "not_found", msg);
	else
		r->status = 204;
}

/* POST /api/users/{user}/disable and .../enable (admin) -> 204; disabling ends every
 * session of the account. */
void clinic_api_disable(const struct request *rq, struct reply *r) { disable(rq, r, 1); }
void clinic_api_enable(const struct request *rq, struct reply *r) { disable(rq, r, 0); }

/* POST /api/patients/{user}/team {"therapist": NAME} (admin) -> 201. */
void clinic_api_team(const struct request *rq, struct reply *r)
{
	static const char *const fields[] = { "therapist", NULL };
	char patient[CLINIC_NAME_MAX + 1], msg[512];
	json_t *o;
	const char *therapist;
	void *pg = server_clinic_conn(rq->server, msg, sizeof msg);
	int code;

	if (path_user(rq->path, "/api/patients/", patient, sizeof patient) != 0) {
		refuse(r, 404, "not_found", "no such patient");
		return;
	}
	o = body_fields(rq, r, fields);
	if (!o)
		return;
	if ((therapist = text_field(o, "therapist", r))) {
		code = clinic_team_add(pg, patient, therapist, msg, sizeof msg);
		if (code < 0)
			unavailable(r, msg);
		else if (code == 1)
			refuse(r, 404, "not_found", msg);
		else
			reply_json(r, 201, json_pack("{s:s, s:s}", "patient", patient, "therapist", therapist));
	}
	json_decref(o);
}

/* POST /api/patients/{user}/invite (admin, or a therapist on the team) -> 201
 * {"patient", "token", "link", "expires"}: a one-time link good for 72 hours. */
void clinic_api_invite(const struct request *rq, struct reply *r)
{
	const struct server_config *c = server_config_of(rq->server);
	char patient[CLINIC_NAME_MAX + 1], msg[512], token[CLINIC_TOKEN_LEN + 1], link[400];
	void *pg = server_clinic_conn(rq->server, msg, sizeof msg);
	int64_t expires;
	int code;

	if (path_user(rq->path, "/api/patients/", patient, sizeof patient) != 0) {
		refuse(r, 404, "not_found", "no such patient");
		return;
	}
	code = clinic_invite_new(pg, actor_of(rq), patient, token, &expires, msg, sizeof msg);
	if (code < 0) {
		unavailable(r, msg);
		return;
	}
	if (code == 1) {
		refuse(r, 404, "not_found", msg);
		return;
	}
	snprintf(link, sizeof link, "%s/#/invite/%s", c->public_origin ? c->public_origin : "", token);
	reply_json(r, 201, json_pack("{s:s, s:s, s:s, s:I}", "patient", patient, "token", token,
				     "link", link, "expires", (json_int_t)expires));
}

/* POST /api/invites/{token}/accept {"password"} -> 200 {"user", "role"} and the session
 * cookie; an unknown, used or expired invite is a 404. */
void clinic_api_accept(const struct request *rq, struct reply *r)
{
	static const char *const fields[] = { "password", NULL };
	char token[CLINIC_TOKEN_LEN + 2], session[CLINIC_TOKEN_LEN + 1], msg[512];
	struct clinic_actor who;
	json_t *o;
	const char *password;
	void *pg = server_clinic_conn(rq->server, msg, sizeof msg);
	int code;

	if (path_user(rq->path, "/api/invites/", token, sizeof token) != 0) {
		refuse(r, 404, "invite_unknown", "no such invite");
		return;
	}
	o = body_fields(rq, r, fields);
	if (!o)
		return;
	if ((password = text_field(o, "password", r))) {
		if (!pg) {
			unavailable(r, msg);
		} else {
			code = clinic_invite_accept(pg, token, password, &who, session, msg, sizeof msg);
			if (code < 0) {
				unavailable(r, msg);
			} else if (code == 1) {
				refuse(r, 404, "invite_unknown", msg);
			} else if (code == 2) {
				/* the invite stays unused: a refused password does not spend it */
				r->rollback = 1;
				refuse(r, 400, "weak_password", msg);
			} else {
				reply_json(r, 200, json_pack("{s:s, s:s}", "user", who.name, "role", "patient"));
				set_session(rq, r, session);
				sodium_memzero(session, sizeof session);
				*(struct clinic_actor *)rq->actor = who;
			}
		}
	}
	json_decref(o);
}

/* Today on the server's clock, as the local day of its time zone. */
static int64_t today_here(void)
{
	time_t t = time(NULL);
	struct tm tm;

	localtime_r(&t, &tm);
	return trp_local_day((int64_t)t, (int)(tm.tm_gmtoff / 60));
}

static void json_text_reply(struct reply *r, int status, char *text, const char *msg)
{
	if (!text) {
		unavailable(r, msg);
		return;
	}
	r->status = status;
	r->body = text;
	r->len = strlen(text);
	r->type = NULL;
}

/* GET /api/patients (admin, therapist) -> the patients one may follow, with the latest
 * pain, the last 28 days, the week's sessions against the program, and flags. */
void clinic_api_patients(const struct request *rq, struct reply *r)
{
	const struct clinic_actor *who = actor_of(rq);
	char msg[512];
	void *pg = server_clinic_conn(rq->server, msg, sizeof msg);

	json_text_reply(r, 200, pg ? care_patients_json(pg, who->id, who->role == CLINIC_ADMIN,
							(int64_t)time(NULL), msg, sizeof msg) : NULL, msg);
}

/* GET /api/audit[?patient=P][&since=TIME][&limit=N] (admin) -> the audit log. */
void clinic_api_audit(const struct request *rq, struct reply *r)
{
	const char *limit_text = api_query(rq, "limit"), *since_text = api_query(rq, "since");
	char msg[512], *out, *end = NULL, since[40];
	void *pg = server_clinic_conn(rq->server, msg, sizeof msg);
	long limit = limit_text ? strtol(limit_text, &end, 10) : 10000;
	int64_t at;
	int tz, has;

	if (limit_text && (*end || limit < 1 || limit > 100000)) {
		refuse(r, 400, "bad_request", "limit: expected a whole number from 1 to 100000");
		return;
	}
	if (since_text) {
		/* the same times as everywhere else in trp; without an offset, UTC */
		if (trp_time_parse(since_text, &at, &tz, &has, msg, sizeof msg) != TRP_OK) {
			refuse(r, 400, "bad_time", "since: expected a date or time such as 2026-11-24 or "
			       "2026-11-24T08:30:00Z");
			return;
		}
		trp_time_format(at, 0, since, sizeof since);
	}
	out = pg ? clinic_audit_json(pg, api_query(rq, "patient"), since_text ? since : NULL, limit, msg,
				     sizeof msg) : NULL;
	if (!out) {
		unavailable(r, msg);
		return;
	}
	r->status = 200;
	r->body = out;
	r->len = strlen(out);
}

/* ---------------------------------------------------------------- the way in */

/* Ends the transaction of a request: the audit row, then commit (one round trip). A reply
 * the database could not make stick (a failed statement, a commit that did not go
 * through) becomes a 503, so that nothing is acknowledged that was not stored. */
static void finish(const struct request *rq, struct reply *r, void *pg, const struct clinic_actor *who,
		   const char *patient, const char *route)
{
	const char *action = strcmp(rq->method, "GET") == 0 || strcmp(rq->method, "HEAD") == 0 ? "read" : "write";
	char msg[512];

	if (r->rollback || clinic_failed(pg) || r->status >= 500) {
		/* what the route did is undone; the audit row goes in on its own */
		clinic_rollback(pg);
		if (clinic_begin(pg, server_clinic_as_app(rq->server), msg, sizeof msg) != 0) {
			unavailable(r, msg);
			return;
		}
	}
	if (clinic_finish(pg, who, patient, action, route, r->status, msg, sizeof msg) != 0)
		unavailable(r, msg);
}

/* Starts the transaction of a request and reads its session (and, for a diary route,
 * the access check); -1 after a reply. */
static int start(const struct request *rq, struct reply *r, void **pg, struct clinic_actor *who,
		 const char *patient, int want_patient, int64_t *patient_id)
{
	char msg[512];

	*pg = server_clinic_conn(rq->server, msg, sizeof msg);
	if (!*pg || clinic_start(*pg, server_clinic_as_app(rq->server), rq->session, patient, want_patient,
				 who, patient_id, msg, sizeof msg) != 0) {
		unavailable(r, msg);
		return -1;
	}
	return 0;
}

void clinic_call(const struct request *rq, struct reply *r, void (*fn)(const struct request *, struct reply *),
		 enum clinic_role least, const char *route)
{
	struct request inner = *rq;
	struct clinic_actor who;
	void *pg;
	int64_t unused;
	int allowed;

	if (start(rq, r, &pg, &who, NULL, 0, &unused) != 0)
		return;
	/* least: CLINIC_NOBODY for anyone (login, an invite), CLINIC_PATIENT for any account,
	 * CLINIC_THERAPIST for staff, CLINIC_ADMIN for administrators only */
	allowed = least == CLINIC_NOBODY ||
		  (who.role != CLINIC_NOBODY &&
		   (least == CLINIC_PATIENT ||
		    (least == CLINIC_THERAPIST && (who.role == CLINIC_THERAPIST || who.role == CLINIC_ADMIN)) ||
		    (least == CLINIC_ADMIN && who.role == CLINIC_ADMIN)));
	if (!allowed) {
		if (who.role == CLINIC_NOBODY) {
			clinic_rollback(pg);
			refuse(r, 401, "login_required", "log in first");
			return;
		}
		refuse(r, 403, "forbidden", "this needs another role");
		finish(rq, r, pg, &who, NULL, route);
		return;
	}
	inner.actor = &who;
	fn(&inner, r);
	finish(rq, r, pg, &who, NULL, route);
}

void clinic_diary_call(const struct request *rq, struct reply *r,
		       void (*fn)(const struct request *, struct reply *), const char *patient,
		       const char *route, enum diary_by by)
{
	struct request inner = *rq;
	struct clinic_actor who;
	const char *name;
	char text[200];
	void *pg;
	int64_t id;

	/* the access check (clinic.c's ACCESS_RULE) in the same statement as the session */
	if (start(rq, r, &pg, &who, patient, 1, &id) != 0)
		return;
	if (who.role == CLINIC_NOBODY) {
		clinic_rollback(pg);
		refuse(r, 401, "login_required", "log in to see a diary");
		return;
	}
	/* the local routes are the asker's own diary; /api/patients/{user}/ names one */
	name = patient ? patient : who.role == CLINIC_PATIENT ? who.name : NULL;
	if (id == 0) {
		if (name)
			snprintf(text, sizeof text, "no patient '%.64s'", name);
		else
			snprintf(text, sizeof text, "a %s keeps no diary: see a patient's under "
				 "/api/patients/{user}/", clinic_role_name(who.role));
		refuse(r, 404, "not_found", text);
	} else if (by == BY_PATIENT && who.role != CLINIC_PATIENT) {
		refuse(r, 403, "forbidden", "only the patient themself may do this");
	} else if (by == BY_TEAM && who.role == CLINIC_PATIENT) {
		refuse(r, 403, "forbidden", "only the patient's therapist may do this");
	} else if (trp__diary_pg_bind(pg, id, &inner.diary) != TRP_OK) {
		refuse(r, 500, "out_of_memory", "out of memory");
	} else {
		inner.actor = &who;
		inner.patient_id = id;
		fn(&inner, r);
		trp_diary_close(inner.diary);
	}
	finish(rq, r, pg, &who, name, route);
}

/* ---------------------------------------------------------------- care */

/* GET /api/program (the patient, or the team under /api/patients/{user}/): the current
 * home program, today's part of it and the adherence. */
void clinic_api_program_get(const struct request *rq, struct reply *r)
{
	char msg[512];
	void *pg = server_clinic_conn(rq->server, msg, sizeof msg);

	json_text_reply(r, 200, pg ? care_program_json(pg, rq->patient_id, today_here(), msg, sizeof msg) : NULL, msg);
}

/* POST /api/patients/{user}/program (a therapist on the team, or an admin on it): a new
 * version of the program -> 201 and the program. */
void clinic_api_program_post(const struct request *rq, struct reply *r)
{
	const struct clinic_actor *who = actor_of(rq);
	char msg[512], *out = NULL;
	void *pg = server_clinic_conn(rq->server, msg, sizeof msg);
	int code;

	if (who->role == CLINIC_PATIENT) {
		refuse(r, 403, "forbidden", "a home program is set by the therapist");
		return;
	}
	code = care_program_set(pg, who, rq->patient_id, rq->body, rq->len, server_atlas(rq->server),
				today_here(), &out, msg, sizeof msg);
	if (code == 2)
		refuse(r, 400, "bad_program", msg);
	else
		json_text_reply(r, 201, code == 0 ? out : NULL, msg);
}

/* POST /api/program/sessions: a session done against the program, the body of POST
 * /api/sessions with "program": {"version", "item"} -> 201 and the entry. */
void clinic_api_program_session(const struct request *rq, struct reply *r)
{
	json_error_t jerr;
	json_t *o = json_loadb(rq->body, rq->len, JSON_REJECT_DUPLICATES, &jerr), *prog, *version, *item, *stored;
	struct request inner = *rq;
	char msg[512], *rest = NULL;
	void *pg = server_clinic_conn(rq->server, msg, sizeof msg);
	int code, want_version, want_item;

	prog = o ? json_object_get(o, "program") : NULL;
	version = json_object_get(prog, "version");
	item = json_object_get(prog, "item");
	if (!json_is_object(prog) || json_object_size(prog) != 2 || !json_is_integer(version) ||
	    !json_is_integer(item) || json_integer_value(version) < 1 || json_integer_value(version) > 100000 ||
	    json_integer_value(item) < 0 || json_integer_value(item) > 100) {
		json_decref(o);
		refuse(r, 400, "bad_request", "program: expected {\"version\": N, \"item\": N} beside the session's fields");
		return;
	}
	want_version = (int)json_integer_value(version);
	want_item = (int)json_integer_value(item);
	json_object_del(o, "program");   /* frees prog, version and item */
	rest = json_dumps(o, JSON_COMPACT);
	inner.body = rest ? rest : "";
	inner.len = rest ? strlen(rest) : 0;
	api_add_entry(&inner, r, TRP_SESSION_ENTRY);
	if (r->status == 201) {
		stored = json_loads(r->body, 0, &jerr);
		code = care_program_link(pg, rq->patient_id, (int64_t)json_integer_value(json_object_get(stored, "id")),
					 want_version, want_item, msg, sizeof msg);
		json_decref(stored);
		if (code == 1) {
			r->rollback = 1;
			refuse(r, 400, "bad_program", msg);
		} else if (code < 0) {
			unavailable(r, msg);
		}
	}
	free(rest);
	json_decref(o);
}

/* GET /api/consent -> {"share_outcomes", "since"}; POST /api/consent (the patient only)
 * {"share_outcomes": true|false} -> 204. Off until the patient says otherwise. */
void clinic_api_consent_get(const struct request *rq, struct reply *r)
{
	char msg[512];
	void *pg = server_clinic_conn(rq->server, msg, sizeof msg);

	json_text_reply(r, 200, pg ? care_consent_json(pg, rq->patient_id, msg, sizeof msg) : NULL, msg);
}

void clinic_api_consent_post(const struct request *rq, struct reply *r)
{
	static const char *const fields[] = { "share_outcomes", NULL };
	json_t *o;
	char msg[512];
	void *pg = server_clinic_conn(rq->server, msg, sizeof msg);

	if (actor_of(rq)->role != CLINIC_PATIENT || actor_of(rq)->id != rq->patient_id) {
		refuse(r, 403, "forbidden", "only the patient may give or take back their consent");
		return;
	}
	o = body_fields(rq, r, fields);
	if (!o)
		return;
	if (!json_is_boolean(json_object_get(o, "share_outcomes")))
		refuse(r, 400, "bad_request", "share_outcomes: expected true or false");
	else if (care_consent_set(pg, rq->patient_id, json_is_true(json_object_get(o, "share_outcomes")), msg, sizeof msg))
		unavailable(r, msg);
	else
		r->status = 204;
	json_decref(o);
}

/* GET /api/experiences?muscle=ID (anyone logged in): the latest snapshot's figures for
 * the muscle; 404 until the first snapshot is made. */
void clinic_api_experiences(const struct request *rq, struct reply *r)
{
	const char *id = api_query(rq, "muscle");
	const trp_muscle *m = id ? trp_atlas_find(server_atlas(rq->server), id) : NULL;
	char msg[512], *text;
	void *pg = server_clinic_conn(rq->server, msg, sizeof msg);
	int none = 0;

	if (!m) {
		refuse(r, 400, "bad_request", "muscle: expected a muscle id, as GET /api/muscles gives them");
		return;
	}
	text = pg ? pool_latest(pg, &none, msg, sizeof msg) : NULL;
	if (!text && none) {
		refuse(r, 404, "not_found", "the clinic has made no snapshot of shared outcomes yet");
		return;
	}
	if (!text) {
		unavailable(r, msg);
		return;
	}
	json_text_reply(r, 200, trp__experiences_muscle(text, strlen(text), trp_muscle_id(m), 0), "out of memory");
	free(text);
}

char *clinic_report_program(const struct request *rq, char *report)
{
	char msg[512], *program, *out = NULL;
	void *pg = server_clinic_conn(rq->server, msg, sizeof msg);
	json_t *root = json_loads(report, 0, NULL), *p;

	program = pg && root ? care_program_json(pg, rq->patient_id, today_here(), msg, sizeof msg) : NULL;
	p = program ? json_loads(program, 0, NULL) : NULL;
	if (root && p && json_object_set_new(root, "program", p) == 0)
		out = json_dumps(root, JSON_COMPACT | JSON_REAL_PRECISION(15));
	else
		json_decref(p);
	json_decref(root);
	free(program);
	if (!out)
		return report;   /* the report without it rather than none */
	free(report);
	return out;
}
