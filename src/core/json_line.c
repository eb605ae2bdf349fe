/*
 * json_line.c: where a field lies in a JSON text, so that messages about a file that
 * breaks a schema (the atlas, the screening questions, a plan) can give its line.
 */
#include <stdlib.h>
#include <string.h>

#include "internal.h"

/* A minimal scanner over JSON text that jansson has already accepted: it finds where the
 * value at a path such as "referral[3].region" starts, so messages can give its line. */

static const char *ws(const char *p, const char *e)
{
	while (p < e && (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r'))
		p++;
	return p;
}

static const char *skip_string(const char *p, const char *e)
{
	for (p++; p < e; p++) {
		if (*p == '\\')
			p++;
		else if (*p == '"')
			return p + 1;
	}
	return e;
}

static const char *skip_value(const char *p, const char *e)
{
	int depth = 0;

	p = ws(p, e);
	if (p < e && *p == '"')
		return skip_string(p, e);
	if (p < e && *p != '{' && *p != '[') {
		while (p < e && !strchr(",]} \t\r\n", *p))
			p++;
		return p;
	}
	while (p < e) {
		if (*p == '"') {
			p = skip_string(p, e);
			continue;
		}
		if (*p == '{' || *p == '[')
			depth++;
		else if (*p == '}' || *p == ']')
			depth--;
		p++;
		if (depth == 0)
			break;
	}
	return p;
}

/* Returns where the deepest reachable part of `path` starts in text. */
static const char *locate(const char *text, size_t len, const char *path)
{
	const char *e = text + len, *p = ws(text, e);

	while (*path) {
		if (*path == '[') {
			long k = strtol(path + 1, NULL, 10);

			path = strchr(path, ']');
			path = path ? path + 1 : "";
			if (p >= e || *p != '[')
				return p;
			p = ws(p + 1, e);
			for (; k > 0 && p < e; k--) {
				p = ws(skip_value(p, e), e);
				if (p >= e || *p != ',')
					return p;
				p = ws(p + 1, e);
			}
		} else {
			size_t klen = strcspn(path, ".[");
			const char *found = NULL;
			const char *obj = p;

			if (p >= e || *p != '{')
				return p;
			p = ws(p + 1, e);
			while (p < e && *p == '"') {
				const char *key = p + 1, *q = skip_string(p, e);

				p = ws(q, e);
				if (p < e && *p == ':')
					p = ws(p + 1, e);
				if ((size_t)(q - 1 - key) == klen && memcmp(key, path, klen) == 0) {
					found = p;
					break;
				}
				p = ws(skip_value(p, e), e);
				if (p < e && *p == ',')
					p = ws(p + 1, e);
			}
			if (!found)
				return obj;
			p = found;
			path += klen;
		}
		if (*path == '.')
			path++;
	}
	return p;
}

int trp__json_line(const char *text, size_t len, const char *path)
{
	const char *at = locate(text, len, path), *p;
	int line = 1;

	for (p = text; p < at; p++)
		line += *p == '\n';
	return line;
}
