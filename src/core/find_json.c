/*
 * find_json.c: a find result as the JSON object of docs/find.md, the same object that
 * `trp find --json` prints and POST /api/find returns. It is on the server's hot path,
 * so it is written straight into one growing buffer: no tree of JSON values, no printf.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

/* The small writers below are inlined: called some hundred times a reply, their calls
 * cost more than their work. */
#define INLINE inline __attribute__((always_inline))

struct out {
	char *buf;
	size_t len, cap;
	int bad;
	int pretty;
	int depth;
};

/* Makes room for `more` bytes; on failure the output is marked bad and stays as it is. */
static void grow(struct out *o, size_t more)
{
	size_t cap;
	char *b;

	if (o->bad || o->len + more + 1 <= o->cap)
		return;
	cap = (o->len + more + 1) * 2;
	b = realloc(o->buf, cap);
	if (!b) {
		o->bad = 1;
		return;
	}
	o->buf = b;
	o->cap = cap;
}

/* Appends n bytes (the buffer is NUL-terminated once, at the end). */
static INLINE void raw(struct out *o, const char *s, size_t n)
{
	if (o->len + n >= o->cap) {
		grow(o, n);
		if (o->bad)
			return;
	}
	memcpy(o->buf + o->len, s, n);
	o->len += n;
}

static INLINE void put1(struct out *o, char c)
{
	if (o->len + 1 >= o->cap) {
		grow(o, 1);
		if (o->bad)
			return;
	}
	o->buf[o->len++] = c;
}

#define LIT(o, s) raw((o), (s), sizeof(s) - 1)

/* Whether a byte needs escaping in a JSON string. */
static int needs_escape(unsigned char c)
{
	return c < 0x20 || c == '"' || c == '\\';
}

/* A JSON string: quotes, backslashes and control characters escaped; other bytes
 * (UTF-8 from the atlas) as they are. */
static void str(struct out *o, const char *s)
{
	static const char hex[] = "0123456789abcdef";
	const char *p = s, *q = s;

	while (*q && !needs_escape((unsigned char)*q))
		q++;
	if (!*q) {
		/* the common case, nothing to escape: one copy, in place */
		size_t n = (size_t)(q - s);
		char *w;

		if (o->len + n + 2 >= o->cap) {
			grow(o, n + 2);
			if (o->bad)
				return;
		}
		w = o->buf + o->len;
		*w++ = '"';
		memcpy(w, s, n);
		w[n] = '"';
		o->len += n + 2;
		return;
	}
	put1(o, '"');
	for (;;) {
		q = p;
		while (*q && !needs_escape((unsigned char)*q))
			q++;
		raw(o, p, (size_t)(q - p));
		if (!*q)
			break;
		if (*q == '"' || *q == '\\') {
			char esc[2] = { '\\', *q };

			raw(o, esc, 2);
		} else {
			char esc[6] = { '\\', 'u', '0', '0', hex[(unsigned char)*q >> 4], hex[*q & 15] };

			raw(o, esc, 6);
		}
		p = q + 1;
	}
	put1(o, '"');
}

/* A located region, "temple.l" or with its intensity "temple.l=7". Region names are
 * plain snake_case, so nothing in it needs escaping. */
static void located(struct out *o, const trp_located *loc, int with_intensity)
{
	const char *padded = trp__region_json[loc->region];
	size_t n = trp__regions[loc->region].len;
	char *p;

	/* room for the padded copy, which may write past the end of what is kept */
	if (o->len + n + 40 >= o->cap) {
		grow(o, n + 40);
		if (o->bad)
			return;
	}
	p = o->buf + o->len;
	if (padded[0]) {
		/* a fixed-size copy: one vector move, where a copy of variable length costs a
		 * call or a slow string instruction for these few bytes */
		memcpy(p, padded, 32);
		p += n + 2;
	} else {
		*p++ = '"';
		memcpy(p, trp__regions[loc->region].name, n);
		p += n;
		*p++ = '.';
	}
	*p++ = loc->side == TRP_RIGHT ? 'r' : 'l';
	if (with_intensity && loc->intensity >= 0) {
		*p++ = '=';
		if (loc->intensity >= 10)
			*p++ = '1';
		*p++ = (char)('0' + loc->intensity % 10);
	}
	*p++ = '"';
	o->len = (size_t)(p - o->buf);
}

/* A score in 0..1 to three decimals, as the shortest decimal: 0.8, 0.467, 1.0. */
static void score(struct out *o, double v)
{
	long m = lround(v * 1000);
	char buf[8];
	int n = 2;

	if (m <= 0) {
		LIT(o, "0.0");
		return;
	}
	if (m >= 1000) {
		LIT(o, "1.0");
		return;
	}
	buf[0] = '0';
	buf[1] = '.';
	buf[n++] = (char)('0' + m / 100);
	buf[n++] = (char)('0' + m / 10 % 10);
	buf[n++] = (char)('0' + m % 10);
	while (n > 3 && buf[n - 1] == '0')
		n--;
	raw(o, buf, (size_t)n);
}

