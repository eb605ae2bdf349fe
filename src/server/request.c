/*
 * request.c: a fast path for the body of POST /api/find, the server's hot request.
 * It reads only the common shape, {"regions": ["temple.l=7", ...], "top": N}, with
 * plain ASCII strings and each key at most once, and leaves everything else (escapes,
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

int find_request_fast(const char *body, size_t len, struct find_request *out)
{
	const char *p = body, *e = body + len, *k;
	size_t used = 0, klen;
	int seen_regions = 0;

	out->ntokens = 0;
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
		if (klen == 7 && memcmp(k, "regions", 7) == 0 && !seen_regions) {
			seen_regions = 1;
			if (p >= e || *p++ != '[')
				return 0;
			for (;;) {
				const char *s;
				size_t n;

				p = ws(p, e);
				if (!(p = plain_string(p, e, &s, &n)) || out->ntokens == FIND_REQUEST_TOKENS ||
				    used + n + 1 > sizeof out->storage)
					return 0;
				memcpy(out->storage + used, s, n);
				out->storage[used + n] = '\0';
				out->tokens[out->ntokens++] = out->storage + used;
				used += n + 1;
				p = ws(p, e);
				if (p < e && *p == ',') {
					p++;
					continue;
				}
				if (p < e && *p == ']') {
					p++;
					break;
				}
				return 0;
			}
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
	return p == e && seen_regions;
}
