/*
 * server.h: `trp serve`, the HTTP face of libtrp (docs/api.md): the files of web/, and a
 * JSON API whose bodies are the CLI's --json objects.
 */
#ifndef TRP_SERVER_H
#define TRP_SERVER_H

#include <stddef.h>

#include "trp/diary.h"
#include "trp/trp.h"

struct server_config {
	const char *host;          /* an IPv4 or IPv6 literal; default 127.0.0.1 */
	unsigned port;             /* 0: any free port */
	const char *db_path;       /* the diary */
	unsigned threads;          /* event loops, one thread each */
	const trp_atlas *atlas;
};

struct server;

/* What one request asks, and what it gets. */
struct request {
	const char *method;
	const char *path;
	const char *body;
	size_t len;
	struct server *server;
	void *connection;          /* for the query string (api_query) */
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
};

/* Runs until SIGINT or SIGTERM: prints the URL on stdout once listening. Returns an exit
 * code (0 after a clean stop); msg says why it could not start. */
int server_run(const struct server_config *config, char *msg, size_t msgsize);

/* ---- for the routes (api.c) */

/* Answers one request: the API, or a file of web/. */
void api_handle(const struct request *rq, struct reply *out);

/* The value of ?key= in the request's URL, or NULL. */
const char *api_query(const struct request *rq, const char *key);

/* The state each worker thread keeps for itself (a find result, a diary handle). */
trp_find_result *server_find_result(struct server *s);
trp_diary *server_diary(struct server *s, char *msg, size_t msgsize);
const trp_atlas *server_atlas(const struct server *s);
const trp_finder *server_finder(const struct server *s);

/* A malloc'd buffer for a reply body, one this thread has spare or a new one, with its
 * size in *cap (NULL and 0 when out of memory). Grow it with realloc if need be; make it
 * the reply's body, with recycle set if it was not grown: once sent, it becomes a spare
 * again instead of being freed. */
char *server_reply_buffer(struct server *s, size_t *cap);

#endif
