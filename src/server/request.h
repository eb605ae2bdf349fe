/* request.h: the fast path for POST /api/find bodies (request.c). */
#ifndef TRP_REQUEST_H
#define TRP_REQUEST_H

#include <stddef.h>

#define FIND_REQUEST_TOKENS 156

struct find_request {
	const char *tokens[FIND_REQUEST_TOKENS];   /* NUL-terminated, in `storage` */
	size_t ntokens;
	const char *symptoms[FIND_REQUEST_TOKENS]; /* the same for "symptoms" */
	size_t nsymptoms;
	int has_regions, has_symptoms;
	long top;
	int has_top;
	char storage[4096];
};

/* Reads {"regions": [...], "symptoms": [...], "top": N} (each key at most once, any of
 * them left out) when the body has the plain common shape; returns 0 (and the caller
 * uses the full JSON parser) for anything else. */
int find_request_fast(const char *body, size_t len, struct find_request *out);

#endif
