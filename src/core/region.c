/*
 * region.c: the body-region vocabulary and the parser of located regions
 * ("temple.l=7"), with suggestions for near misses.
 */
#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include <jansson.h>

#include "internal.h"
#include "name_hash.h"


int trp_region_count(void)
{
	return trp__region_n;
}

const char *trp_region_name(int region)
{
	return region >= 0 && region < trp__region_n ? trp__regions[region].name : NULL;
}

const char *trp_region_description(int region)
{
	return region >= 0 && region < trp__region_n ? trp__regions[region].description : NULL;
}

trp_view trp_region_view(int region)
{
	return region >= 0 && region < trp__region_n ? trp__regions[region].view : (trp_view)0;
}

const char *trp_side_code(trp_side side)
{
	return side == TRP_RIGHT ? "r" : "l";
}

/* The names by hash (vocabgen lays the table out with name_hash.h): slot holds the
 * region + 1, or 0 for none; collisions go to the next slot. */
extern const unsigned char trp__region_hash[];

static int find_n(const char *name, size_t len)
{
	uint32_t h = trp__name_hash(name, len) & (TRP_REGION_HASH_SIZE - 1);

	for (; trp__region_hash[h]; h = (h + 1) & (TRP_REGION_HASH_SIZE - 1)) {
		int r = trp__region_hash[h] - 1;

		if (trp__regions[r].len == len && memcmp(trp__regions[r].name, name, len) == 0)
			return r;
	}
	return -1;
}

int trp_region_find(const char *name)
{
	return name ? find_n(name, strlen(name)) : -1;
}

int trp__edit_distance(const char *a, size_t alen, const char *b, size_t blen, int cap)
{
	int row[TRP__NAME_MAX + 2];
	size_t i, j;

	if (alen > TRP__NAME_MAX || blen > TRP__NAME_MAX)
		return cap;
	for (j = 0; j <= blen; j++)
		row[j] = (int)j;
	for (i = 1; i <= alen; i++) {
		int diag = row[0], best;

		row[0] = (int)i;
		best = row[0];
		for (j = 1; j <= blen; j++) {
			int up = row[j];
			int cost = tolower((unsigned char)a[i - 1]) != tolower((unsigned char)b[j - 1]);
			int v = diag + cost;

			if (up + 1 < v)
				v = up + 1;
			if (row[j - 1] + 1 < v)
				v = row[j - 1] + 1;
			row[j] = v;
			diag = up;
			if (v < best)
				best = v;
		}
		if (best >= cap)
			return cap;
	}
	return row[blen] < cap ? row[blen] : cap;
}

/* Whether `needle` (len bytes, len >= 3) occurs in `hay`, ignoring case. */
static int contains(const char *hay, const char *needle, size_t len)
{
	size_t hlen = strlen(hay), i, j;

	for (i = 0; i + len <= hlen; i++) {
		for (j = 0; j < len; j++)
			if (tolower((unsigned char)hay[i + j]) != tolower((unsigned char)needle[j]))
				break;
		if (j == len)
			return 1;
	}
	return 0;
}

int trp__suggest(const char *name, size_t len, const char *(*name_of)(int), int count, int *out,
		 int max)
{
	int score[256];
	int n = 0, r, i;
	int limit = len <= 4 ? 1 : len <= 8 ? 2 : 3;

	if (max <= 0 || len == 0 || len > TRP__NAME_MAX)
		return 0;
	for (r = 0; r < count; r++) {
		const char *cand = name_of(r);
		int d = trp__edit_distance(name, len, cand, strlen(cand), limit + 1);

		if (d > limit) {
			if (len >= 3 && contains(cand, name, len))
				d = limit + 1;
			else
				continue;
		}
		/* insertion sort into the first max slots: best score, then vocabulary order */
		if (n == max && d >= score[max - 1])
			continue;
		for (i = n < max ? n : max - 1; i > 0 && score[i - 1] > d; i--) {
			score[i] = score[i - 1];
			out[i] = out[i - 1];
		}
		score[i] = d;
		out[i] = r;
		if (n < max)
			n++;
	}
	return n;
}

static int suggest_n(const char *name, size_t len, int *out, int max)
{
	return trp__suggest(name, len, trp_region_name, trp__region_n, out, max);
}

int trp_region_suggest(const char *name, int *out, int max)
{
	if (!name || !out)
		return 0;
	if (max > 256)
		max = 256;
	return suggest_n(name, strlen(name), out, max);
}

const char *trp__shown(char *buf, size_t size, const char *s, size_t len)
{
	size_t i, n = len < size - 4 ? len : size - 4;

	if (n > TRP__SHOWN_MAX)
		n = TRP__SHOWN_MAX;
	for (i = 0; i < n; i++)
		buf[i] = (unsigned char)s[i] < 0x20 || s[i] == 0x7f ? '?' : s[i];
	if (n < len) {
		memcpy(buf + n, "...", 3);
		n += 3;
	}
	buf[n] = '\0';
	return buf;
}

void trp__append_suggestions(char *msg, size_t msgsize, const char *name, size_t len,
			     const char *side, const char *(*name_of)(int), int count,
			     const char *command)
{
	int near[3], n, i;
	size_t used;

	if (!msg || msgsize == 0)
		return;
	n = trp__suggest(name, len, name_of, count, near, 3);
	if (n == 0) {
		used = strlen(msg);
		trp__msg(msg + used, msgsize - used, " (see '%s' for the %d names)", command, count);
		return;
	}
	for (i = 0; i < n; i++) {
		used = strlen(msg);
		trp__msg(msg + used, msgsize - used, "%s'%s%s%s'%s",
			 i == 0 ? " (did you mean " : i == n - 1 ? " or " : ", ",
			 name_of(near[i]), side ? "." : "", side ? side : "",
			 i == n - 1 ? "?)" : "");
	}
}