/* "essential", "spillover" or "trigger_point". */
static void link_name(struct out *o, trp_link link)
{
	static const struct {
		const char *text;
		size_t len;
	} quoted[] = {
		{ "\"essential\"", 11 }, { "\"spillover\"", 11 }, { "\"trigger_point\"", 15 }
	};

	if ((unsigned)link < 3)
		raw(o, quoted[link].text, quoted[link].len);
	else
		LIT(o, "null");
}

/* Line break and indentation when pretty. */
static inline void newline(struct out *o)
{
	static const char spaces[] = "                                ";

	if (!o->pretty)
		return;
	LIT(o, "\n");
	raw(o, spaces, (size_t)(o->depth * 2) < sizeof spaces - 1 ? (size_t)(o->depth * 2) : sizeof spaces - 1);
}

static INLINE void open_(struct out *o, const char *bracket)
{
	put1(o, *bracket);
	o->depth++;
}

static INLINE void close_(struct out *o, const char *bracket, int empty)
{
	o->depth--;
	if (!empty)
		newline(o);
	put1(o, *bracket);
}

/* "key": at the start of a member (after a comma when not the first). The key is a
 * literal of plain ASCII, so it is written as it is, without escaping. */
static INLINE void key_(struct out *o, const char *k, size_t n, int first)
{
	char *p;

	if (o->pretty) {
		if (!first)
			put1(o, ',');
		newline(o);
		put1(o, '"');
		raw(o, k, n);
		raw(o, "\": ", 3);
		return;
	}
	if (o->len + n + 4 >= o->cap) {
		grow(o, n + 4);
		if (o->bad)
			return;
	}
	p = o->buf + o->len;
	if (!first)
		*p++ = ',';
	*p++ = '"';
	memcpy(p, k, n);
	p += n;
	*p++ = '"';
	*p++ = ':';
	o->len = (size_t)(p - o->buf);
}

#define key(o, k, first) key_((o), (k), sizeof(k) - 1, (first))

static INLINE void item(struct out *o, int first)
{
	if (!first)
		put1(o, ',');
	newline(o);
}

/* A symptom of the map as its token: "tinnitus.l", "dizziness" (plain snake_case). */
static void symptom_token(struct out *o, const trp_located_symptom *s)
{
	const char *name = trp_symptom_name(s->symptom);
	size_t n = strlen(name);

	put1(o, '"');
	raw(o, name, n);
	if (s->side == TRP_LEFT || s->side == TRP_RIGHT) {
		char side[2] = { '.', s->side == TRP_RIGHT ? 'r' : 'l' };

		raw(o, side, 2);
	}
	put1(o, '"');
}

/* {"symptom": NAME, "side": "l"|"r"} for symptom `item` explained by candidate c. */
static void explained_symptom(struct out *o, const trp_find_result *r, const trp_candidate *c,
			      const trp_located_symptom *s, size_t item)
{
	open_(o, "{");
	key(o, "symptom", 1);
	str(o, trp_symptom_name(s->symptom));
	key(o, "side", 0);
	str(o, trp_side_code(trp_find_symptom_side(r, c, item)));
	close_(o, "}", 0);
}

/* {"muscle": ..., "name": ..., "side": ... of a candidate: compact, the head the finder
 * built once; pretty, member by member. */
static void head_members(struct out *o, const trp_muscle *m, trp_side side)
{
	open_(o, "{");
	key(o, "muscle", 1);
	str(o, trp_muscle_id(m));
	key(o, "name", 0);
	str(o, trp_muscle_name(m));
	key(o, "side", 0);
	str(o, trp_side_code(side));
}

static void head(struct out *o, const trp_find_result *r, const trp_candidate *c)
{
	const char *h;
	size_t n;

	if (o->pretty) {
		head_members(o, c->muscle, c->side);
		return;
	}
	h = trp__find_head(r, c->muscle, c->side, &n);
	raw(o, h, n);
	o->depth++;
}

char *trp__find_heads(const trp_atlas *atlas, uint32_t **at)
{
	size_t n = trp_atlas_count(atlas), i;
	struct out o = { NULL, 0, 0, 0, 0, 0 };
	uint32_t *offsets = malloc((2 * n + 1) * sizeof *offsets);

	*at = NULL;
	if (!offsets)
		return NULL;
	for (i = 0; i < 2 * n; i++) {
		offsets[i] = (uint32_t)o.len;
		head_members(&o, trp_atlas_muscle(atlas, i / 2), (trp_side)(i % 2));
		o.depth = 0;
	}
	offsets[2 * n] = (uint32_t)o.len;
	put1(&o, '\0');
	if (o.bad || o.len > UINT32_MAX) {
		free(o.buf);
		free(offsets);
		return NULL;
	}
	*at = offsets;
	return o.buf;
}

