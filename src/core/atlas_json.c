/*
 * atlas_json.c: a muscle as the JSON object of docs/atlas.md. The same object is what
 * `trp muscle --json` prints, what the server returns, and what the atlas files hold.
 */
#include <stdlib.h>

#include <jansson.h>

#include "atlas_impl.h"

static json_t *texts(const char *const *items, size_t n)
{
	json_t *arr = json_array();
	size_t i;

	for (i = 0; arr && i < n; i++)
		if (json_array_append_new(arr, json_string(items[i]))) {
			json_decref(arr);
			return NULL;
		}
	return arr;
}

/* Adds key: value to obj, taking value; a NULL value (out of memory) fails. */
static int put(json_t *obj, const char *key, json_t *value)
{
	return !value || json_object_set_new(obj, key, value) != 0;
}

static json_t *muscle_object(const struct trp_muscle *m)
{
	json_t *o = json_object(), *arr;
	size_t i;
	unsigned t;
	int bad = !o;

	if (bad)
		return NULL;
	bad |= put(o, "id", json_string(m->id));
	bad |= put(o, "name", json_string(m->name));
	bad |= put(o, "family", m->family ? json_string(m->family) : json_null());
	bad |= put(o, "aliases", texts(m->texts[TRP_ALIASES], m->ntexts[TRP_ALIASES]));
	bad |= put(o, "group", json_string(m->group));
	bad |= put(o, "actions", texts(m->texts[TRP_ACTIONS], m->ntexts[TRP_ACTIONS]));

	bad |= put(o, "trigger_points", arr = json_array());
	for (i = 0; !bad && i < m->ntps; i++)
		bad |= json_array_append_new(arr, json_pack("{s:s, s:s, s:s, s:s}",
			"name", m->tps[i].name, "region", trp_region_name(m->tps[i].region),
			"location", m->tps[i].location, "palpation", m->tps[i].palpation)) != 0;

	bad |= put(o, "referral", arr = json_array());
	for (i = 0; !bad && i < m->nzones; i++)
		bad |= json_array_append_new(arr, json_pack("{s:s, s:s, s:s}",
			"region", trp_region_name(m->zones[i].region),
			"kind", trp_zone_kind_name(m->zones[i].kind),
			"side", trp_side_rule_name(m->zones[i].side))) != 0;

	/* the coded entries first, then the free text, as the atlas files hold them */
	bad |= put(o, "symptoms", arr = texts(m->texts[TRP_SYMPTOMS], m->ntexts[TRP_SYMPTOMS]));
	for (i = 0; !bad && i < m->ncoded; i++)
		bad |= json_array_insert_new(arr, i, json_pack("{s:s, s:s, s:s}",
			"symptom", trp_symptom_name(m->coded[i].symptom),
			"side", trp_side_rule_name(m->coded[i].side), "source", m->coded[i].source)) != 0;
	bad |= put(o, "functional_complaints",
		   texts(m->texts[TRP_FUNCTIONAL_COMPLAINTS], m->ntexts[TRP_FUNCTIONAL_COMPLAINTS]));
	bad |= put(o, "causes", texts(m->texts[TRP_CAUSES], m->ntexts[TRP_CAUSES]));
	bad |= put(o, "perpetuating_factors",
		   texts(m->texts[TRP_PERPETUATING_FACTORS], m->ntexts[TRP_PERPETUATING_FACTORS]));

	bad |= put(o, "self_care", arr = json_array());
	for (i = 0; !bad && i < m->ncare; i++)
		bad |= json_array_append_new(arr, json_pack("{s:s, s:s}",
			"technique", trp_technique_name(m->care[i].technique),
			"how", m->care[i].how)) != 0;

	bad |= put(o, "cautions", arr = json_array());
	for (i = 0; !bad && i < m->ncautions; i++) {
		json_t *ts = json_array(), *c;

		for (t = 0; ts && t < TRP_TECHNIQUE_COUNT; t++)
			if (m->cautions[i].techniques & (1u << t))
				bad |= json_array_append_new(ts, json_string(trp_technique_name((trp_technique)t))) != 0;
		c = ts ? json_pack("{s:s, s:o}", "text", m->cautions[i].text, "techniques", ts) : NULL;
		bad |= !c || json_array_append_new(arr, c) != 0;
	}

	bad |= put(o, "professional", arr = json_array());
	for (i = 0; !bad && i < m->npro; i++)
		bad |= json_array_append_new(arr, json_pack("{s:s, s:s}",
			"option", trp_professional_name(m->pro[i].option), "note", m->pro[i].note)) != 0;

	bad |= put(o, "prior", m->prior.share < 0 ? json_null() : json_pack("{s:f, s:s, s:s}",
		"share", m->prior.share, "among", m->prior.among, "source", m->prior.source));
	bad |= put(o, "sources", texts(m->texts[TRP_SOURCES], m->ntexts[TRP_SOURCES]));
	if (bad) {
		json_decref(o);
		return NULL;
	}
	return o;
}

char *trp_muscle_json(const trp_muscle *muscle, int pretty)
{
	json_t *o = muscle ? muscle_object(muscle) : NULL;
	char *s;

	if (!o)
		return NULL;
	s = json_dumps(o, pretty ? JSON_INDENT(2) : JSON_COMPACT);
	json_decref(o);
	return s;
}
