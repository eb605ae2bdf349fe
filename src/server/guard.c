/*
 * guard.c: the checks every request to `trp serve` passes before a route sees it, in
 * local mode (docs/security.md says why each is there):
 *
 *  1. Host is one of the names this server answers to (a DNS-rebinding page sends its
 *     own name): 403.
 *  2. The address is well-formed: UTF-8 text without control characters, in the path
 *     and in every query value: 400. One Content-Length, and one Host: 400.
 *  3. An Origin header, when there is one, is this server's own, http:// and the Host
 *     (another website's page, or a sandboxed one with Origin: null): 403.
 *  4. The launch token, from the cookie the first page load set or from ?token= (other
 *     users of the machine, other websites): 401.
 *  5. A state change (POST, PUT, PATCH, DELETE) says Content-Type: application/json,
 *     which a plain HTML form or a "simple" cross-site fetch cannot send: 415.
 *
 * It only reads the request; the server sends the answer.
 */
#include <arpa/inet.h>
#include <ifaddrs.h>
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include <microhttpd.h>
#include <sodium.h>

#include "guard.h"
#include "trp/trp.h"

/* Adds NAME:PORT (and NAME alone when the port is 80); -1 when there is no room or the
 * name is too long. */
static int add_host(struct guard *g, const char *name, unsigned port)
{
	int n;

	if (g->nhosts + 2 > GUARD_HOSTS)
		return -1;
	n = snprintf(g->hosts[g->nhosts], GUARD_HOST_MAX, "%s:%u", name, port);
	if (n < 0 || n >= GUARD_HOST_MAX)
		return -1;
	g->nhosts++;
	/* a browser leaves out the port of its scheme's default */
	if (port == 80)
		snprintf(g->hosts[g->nhosts++], GUARD_HOST_MAX, "%s", name);
	return 0;
}

/* On a wildcard address (--insecure-lan), the names other devices reach this machine by:
 * the addresses of its interfaces and its host name, as far as there is room. */
static void add_interfaces(struct guard *g, unsigned port)
{
	struct ifaddrs *all, *i;
	char name[INET6_ADDRSTRLEN + 2];

	if (gethostname(name, sizeof name) == 0 && name[0])
		(void)add_host(g, name, port);
	if (getifaddrs(&all) != 0)
		return;
	for (i = all; i; i = i->ifa_next) {
		char text[INET6_ADDRSTRLEN];

		if (!i->ifa_addr)
			continue;
		if (i->ifa_addr->sa_family == AF_INET &&
		    inet_ntop(AF_INET, &((struct sockaddr_in *)(void *)i->ifa_addr)->sin_addr, text, sizeof text))
			snprintf(name, sizeof name, "%s", text);
		else if (i->ifa_addr->sa_family == AF_INET6 &&
			 inet_ntop(AF_INET6, &((struct sockaddr_in6 *)(void *)i->ifa_addr)->sin6_addr, text, sizeof text))
			snprintf(name, sizeof name, "[%s]", text);
		else
			continue;
		if (add_host(g, name, port) != 0)
			break;
	}
	freeifaddrs(all);
}

int guard_init(struct guard *g, const struct server_config *config, unsigned port,
	       char *msg, size_t msgsize)
{
	unsigned char raw[32];
	size_t i;

	memset(g, 0, sizeof *g);
	snprintf(g->cookie, sizeof g->cookie, "trp_token_%u", port);
	if (!config->no_token && !config->clinic) {
		if (sodium_init() < 0) {
			snprintf(msg, msgsize, "cannot start libsodium's random number generator");
			return -1;
		}
		randombytes_buf(raw, sizeof raw);
		sodium_bin2base64(g->token, sizeof g->token, raw, sizeof raw,
				  sodium_base64_VARIANT_URLSAFE_NO_PADDING);
		sodium_memzero(raw, sizeof raw);
		g->token_len = strlen(g->token);
	}
	add_host(g, "localhost", port);
	add_host(g, "127.0.0.1", port);
	add_host(g, "[::1]", port);
	if (strcmp(config->host, "127.0.0.1") != 0 && strcmp(config->host, "::1") != 0) {
		char bracketed[64];

		snprintf(bracketed, sizeof bracketed, strchr(config->host, ':') ? "[%s]" : "%s",
			 config->host);
		add_host(g, bracketed, port);
	}
	for (i = 0; i < config->nallow; i++)
		if (add_host(g, config->allow_hosts[i], port) != 0) {
			snprintf(msg, msgsize, "--allow-host: '%.64s' is too long, or there are too many names",
				 config->allow_hosts[i]);
			return -1;
		}
	if (strcmp(config->host, "0.0.0.0") == 0 || strcmp(config->host, "::") == 0)
		add_interfaces(g, port);
	if (config->public_origin) {
		/* https://clinic.example[:port]: the proxy passes that Host on */
		const char *host = strstr(config->public_origin, "://");

		if (!host || !host[3] || strchr(host + 3, '/') ||
		    (size_t)snprintf(g->origin, sizeof g->origin, "%s", config->public_origin) >= sizeof g->origin ||
		    g->nhosts + 1 > GUARD_HOSTS) {
			snprintf(msg, msgsize, "--public-origin: '%.64s' is not an origin such as "
				 "https://clinic.example", config->public_origin);
			return -1;
		}
		snprintf(g->hosts[g->nhosts++], GUARD_HOST_MAX, "%s", host + 3);
	}
	return 0;
}

