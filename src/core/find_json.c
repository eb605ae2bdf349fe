/*
 * find_json.c: a find result as the JSON object of docs/find.md, the same object that
 * `trp find --json` prints and POST /api/find returns.
 */
#include <math.h>
#include <stdlib.h>

#include <jansson.h>

#include "trp/trp.h"

static json_t *located(const trp_located *loc, int with_intensity)
{
	char buf[64];
	trp_located l = *loc;

	if (!with_intensity)
		l.intensity = -1;
	trp_located_format(&l, buf, sizeof buf);
	return json_string(buf);
}

static int append(json_t *arr, json_t *v)
{
	return json_array_append_new(arr, v) != 0;
}

static json_t *result_object(const trp_find_result *r)
{
	const trp_located *map;
	const trp_candidate *cands, *members;
	const trp_caution_note *notes;
	size_t n = trp_find_map(r, &map), nc = trp_find_candidates(r, &cands);
	size_t nm = trp_find_explanation(r, &members), nn = trp_find_cautions(r, &notes), i, j;
	json_t *o = json_object(), *query = json_array(), *cl = json_array();
	json_t *ex = json_array(), *un = json_array(), *cau = json_array();
	int bad = !o || !query || !cl || !ex || !un || !cau;

	for (i = 0; !bad && i < n; i++)
		bad |= append(query, located(&map[i], 1));
	for (i = 0; !bad && i < nc; i++) {
		size_t regions[TRP_MAP_MAX];
		trp_link links[TRP_MAP_MAX];
		size_t k = trp_find_explains(r, i, regions, links, TRP_MAP_MAX);
		json_t *explains = json_array(), *why = json_array(), *c;

		for (j = 0; explains && why && j < k; j++) {
			bad |= append(explains, located(&map[regions[j]], 0));
			bad |= append(why, json_pack("{s:o, s:s}", "region", located(&map[regions[j]], 0),
						     "link", trp_link_name(links[j])));
		}
		c = explains && why ? json_pack("{s:s, s:s, s:s, s:f, s:o, s:o}",
			"muscle", trp_muscle_id(cands[i].muscle),
			"name", trp_muscle_name(cands[i].muscle),
			"side", trp_side_code(cands[i].side),
			"score", round(cands[i].score * 1000) / 1000,
			"explains", explains, "why", why) : NULL;
		bad |= !c || append(cl, c);
	}
	for (i = 0; !bad && i < nm; i++) {
		json_t *regions = json_array(), *m;

		for (j = 0; regions && j < n; j++)
			if (trp_find_attributed(r, j) == (int)i)
				bad |= append(regions, located(&map[j], 0));
		m = regions ? json_pack("{s:s, s:s, s:s, s:o}",
			"muscle", trp_muscle_id(members[i].muscle),
			"name", trp_muscle_name(members[i].muscle),
			"side", trp_side_code(members[i].side), "regions", regions) : NULL;
		bad |= !m || append(ex, m);
	}
	for (j = 0; !bad && j < n; j++)
		if (map[j].intensity != 0 && trp_find_attributed(r, j) < 0)
			bad |= append(un, located(&map[j], 0));
	for (i = 0; !bad && i < nn; i++)
		bad |= append(cau, json_pack("{s:s, s:s}", "code", notes[i].code,
					     "message", notes[i].message));
	if (!bad) {
		bad |= json_object_set(o, "query", query) != 0;
		bad |= json_object_set(o, "candidates", cl) != 0;
		bad |= json_object_set(o, "explanation", ex) != 0;
		bad |= json_object_set(o, "unexplained", un) != 0;
		bad |= json_object_set(o, "cautions", cau) != 0;
	}
	json_decref(query);
	json_decref(cl);
	json_decref(ex);
	json_decref(un);
	json_decref(cau);
	if (bad) {
		json_decref(o);
		return NULL;
	}
	return o;
}

char *trp_find_json(const trp_find_result *r, int pretty)
{
	json_t *o = r ? result_object(r) : NULL;
	char *s;

	if (!o)
		return NULL;
	s = json_dumps(o, (pretty ? JSON_INDENT(2) : JSON_COMPACT) | JSON_REAL_PRECISION(4));
	json_decref(o);
	return s;
}