static void append_suggestions(char *msg, size_t msgsize, const char *name, size_t len,
			       const char *side)
{
	trp__append_suggestions(msg, msgsize, name, len, side, trp_region_name, trp__region_n,
				"trp regions");
}

int trp__parse_side(const char *s, size_t len, trp_side *side)
{
	static const struct { const char *text; trp_side side; } sides[] = {
		{ "l", TRP_LEFT }, { "r", TRP_RIGHT }, { "left", TRP_LEFT }, { "right", TRP_RIGHT },
	};
	size_t i;

	for (i = 0; i < sizeof sides / sizeof sides[0]; i++)
		if (strlen(sides[i].text) == len && strncasecmp(sides[i].text, s, len) == 0) {
			*side = sides[i].side;
			return 1;
		}
	return 0;
}

trp_err trp_located_parse(const char *text, trp_located *out, char *msg, size_t msgsize)
{
	char lower[TRP__NAME_MAX + 1], show[TRP__SHOWN_MAX + 8];
	const char *eq, *dot, *name_end;
	size_t len, name_len, i;
	trp_located loc = { 0, TRP_LEFT, -1 };

	if (out)
		memset(out, 0, sizeof *out);
	if (!text || !out) {
		trp__msg(msg, msgsize, "no region given");
		return TRP_EINVAL;
	}
	len = strlen(text);
	if (len == 0) {
		trp__msg(msg, msgsize,
			 "empty region (expected NAME.SIDE such as 'temple.l', optionally =N from 0 to 10)");
		return TRP_EINVAL;
	}
	trp__shown(show, sizeof show, text, len);
	eq = memchr(text, '=', len);
	name_end = eq ? eq : text + len;
	dot = NULL;
	for (i = 0; text + i < name_end; i++)
		if (text[i] == '.')
			dot = text + i;
	name_len = (size_t)((dot ? dot : name_end) - text);

	if (name_len == 0) {
		trp__msg(msg, msgsize, "region '%s' has no name (expected NAME.SIDE such as 'temple.l')", show);
		return TRP_EINVAL;
	}
	for (i = 0; i < name_len && i < TRP__NAME_MAX; i++)
		lower[i] = (char)tolower((unsigned char)text[i]);
	lower[i] = '\0';
	loc.region = name_len <= TRP__NAME_MAX ? find_n(lower, name_len) : -1;

	if (!dot) {
		if (loc.region >= 0) {
			trp__msg(msg, msgsize, "region '%s' needs a side: '%s.l' (left) or '%s.r' (right)",
				 show, trp__regions[loc.region].name, trp__regions[loc.region].name);
		} else {
			trp__msg(msg, msgsize, "unknown region '%s'", show);
			append_suggestions(msg, msgsize, text, name_len, "l");
		}
		return TRP_EINVAL;
	}
	if (!trp__parse_side(dot + 1, (size_t)(name_end - dot - 1), &loc.side)) {
		char sidebuf[TRP__SHOWN_MAX + 8];

		trp__shown(sidebuf, sizeof sidebuf, dot + 1, (size_t)(name_end - dot - 1));
		trp__msg(msg, msgsize, "unknown side '%s' in '%s' (expected l, r, left or right)",
			 sidebuf, show);
		return TRP_EINVAL;
	}
	if (loc.region < 0) {
		trp__msg(msg, msgsize, "unknown region '%s'", show);
		append_suggestions(msg, msgsize, text, name_len, trp_side_code(loc.side));
		return TRP_EINVAL;
	}
	if (eq) {
		const char *p = eq + 1;
		size_t digits = len - (size_t)(p - text);
		int v = 0;

		for (i = 0; i < digits; i++) {
			if (!isdigit((unsigned char)p[i]))
				break;
			if (v <= 10)
				v = v * 10 + (p[i] - '0');
		}
		if (digits == 0 || i != digits || v > 10) {
			trp__msg(msg, msgsize,
				 "bad intensity in '%s' (expected a whole number from 0 to 10 after '=')", show);
			return TRP_EINVAL;
		}
		loc.intensity = v;
	}
	*out = loc;
	return TRP_OK;
}

size_t trp_located_format(const trp_located *loc, char *buf, size_t size)
{
	const char *name = loc ? trp_region_name(loc->region) : NULL;
	int n;

	if (!name)
		name = "?";
	if (loc && loc->intensity >= 0)
		n = snprintf(buf, size, "%s.%s=%d", name, trp_side_code(loc->side), loc->intensity);
	else
		n = snprintf(buf, size, "%s.%s", name, loc ? trp_side_code(loc->side) : "l");
	return n < 0 ? 0 : (size_t)n;
}

char *trp_regions_json(int pretty)
{
	static const char *const views[] = { "", "F", "B", "FB" };
	json_t *arr = json_array();
	char *s;
	int r;

	for (r = 0; arr && r < trp__region_n; r++)
		if (json_array_append_new(arr, json_pack("{s:s, s:s, s:s}", "name", trp__regions[r].name,
				"view", views[trp__regions[r].view], "description", trp__regions[r].description))) {
			json_decref(arr);
			return NULL;
		}
	if (!arr)
		return NULL;
	s = json_dumps(arr, pretty ? JSON_INDENT(2) : JSON_COMPACT);
	json_decref(arr);
	return s;
}