void guard_cookie(const struct guard *g, char *buf, size_t size)
{
	/* no Max-Age: it lasts as long as the browser runs; the token changes with every
	 * start of the server anyway */
	snprintf(buf, size, "%s=%s; Path=/; HttpOnly; SameSite=Strict", g->cookie, g->token);
}

/* What one pass over the request's headers found. */
struct heads {
	const char *host, *origin, *type, *length;
	int hosts, lengths_differ;
};

static enum MHD_Result each_head(void *cls, enum MHD_ValueKind kind, const char *key,
				 const char *value)
{
	struct heads *h = cls;

	(void)kind;
	if (strcasecmp(key, MHD_HTTP_HEADER_HOST) == 0) {
		h->host = value;
		h->hosts++;
	} else if (strcasecmp(key, MHD_HTTP_HEADER_ORIGIN) == 0) {
		h->origin = value;
	} else if (strcasecmp(key, MHD_HTTP_HEADER_CONTENT_TYPE) == 0) {
		h->type = value;
	} else if (strcasecmp(key, MHD_HTTP_HEADER_CONTENT_LENGTH) == 0) {
		if (h->length && strcmp(h->length, value) != 0)
			h->lengths_differ = 1;
		h->length = value;
	}
	return MHD_YES;
}

static enum MHD_Result each_arg(void *cls, enum MHD_ValueKind kind, const char *key,
				const char *value)
{
	int *bad = cls;

	(void)kind;
	if (trp_text_check(key, strlen(key), 0) || (value && trp_text_check(value, strlen(value), 0))) {
		*bad = 1;
		return MHD_NO;
	}
	return MHD_YES;
}

static int allowed_host(const struct guard *g, const char *host)
{
	size_t i;

	for (i = 0; i < g->nhosts; i++)
		if (strcasecmp(g->hosts[i], host) == 0)
			return 1;
	return 0;
}

/* Whether the text equals the token, in time that does not depend on where they differ. */
static int is_token(const struct guard *g, const char *text)
{
	return text && strlen(text) == g->token_len &&
	       sodium_memcmp(text, g->token, g->token_len) == 0;
}

/* The media type of a Content-Type value is application/json (any parameters after). */
static int json_type(const char *type)
{
	size_t n = strlen("application/json");

	if (!type || strncasecmp(type, "application/json", n) != 0)
		return 0;
	type += n;
	while (*type == ' ' || *type == '\t')
		type++;
	return *type == '\0' || *type == ';';
}

static int state_change(const char *method)
{
	return strcmp(method, "POST") == 0 || strcmp(method, "PUT") == 0 ||
	       strcmp(method, "PATCH") == 0 || strcmp(method, "DELETE") == 0;
}

static enum guard_verdict refuse(struct guard_answer *out, int status, const char *code,
				 const char *message)
{
	out->status = status;
	out->code = code;
	out->message = message;
	return GUARD_REFUSED;
}

/* Percent-encodes `s` onto the location being built; 0 when it does not fit. */
static int put_encoded(char *buf, size_t size, size_t *used, const char *s)
{
	static const char hex[] = "0123456789ABCDEF";

	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;
		int plain = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
			    c == '-' || c == '_' || c == '.' || c == '~';

		if (*used + 4 >= size)
			return 0;
		if (plain) {
			buf[(*used)++] = (char)c;
		} else {
			buf[(*used)++] = '%';
			buf[(*used)++] = hex[c >> 4];
			buf[(*used)++] = hex[c & 15];
		}
	}
	return 1;
}

