/*
 * server.h: `trp serve`, the HTTP face of libtrp (docs/api.md): the files of web/, and a
 * JSON API whose bodies are the CLI's --json objects.
 */
#ifndef TRP_SERVER_H
#define TRP_SERVER_H

#include <stddef.h>

#include "trp/diary.h"
#include "trp/trp.h"

#define SERVER_ALLOW_HOSTS 8

struct server_config {
	const char *host;          /* an IPv4 or IPv6 literal; default 127.0.0.1 */
	unsigned port;             /* 0: any free port */
	const char *db_path;       /* the diary */
	unsigned threads;          /* event loops, one thread each */
	const trp_atlas *atlas;
	int no_token;              /* --no-token: no launch token (a single-user machine) */
	const char *allow_hosts[SERVER_ALLOW_HOSTS];   /* --allow-host NAME: more Host names */
	size_t nallow;
	unsigned idle_seconds;     /* an idle connection is closed after this long */
	unsigned check_seconds;    /* the diary is looked over for damage this often */
	/* clinic mode (docs/clinic.md): the database, instead of the local diary */
	const char *clinic;        /* a libpq connection string or URI, or NULL */
	const char *public_origin; /* "https://clinic.example": the Host and Origin behind a proxy */
	const char *tls_proxy;     /* the proxy's address, whose X-Forwarded-* are believed */
	/* local mode: a clinic's pooled outcomes to show (trp serve --experiences FILE) */
	const char *experiences;
	size_t experiences_len;
};

struct server;

#define REQUEST_ARGS 8

/* What one request asks, and what it gets. Everything it points to lives until the
 * reply is sent, so a request may be answered on another thread (the pictures). */
struct request {
	const char *method;        /* HEAD is answered as GET, without the body */
	const char *path;
	const char *body;
	size_t len;
	struct server *server;
	const char *keys[REQUEST_ARGS], *values[REQUEST_ARGS];   /* the query (api_query) */
	size_t nargs;
	/* clinic mode */
	const char *session;       /* the trp_session cookie, or NULL */
	char client[64];           /* the client's address (the proxy's X-Forwarded-For) */
	int secure;                /* it came over TLS, through the trusted proxy */
	trp_diary *diary;          /* the patient's diary, once the access check let it through */
	void *actor;               /* the struct clinic_actor that asks, once known */
	int64_t patient_id;        /* the patient's account, once the access check passed */
};

struct reply {
	int status;
	char *body;                /* malloc'd; NULL for an empty body */
	const void *fixed;         /* or a body that lives as long as the program (a file of
				    * web/ built in), sent from where it is */
	size_t len;
	const char *type;          /* NULL: application/json */
	char allow[64];            /* the Allow header of a 405, or "" */
	int recycle;               /* body is from server_reply_buffer() and still of the size
				    * it gave: given back once sent, not freed */
	const char *location;      /* a Location header, or NULL */
	char cookie[200];          /* a Set-Cookie header, or "" */
	int rollback;              /* clinic mode: undo what the route did (its audit row stays) */
};

/* Runs until SIGINT or SIGTERM: prints the URL on stdout once listening. Returns an exit
 * code (0 after a clean stop); msg says why it could not start. */
int server_run(const struct server_config *config, char *msg, size_t msgsize);

/* ---- for the routes (api.c) */

/* Answers one request: the API, or a file of web/. */
void api_handle(const struct request *rq, struct reply *out);

/* POST /api/pain and /api/sessions: an entry of `kind` from the body, stored (201). */
void api_add_entry(const struct request *rq, struct reply *r, trp_entry_kind kind);

/* The largest body a request to this path may send: 64 KiB, and 32 MiB for an upload of
 * a whole diary (POST /api/import). */
size_t api_body_max(const char *method, const char *path);

/* Whether the request's route draws a picture: the server answers it on a thread of its
 * own pool, off the event loops, so that the other requests are not kept waiting. */
int api_slow(const struct request *rq);

/* The route table as JSON ([{"method", "path", "access", "least", "slow"}]), for
 * `trp serve --routes` and the tests that try every route; free(). */
char *api_routes_json(void);

/* The value of ?key= in the request's URL, or NULL. */
const char *api_query(const struct request *rq, const char *key);

/* The state each worker thread keeps for itself (a find result, a diary handle). */
trp_find_result *server_find_result(struct server *s);
trp_diary *server_diary(struct server *s, char *msg, size_t msgsize);

/* The diary a request works on: in local mode the thread's connection to the diary file,
 * in clinic mode the patient's, which the access check opened (NULL: msg says why). */
trp_diary *request_diary(const struct request *rq, char *msg, size_t msgsize);

/* Clinic mode: this thread's connection to the database (a PGconn), made at its first
 * use, made again after a failure; NULL with msg. Whether the server must SET ROLE. */
void *server_clinic_conn(struct server *s, char *msg, size_t msgsize);
int server_clinic_as_app(const struct server *s);
const struct server_config *server_config_of(const struct server *s);
const trp_atlas *server_atlas(const struct server *s);
const trp_finder *server_finder(const struct server *s);

/* What is wrong with the diary, once a check has found it damaged (NULL while it is
 * sound): its writes and its report are refused from then on. */
const char *server_damage(const struct server *s);

/* A malloc'd buffer for a reply body, one this thread has spare or a new one, with its
 * size in *cap (NULL and 0 when out of memory). Grow it with realloc if need be; make it
 * the reply's body, with recycle set if it was not grown: once sent, it becomes a spare
 * again instead of being freed. */
char *server_reply_buffer(struct server *s, size_t *cap);

#endif