size_t trp_find_json_into(const trp_find_result *r, int pretty, char **buf, size_t *cap)
{
	const trp_located *map;
	const trp_located_symptom *syms;
	const trp_candidate *cands, *members;
	const trp_caution_note *notes;
	size_t n, ns, nc, nm, nn, i, j, k, regions[TRP_MAP_MAX], items[TRP_SYMPTOMS_MAX];
	trp_link links[TRP_MAP_MAX];
	struct out o = { *buf, 0, *cap, 0, pretty, 0 };
	int first;

	if (!r)
		return 0;
	n = trp_find_map(r, &map);
	ns = trp_find_map_symptoms(r, &syms);
	nc = trp_find_candidates(r, &cands);
	nm = trp_find_explanation(r, &members);
	nn = trp_find_cautions(r, &notes);
	grow(&o, 1024 + nc * 256);

	open_(&o, "{");
	key(&o, "query", 1);
	open_(&o, "[");
	for (i = 0; i < n; i++) {
		item(&o, i == 0);
		located(&o, &map[i], 1);
	}
	close_(&o, "]", n == 0);
	key(&o, "symptoms", 0);
	open_(&o, "[");
	for (i = 0; i < ns; i++) {
		item(&o, i == 0);
		symptom_token(&o, &syms[i]);
	}
	close_(&o, "]", ns == 0);

	key(&o, "candidates", 0);
	open_(&o, "[");
	for (i = 0; i < nc; i++) {
		item(&o, i == 0);
		head(&o, r, &cands[i]);
		key(&o, "score", 0);
		score(&o, cands[i].score);
		k = trp_find_explains(r, i, regions, links, TRP_MAP_MAX);
		key(&o, "explains", 0);
		open_(&o, "[");
		for (j = 0; j < k; j++) {
			item(&o, j == 0);
			located(&o, &map[regions[j]], 0);
		}
		close_(&o, "]", k == 0);
		key(&o, "why", 0);
		open_(&o, "[");
		for (j = 0; j < k; j++) {
			item(&o, j == 0);
			open_(&o, "{");
			key(&o, "region", 1);
			located(&o, &map[regions[j]], 0);
			key(&o, "link", 0);
			link_name(&o, links[j]);
			close_(&o, "}", 0);
		}
		close_(&o, "]", k == 0);
		k = ns ? trp_find_explains_symptoms(r, i, items, TRP_SYMPTOMS_MAX) : 0;
		key(&o, "symptoms", 0);
		open_(&o, "[");
		for (j = 0; j < k; j++) {
			item(&o, j == 0);
			explained_symptom(&o, r, &cands[i], &syms[items[j]], items[j]);
		}
		close_(&o, "]", k == 0);
		close_(&o, "}", 0);
	}
	close_(&o, "]", nc == 0);

	key(&o, "explanation", 0);
	open_(&o, "[");
	for (i = 0; i < nm; i++) {
		item(&o, i == 0);
		head(&o, r, &members[i]);
		key(&o, "regions", 0);
		open_(&o, "[");
		first = 1;
		for (j = 0; j < n; j++)
			if (trp_find_attributed(r, j) == (int)i) {
				item(&o, first);
				located(&o, &map[j], 0);
				first = 0;
			}
		close_(&o, "]", first);
		key(&o, "symptoms", 0);
		open_(&o, "[");
		first = 1;
		for (j = 0; j < ns; j++)
			if (trp_find_symptom_attributed(r, j) == (int)i) {
				item(&o, first);
				explained_symptom(&o, r, &members[i], &syms[j], j);
				first = 0;
			}
		close_(&o, "]", first);
		close_(&o, "}", 0);
	}
	close_(&o, "]", nm == 0);

	key(&o, "unexplained", 0);
	open_(&o, "[");
	first = 1;
	for (j = 0; j < n; j++)
		if (map[j].intensity != 0 && trp_find_attributed(r, j) < 0) {
			item(&o, first);
			located(&o, &map[j], 0);
			first = 0;
		}
	for (j = 0; j < ns; j++)
		if (trp_find_symptom_attributed(r, j) < 0) {
			item(&o, first);
			symptom_token(&o, &syms[j]);
			first = 0;
		}
	close_(&o, "]", first);

	key(&o, "cautions", 0);
	open_(&o, "[");
	for (i = 0; i < nn; i++) {
		item(&o, i == 0);
		open_(&o, "{");
		key(&o, "code", 1);
		str(&o, notes[i].code);
		key(&o, "message", 0);
		str(&o, notes[i].message);
		close_(&o, "}", 0);
	}
	close_(&o, "]", nn == 0);
	close_(&o, "}", 0);
	put1(&o, '\0');
	*buf = o.buf;
	*cap = o.cap;
	return o.bad ? 0 : o.len - 1;
}

char *trp_find_json(const trp_find_result *r, int pretty)
{
	char *buf = NULL;
	size_t cap = 0;

	if (!trp_find_json_into(r, pretty, &buf, &cap)) {
		free(buf);
		return NULL;
	}
	return buf;
}
