/*
 * request.c: a fast path for the body of POST /api/find, the server's hot request.
 * It reads only the common shape, {"regions": ["temple.l=7", ...], "symptoms":
 * ["tinnitus.l", ...], "top": N}, with plain ASCII strings and each key at most once,
 * and leaves everything else (escapes,
 * other bytes, errors of any kind) to the full JSON parser, which also gives the error
 * messages. tests/fuzz/fuzz_request.c holds it to agree with jansson.
 */
#include <string.h>

#include "request.h"

static const char *ws(const char *p, const char *e)
{
	while (p < e && (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r'))
		p++;
	return p;
}

/* A string of printable ASCII without backslashes; *s and *n give its contents. */
static const char *plain_string(const char *p, const char *e, const char **s, size_t *n)
{
	const char *q;

	if (p >= e || *p != '"')
		return NULL;
	for (q = ++p; q < e && *q != '"'; q++)
		if (*q == '\\' || (unsigned char)*q < 0x20 || (unsigned char)*q >= 0x7f)
			return NULL;
	if (q >= e)
		return NULL;
	*s = p;
	*n = (size_t)(q - p);
	return q + 1;
}

/* A list of plain strings after its '[': copied into out->storage from *used on, the
 * pointers into list[0..*n); the position after the ']', or NULL. */
static const char *string_list(const char *p, const char *e, struct find_request *out,
			       size_t *used, const char **list, size_t *n)
{
	if (p >= e || *p++ != '[')
		return NULL;
	p = ws(p, e);
	if (p < e && *p == ']')
		return p + 1;
	for (;;) {
		const char *s;
		size_t len;

		p = ws(p, e);
		if (!(p = plain_string(p, e, &s, &len)) || *n == FIND_REQUEST_TOKENS ||
		    *used + len + 1 > sizeof out->storage)
			return NULL;
		memcpy(out->storage + *used, s, len);
		out->storage[*used + len] = '\0';
		list[(*n)++] = out->storage + *used;
		*used += len + 1;
		p = ws(p, e);
		if (p < e && *p == ',') {
			p++;
			continue;
		}
		if (p < e && *p == ']')
			return p + 1;
		return NULL;
	}
}

int find_request_fast(const char *body, size_t len, struct find_request *out)
{
	const char *p = body, *e = body + len, *k;
	size_t used = 0, klen;

	out->ntokens = 0;
	out->nsymptoms = 0;
	out->has_regions = 0;
	out->has_symptoms = 0;
	out->has_top = 0;
	p = ws(p, e);
	if (p >= e || *p++ != '{')
		return 0;
	for (;;) {
		p = ws(p, e);
		if (!(p = plain_string(p, e, &k, &klen)))
			return 0;
		p = ws(p, e);
		if (p >= e || *p++ != ':')
			return 0;
		p = ws(p, e);
		if (klen == 7 && memcmp(k, "regions", 7) == 0 && !out->has_regions) {
			out->has_regions = 1;
			if (!(p = string_list(p, e, out, &used, out->tokens, &out->ntokens)))
				return 0;
		} else if (klen == 8 && memcmp(k, "symptoms", 8) == 0 && !out->has_symptoms) {
			out->has_symptoms = 1;
			if (!(p = string_list(p, e, out, &used, out->symptoms, &out->nsymptoms)))
				return 0;
		} else if (klen == 3 && memcmp(k, "top", 3) == 0 && !out->has_top) {
			long v = 0;
			int digits = 0;

			if (p < e && *p == '0' && p + 1 < e && p[1] >= '0' && p[1] <= '9')
				return 0;   /* a leading zero is not JSON */
			while (p < e && *p >= '0' && *p <= '9' && digits < 5) {
				v = v * 10 + (*p++ - '0');
				digits++;
			}
			if (digits == 0 || digits == 5)
				return 0;
			if (p < e && (*p == '.' || *p == 'e' || *p == 'E' || (*p >= '0' && *p <= '9')))
				return 0;
			out->top = v;
			out->has_top = 1;
		} else {
			return 0;
		}
		p = ws(p, e);
		if (p < e && *p == ',') {
			p++;
			continue;
		}
		if (p < e && *p == '}') {
			p++;
			break;
		}
		return 0;
	}
	p = ws(p, e);
	return p == e;
}