struct rebuild {
	struct guard_answer *out;
	size_t used;
	int ok, first;
};

/* Adds one query argument, other than the token, to the redirect's location. */
static enum MHD_Result keep_arg(void *cls, enum MHD_ValueKind kind, const char *key,
				const char *value)
{
	struct rebuild *b = cls;
	char *loc = b->out->location;
	size_t size = sizeof b->out->location;

	(void)kind;
	if (strcmp(key, "token") == 0)
		return MHD_YES;
	if (b->used + 2 >= size) {
		b->ok = 0;
		return MHD_NO;
	}
	loc[b->used++] = b->first ? '?' : '&';
	b->first = 0;
	if (!put_encoded(loc, size, &b->used, key))
		goto too_long;
	if (value) {
		if (b->used + 2 >= size)
			goto too_long;
		loc[b->used++] = '=';
		if (!put_encoded(loc, size, &b->used, value))
			goto too_long;
	}
	return MHD_YES;
too_long:
	b->ok = 0;
	return MHD_NO;
}

enum guard_verdict guard_check(const struct guard *g, void *connection, const char *method,
			       const char *url, struct guard_answer *out)
{
	struct MHD_Connection *c = connection;
	struct heads h;
	const char *query_token, *cookie;
	char origin[GUARD_HOST_MAX + 16];
	int bad_arg = 0;

	memset(&h, 0, sizeof h);
	MHD_get_connection_values(c, MHD_HEADER_KIND, each_head, &h);
	if (h.hosts > 1)
		return refuse(out, 400, "bad_request", "more than one Host header");
	if (!h.host || !allowed_host(g, h.host))
		return refuse(out, 403, "forbidden_host",
			      "this trp server answers only to its own address (http://127.0.0.1 or "
			      "http://localhost with its port, and names given with --allow-host)");
	if (h.lengths_differ)
		return refuse(out, 400, "bad_request", "two Content-Length headers that differ");
	if (trp_text_check(url, strlen(url), 0))
		return refuse(out, 400, "bad_url", "the address is not UTF-8 text, or holds control characters");
	MHD_get_connection_values(c, MHD_GET_ARGUMENT_KIND, each_arg, &bad_arg);
	if (bad_arg)
		return refuse(out, 400, "bad_url", "a query value is not UTF-8 text, or holds control characters");
	if (h.origin) {
		if (g->origin[0])
			snprintf(origin, sizeof origin, "%s", g->origin);
		else
			snprintf(origin, sizeof origin, "http://%s", h.host);
		if (strcasecmp(h.origin, origin) != 0)
			return refuse(out, 403, "forbidden_origin",
				      "a request from another website (its Origin is not this server's own)");
	}
	if (g->token_len) {
		cookie = MHD_lookup_connection_value(c, MHD_COOKIE_KIND, g->cookie);
		query_token = MHD_lookup_connection_value(c, MHD_GET_ARGUMENT_KIND, "token");
		if (!is_token(g, cookie) && !is_token(g, query_token))
			return refuse(out, 401, "token_required",
				      "open the address that 'trp serve' printed when it started (it ends "
				      "in ?token=...); on a machine no one else uses, 'trp serve --no-token' "
				      "turns this off");
		/* the page's first load: trade the token for the cookie and take it out of the
		 * address, where history, bookmarks and screen shares would keep it */
		if (query_token && !is_token(g, cookie) &&
		    (strcmp(method, "GET") == 0 || strcmp(method, "HEAD") == 0) &&
		    strncmp(url, "/api/", 5) != 0) {
			struct rebuild b = { out, 0, 1, 1 };
			int n = snprintf(out->location, sizeof out->location, "%s", url);

			/* the path as it came (it is text), then every other argument again */
			if (n > 0 && (size_t)n < sizeof out->location) {
				b.used = (size_t)n;
				MHD_get_connection_values(c, MHD_GET_ARGUMENT_KIND, keep_arg, &b);
			}
			if (n <= 0 || (size_t)n >= sizeof out->location || !b.ok)
				b.used = (size_t)snprintf(out->location, sizeof out->location, "/");
			out->location[b.used] = '\0';
			out->status = 303;
			return GUARD_REDIRECT;
		}
	}
	if (state_change(method) && !json_type(h.type))
		return refuse(out, 415, "unsupported_media_type",
			      "a request that changes something must send Content-Type: application/json");
	return GUARD_PASS;
}
