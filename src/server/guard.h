/*
 * guard.h: what every request to `trp serve` passes before a route sees it (guard.c,
 * docs/security.md): the Host allowlist, a well-formed address, the Origin check, the
 * launch token and the JSON content type of state changes.
 */
#ifndef TRP_GUARD_H
#define TRP_GUARD_H

#include <stddef.h>

#include "server.h"

#define GUARD_HOSTS 48           /* allowed Host values, with and without the port */
#define GUARD_HOST_MAX 280       /* a DNS name of 253 bytes, ':' and a port */
#define GUARD_TOKEN_MAX 64       /* the base64url text of 32 random bytes is 43 bytes */

struct guard {
	char token[GUARD_TOKEN_MAX];        /* "" when --no-token */
	size_t token_len;
	char cookie[32];                    /* "trp_token_PORT": cookies are shared by every
					     * port of a host, so each server names its own */
	char hosts[GUARD_HOSTS][GUARD_HOST_MAX];
	size_t nhosts;
	char origin[GUARD_HOST_MAX + 16];   /* the Origin every page of the server has, when it
					     * is fixed (--public-origin); "" for http:// + Host */
};

/* Sets up the guard of a server listening on `port`: draws the token (unless
 * config->no_token, or in clinic mode, where sessions take its place) and lists the Host values it answers to (localhost, 127.0.0.1,
 * [::1], the bound address and config->allow_hosts, each with ":PORT", and without the
 * port when it is 80). Returns 0, or -1 with msg when a name does not fit. */
int guard_init(struct guard *g, const struct server_config *config, unsigned port,
	       char *msg, size_t msgsize);

/* What the guard decided about one request. */
enum guard_verdict {
	GUARD_PASS = 0,      /* on to the routes */
	GUARD_REFUSED,       /* *status, *code and *message say why */
	GUARD_REDIRECT       /* the page's first load: the token is traded for a cookie and
			      * dropped from the address; *location is where to go */
};

struct guard_answer {
	int status;
	const char *code;
	const char *message;
	char location[1024];
};

/* Checks the request whose head libmicrohttpd has read (connection is a struct
 * MHD_Connection). Pure: it only reads the request. */
enum guard_verdict guard_check(const struct guard *g, void *connection, const char *method,
			       const char *url, struct guard_answer *out);

/* The Set-Cookie value that carries the token (for the redirect), written into buf. */
void guard_cookie(const struct guard *g, char *buf, size_t size);

#endif
