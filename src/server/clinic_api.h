/* clinic_api.h: the routes of clinic mode and the way into them (clinic_api.c). */
#ifndef TRP_CLINIC_API_H
#define TRP_CLINIC_API_H

#include "clinic.h"
#include "server.h"

typedef void route_fn(const struct request *rq, struct reply *r);

/* Runs a clinic route in its transaction: the session read, the role checked against
 * `least` (CLINIC_NOBODY: anyone; CLINIC_PATIENT: any account; CLINIC_THERAPIST: staff;
 * CLINIC_ADMIN), the route, its audit row, the commit. */
void clinic_call(const struct request *rq, struct reply *r, route_fn *fn, enum clinic_role least,
		 const char *route);

/* Who, of those the access check lets in, may call a diary route: anyone let in, only the
 * patient themself (consent), or only their team (setting a program). */
enum diary_by { BY_EITHER, BY_PATIENT, BY_TEAM };

/* Runs a diary route on the diary of `patient` (NULL: the asker's own) after the one
 * access check, in one transaction with its audit row. */
void clinic_diary_call(const struct request *rq, struct reply *r, route_fn *fn, const char *patient,
		       const char *route, enum diary_by by);

/* The report's JSON (taken, and freed) with "program" added: the patient's home program as
 * GET /api/program gives it (adherence per week, the version and item of each session
 * done against it); NULL when out of memory. */
char *clinic_report_program(const struct request *rq, char *report);

route_fn clinic_api_experiences, clinic_api_login, clinic_api_logout, clinic_api_me, clinic_api_password,
	clinic_api_users_post, clinic_api_users_get, clinic_api_disable, clinic_api_enable,
	clinic_api_team, clinic_api_invite, clinic_api_accept, clinic_api_patients, clinic_api_audit,
	clinic_api_program_get, clinic_api_program_post, clinic_api_program_session,
	clinic_api_consent_get, clinic_api_consent_post;

#endif
