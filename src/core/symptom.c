/*
 * symptom.c: the symptom vocabulary (symptoms besides pain: "tinnitus", "weak_grip") and
 * the parser of a map's symptom tokens ("tinnitus.l", "dizziness"), with suggestions for
 * near misses as the region parser gives them.
 */
#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include <jansson.h>

#include "internal.h"
#include "name_hash.h"

int trp_symptom_count(void)
{
	return trp__symptom_n;
}

const char *trp_symptom_name(int symptom)
{
	return symptom >= 0 && symptom < trp__symptom_n ? trp__symptoms[symptom].name : NULL;
}

const char *trp_symptom_description(int symptom)
{
	return symptom >= 0 && symptom < trp__symptom_n ? trp__symptoms[symptom].description : NULL;
}

int trp_symptom_sided(int symptom)
{
	return symptom >= 0 && symptom < trp__symptom_n ? trp__symptoms[symptom].sided : -1;
}

/* The symptom named name[0..len) (lower case), or -1: one probe of the hash vocabgen laid
 * out. */
int trp__symptom_find_n(const char *name, size_t len)
{
	uint32_t h = trp__name_hash(name, len) & (TRP_SYMPTOM_HASH_SIZE - 1);

	for (; trp__symptom_hash[h]; h = (h + 1) & (TRP_SYMPTOM_HASH_SIZE - 1)) {
		int s = trp__symptom_hash[h] - 1;

		if (trp__symptoms[s].len == len && memcmp(trp__symptoms[s].name, name, len) == 0)
			return s;
	}
	return -1;
}

int trp_symptom_find(const char *name)
{
	return name ? trp__symptom_find_n(name, strlen(name)) : -1;
}

int trp_symptom_suggest(const char *name, int *out, int max)
{
	if (!name || !out)
		return 0;
	if (max > 256)
		max = 256;
	return trp__suggest(name, strlen(name), trp_symptom_name, trp__symptom_n, out, max);
}

trp_err trp_symptom_parse(const char *text, trp_located_symptom *out, char *msg, size_t msgsize)
{
	char lower[TRP__NAME_MAX + 1], show[TRP__SHOWN_MAX + 8];
	const char *dot;
	size_t len, name_len, i;
	trp_located_symptom s = { 0, TRP_NO_SIDE };

	if (out)
		memset(out, 0, sizeof *out);
	if (!text || !out) {
		trp__msg(msg, msgsize, "no symptom given");
		return TRP_EINVAL;
	}
	len = strlen(text);
	if (len == 0) {
		trp__msg(msg, msgsize, "empty symptom (expected NAME or NAME.SIDE such as 'tinnitus.l')");
		return TRP_EINVAL;
	}
	trp__shown(show, sizeof show, text, len);
	dot = memchr(text, '.', len);
	name_len = (size_t)((dot ? dot : text + len) - text);
	for (i = 0; i < name_len && i < TRP__NAME_MAX; i++)
		lower[i] = (char)tolower((unsigned char)text[i]);
	lower[i] = '\0';
	s.symptom = name_len <= TRP__NAME_MAX ? trp__symptom_find_n(lower, name_len) : -1;
	if (s.symptom < 0) {
		trp_side side;
		int has_side = dot && trp__parse_side(dot + 1, len - name_len - 1, &side);

		trp__msg(msg, msgsize, "unknown symptom '%s'", show);
		trp__append_suggestions(msg, msgsize, text, name_len,
					has_side ? trp_side_code(side) : NULL, trp_symptom_name,
					trp__symptom_n, "trp symptoms");
		return TRP_EINVAL;
	}
	if (memchr(text, '=', len)) {
		trp__msg(msg, msgsize, "symptom '%s' takes no intensity (write '%s' or '%s.l'/'%s.r')",
			 show, trp__symptoms[s.symptom].name, trp__symptoms[s.symptom].name,
			 trp__symptoms[s.symptom].name);
		return TRP_EINVAL;
	}
	if (dot) {
		trp_side side;

		if (!trp__symptoms[s.symptom].sided) {
			trp__msg(msg, msgsize, "symptom '%s' takes no side (write '%s')", show,
				 trp__symptoms[s.symptom].name);
			return TRP_EINVAL;
		}
		if (!trp__parse_side(dot + 1, len - name_len - 1, &side)) {
			char sidebuf[TRP__SHOWN_MAX + 8];

			trp__shown(sidebuf, sizeof sidebuf, dot + 1, len - name_len - 1);
			trp__msg(msg, msgsize, "unknown side '%s' in '%s' (expected l, r, left or right)",
				 sidebuf, show);
			return TRP_EINVAL;
		}
		s.side = (int)side;
	}
	*out = s;
	return TRP_OK;
}

size_t trp_symptom_format(const trp_located_symptom *s, char *buf, size_t size)
{
	const char *name = s ? trp_symptom_name(s->symptom) : NULL;
	int n;

	if (!name)
		name = "?";
	if (s && (s->side == TRP_LEFT || s->side == TRP_RIGHT))
		n = snprintf(buf, size, "%s.%s", name, trp_side_code((trp_side)s->side));
	else
		n = snprintf(buf, size, "%s", name);
	return n < 0 ? 0 : (size_t)n;
}

trp_err trp__symptom_mark(const char *text, unsigned char *seen, char *msg, size_t msgsize)
{
	trp_located_symptom sym;

	if (trp_symptom_parse(text, &sym, msg, msgsize) != TRP_OK)
		return TRP_EINVAL;
	seen[sym.symptom] |= (unsigned char)(sym.side == TRP_NO_SIDE ? 4 : 1 << sym.side);
	return TRP_OK;
}

size_t trp__symptoms_collect(const unsigned char *seen, trp_located_symptom *out)
{
	size_t n = 0, k;
	int s;

	/* in vocabulary order; a side given wins over the same symptom without one */
	for (s = 0; s < trp__symptom_n; s++) {
		if (!seen[s])
			continue;
		if ((seen[s] & 3) == 0) {
			out[n].symptom = s;
			out[n++].side = TRP_NO_SIDE;
			continue;
		}
		for (k = 0; k < 2; k++)
			if (seen[s] & (1u << k)) {
				out[n].symptom = s;
				out[n++].side = (int)k;
			}
	}
	return n;
}

trp_err trp_symptoms_parse(const char *const *texts, size_t ntexts, trp_located_symptom *out,
			   size_t *n_out, char *msg, size_t msgsize)
{
	unsigned char seen[256] = { 0 };
	size_t i;

	*n_out = 0;
	for (i = 0; i < ntexts; i++)
		if (trp__symptom_mark(texts[i], seen, msg, msgsize) != TRP_OK)
			return TRP_EINVAL;
	*n_out = trp__symptoms_collect(seen, out);
	return TRP_OK;
}

char *trp_symptoms_json(int pretty)
{
	json_t *arr = json_array();
	char *text;
	int s;

	for (s = 0; arr && s < trp__symptom_n; s++)
		if (json_array_append_new(arr, json_pack("{s:s, s:s, s:b}", "name", trp__symptoms[s].name,
				"description", trp__symptoms[s].description, "sided", trp__symptoms[s].sided))) {
			json_decref(arr);
			return NULL;
		}
	if (!arr)
		return NULL;
	text = json_dumps(arr, pretty ? JSON_INDENT(2) : JSON_COMPACT);
	json_decref(arr);
	return text;
}
