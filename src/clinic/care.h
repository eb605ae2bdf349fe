/*
 * care.h: home programs, consent and the therapist's list of patients (care.c), over the
 * clinic database. Every call takes the caller's connection (a PGconn) inside the
 * request's transaction; JSON results are malloc'd (free()); -1 means the database
 * failed (msg says how), 1 or 2 the input was refused (msg says why).
 */
#ifndef TRP_CARE_H
#define TRP_CARE_H

#include <stddef.h>
#include <stdint.h>

#include "clinic.h"
#include "trp/trp.h"

/* Stores a new version of the patient's program from its JSON ({"items": [{"muscle",
 * "side", "technique", "dose", "per_day", "weeks", "notes"}], "notes", "start"}), made by
 * `by`; *out is the program as care_program_json() gives it. 0, 2 (refused), -1. */
int care_program_set(void *conn, const struct clinic_actor *by, int64_t patient, const char *text,
		     size_t len, const trp_atlas *atlas, int64_t today, char **out, char *msg, size_t msgsize);

/* The patient's current program, with today's part of it (each item's sessions due and
 * done on the local day `today`), the adherence week by week since its start (sessions
 * done against any version, against those prescribed), and the sessions done against it
 * with the version each followed: {"version", "made", "made_by", "start", "notes",
 * "items", "today", "adherence", "sessions"}; "version" null when there is none. */
char *care_program_json(void *conn, int64_t patient, int64_t today, char *msg, size_t msgsize);

/* Marks the entry `entry` as a session done against item `item` of version `version`.
 * 0; 1 when there is no such version or item; -1. */
int care_program_link(void *conn, int64_t patient, int64_t entry, int version, int item, char *msg,
		      size_t msgsize);

/* The patient's consent to pool their outcomes (every change is kept; the newest
 * counts): set, and read as {"share_outcomes", "since"} (off, since null, until set). */
int care_consent_set(void *conn, int64_t patient, int share, char *msg, size_t msgsize);
char *care_consent_json(void *conn, int64_t patient, char *msg, size_t msgsize);

/* The patients a therapist follows (an admin: every patient, with on_team), with what
 * says whom to look at first: [{"user", "disabled", "has_password", "on_team",
 * "latest_pain" (the latest pain map's peak or session's pain before), "latest_at", "trend": [28
 * daily figures, oldest first, null for none],
 * "sessions_week": {"done", "prescribed"}, "flags": ["worse", "inactive", ...]}]. "worse":
 * the last 7 days' mean daily pain 2 points or more above the 7 days before; "inactive":
 * no entry for 14 days. */
char *care_patients_json(void *conn, int64_t therapist, int admin, int64_t now, char *msg, size_t msgsize);

#endif
