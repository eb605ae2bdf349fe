/*
 * json_check.c: what the loaders of JSON files (the atlas, the screening questions, a
 * saved plan) share to check a file and say what is wrong with it: file, line, field.
 */
#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include "internal.h"

trp_err trp__json_fail(const struct trp__json_src *src, trp_err code, const char *path,
		       const char *fmt, ...)
{
	char what[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(what, sizeof what, fmt, ap);
	va_end(ap);
	trp__msg(src->msg, src->msgsize, "%s:%d: %s: %s", src->file,
		 trp__json_line(src->text, src->len, path), *path ? path : "(top)", what);
	return code;
}

void trp__path_join(char *buf, size_t size, const char *path, const char *key)
{
	size_t n = strlen(path), k = strlen(key);

	if (n >= size)
		n = size - 1;
	memcpy(buf, path, n);
	if (n && n + 1 < size)
		buf[n++] = '.';
	if (k > size - 1 - n)
		k = size - 1 - n;
	memcpy(buf + n, key, k);
	buf[n + k] = '\0';
}

int trp__word_index(const char *const *words, const char *s)
{
	int i;

	for (i = 0; words[i]; i++)
		if (strcmp(words[i], s) == 0)
			return i;
	return -1;
}

const char *trp__word_list(char *buf, size_t size, const char *const *words)
{
	size_t used = 0;
	int i;

	buf[0] = '\0';
	for (i = 0; words[i] && used < size; i++) {
		int n = snprintf(buf + used, size - used, "%s%s",
				 i == 0 ? "" : words[i + 1] ? ", " : " or ", words[i]);

		if (n < 0)
			break;
		used += (size_t)n;
	}
	return buf;
}

int trp__blank(const char *s)
{
	for (; *s; s++)
		if (!isspace((unsigned char)*s))
			return 0;
	return 1;
}

trp_err trp__json_check_fields(const struct trp__json_src *src, trp_err code, json_t *obj,
			       const char *path, const char *const *fields)
{
	char p[TRP__PATH_LEN * 2], list[512];
	const char *key;
	json_t *v;
	int i;

	if (!json_is_object(obj))
		return trp__json_fail(src, code, path, "expected an object with the fields %s",
				 trp__word_list(list, sizeof list, fields));
	json_object_foreach(obj, key, v) {
		if (trp__word_index(fields, key) < 0) {
			trp__path_join(p, sizeof p, path, key);
			return trp__json_fail(src, code, p, "unknown field (expected %s)",
					 trp__word_list(list, sizeof list, fields));
		}
	}
	for (i = 0; fields[i]; i++)
		if (!json_object_get(obj, fields[i]))
			return trp__json_fail(src, code, path, "missing field '%s'", fields[i]);
	return TRP_OK;
}
