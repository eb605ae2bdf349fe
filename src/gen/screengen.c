/*
 * screengen: validates data/screen.json (the screening questions and their combination
 * rules) and data/perpetuating.json (the whole-body perpetuating factors) with libtrp's
 * own loaders and compiles them into static C tables, so trp carries them and works from
 * any directory. Build-time tool; its output says it is generated.
 *
 * usage: screengen SCREEN.json FACTORS.json OUT.c
 * Fails (and so fails the build) on the first problem, naming the file, line and field.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "screen_impl.h"
#include "genout.h"

#define FILE_MAX (256 * 1024)

static const char *const group_names[] = {
	"TRP_GROUP_EMERGENCY", "TRP_GROUP_SEE_DOCTOR", "TRP_GROUP_PRECAUTION", "TRP_GROUP_COMBINED"
};
static const char *const type_names[] = { "TRP_QUESTION_YES_NO", "TRP_QUESTION_AGE" };

/* static const char *const NAME[] = { "a", "b" }; (nothing when n is 0) */
static void strings(FILE *out, const char *name, const char *const *list, size_t n)
{
	size_t k;

	if (!n)
		return;
	fprintf(out, "static const char *const %s[] = {", name);
	for (k = 0; k < n; k++) {
		fputs(k ? ", " : " ", out);
		gen_string(out, list[k]);
	}
	fputs(" };\n", out);
}

/* static const int NAME[] = { 3, 7 }; with a comment naming each (regions or codes) */
static void ints(FILE *out, const char *name, const int *list, size_t n,
		 const char *const *names)
{
	size_t k;

	if (!n)
		return;
	fprintf(out, "static const int %s[] = {", name);
	for (k = 0; k < n; k++)
		fprintf(out, " %d, /* %s */", list[k], names ? names[k] : trp_region_name(list[k]));
	fputs(" };\n", out);
}

/* The name of a generated list: "q3_covers" for kind 'q', item 3, list "covers". */
static const char *named(char *buf, size_t size, char kind, size_t i, const char *list)
{
	snprintf(buf, size, "%c%zu_%s", kind, i, list);
	return buf;
}

/* "NAME, N, " or "NULL, 0, " for a list field of the tables */
static void ref(FILE *out, const char *name, size_t n)
{
	if (n)
		fprintf(out, "%s, %zu, ", name, n);
	else
		fputs("NULL, 0, ", out);
}

static void emit_questions(FILE *out, const struct trp__screen_set *set)
{
	char name[64];
	size_t i;

	for (i = 0; i < set->n; i++) {
		const struct trp__screen_item *it = &set->items[i];

		strings(out, named(name, sizeof name, 'q', i, "covers"), it->q.covers, it->q.ncovers);
		strings(out, named(name, sizeof name, 'q', i, "ask"), it->q.ask_if_yes, it->q.nask_if_yes);
		strings(out, named(name, sizeof name, 'q', i, "old"), it->old_codes, it->nold);
		ints(out, named(name, sizeof name, 'q', i, "ask_i"), it->ask_yes, it->q.nask_if_yes,
		     it->q.ask_if_yes);
		ints(out, named(name, sizeof name, 'q', i, "light"), it->light_regions, it->nlight, NULL);
		ints(out, named(name, sizeof name, 'q', i, "avoid"), it->avoid_regions, it->navoid, NULL);
	}
	fputs("\nconst struct trp__screen_item trp__screen_items[] = {\n", out);
	for (i = 0; i < set->n; i++) {
		const struct trp__screen_item *it = &set->items[i];

		fputs("\t{\n\t\t{ ", out);
		gen_string(out, it->q.code);
		fputs(", ", out);
		gen_string(out, it->q.section);
		fputs(", ", out);
		gen_string(out, it->q.section_title);
		fprintf(out, ", %s, %s,\n\t\t  ", type_names[it->q.type], group_names[it->q.group]);
		gen_string(out, it->q.question);
		fputs(",\n\t\t  ", out);
		gen_string(out, it->q.message);
		fputs(",\n\t\t  ", out);
		gen_string(out, it->q.source);
		fputs(",\n\t\t  ", out);
		ref(out, named(name, sizeof name, 'q', i, "covers"), it->q.ncovers);
		ref(out, named(name, sizeof name, 'q', i, "ask"), it->q.nask_if_yes);
		fprintf(out, "%d },\n\t\t", it->q.ask_if_age_at_least);
		if (it->q.nask_if_yes)
			fprintf(out, "q%zu_ask_i, ", i);
		else
			fputs("NULL, ", out);
		ref(out, named(name, sizeof name, 'q', i, "old"), it->nold);
		fprintf(out, "%d, %d, ", it->light_pressure, it->no_heat);
		ref(out, named(name, sizeof name, 'q', i, "light"), it->nlight);
		ref(out, named(name, sizeof name, 'q', i, "avoid"), it->navoid);
		fprintf(out, "%uu\n\t},\n", it->caution_techniques);
	}
	fprintf(out, "};\nconst size_t trp__screen_n = %zu;\n\n", set->n);
}

static void emit_rules(FILE *out, const struct trp__screen_set *set)
{
	char name[64];
	size_t i;

	for (i = 0; i < set->nrules; i++) {
		const struct trp__screen_rule *r = &set->rules[i];

		strings(out, named(name, sizeof name, 'r', i, "covers"), r->r.covers, r->r.ncovers);
		strings(out, named(name, sizeof name, 'r', i, "all"), r->r.all, r->r.nall);
		ints(out, named(name, sizeof name, 'r', i, "all_i"), r->all, r->r.nall, r->r.all);
		strings(out, named(name, sizeof name, 'r', i, "any"), r->r.any, r->r.nany);
		ints(out, named(name, sizeof name, 'r', i, "any_i"), r->any, r->r.nany, r->r.any);
	}
	/* an empty table still needs one element in C */
	fprintf(out, "\nconst struct trp__screen_rule trp__screen_rules[%zu] = {\n",
		set->nrules ? set->nrules : 1);
	for (i = 0; i < set->nrules; i++) {
		const struct trp__screen_rule *r = &set->rules[i];

		fputs("\t{\n\t\t{ ", out);
		gen_string(out, r->r.code);
		fprintf(out, ", %s,\n\t\t  ", group_names[r->r.group]);
		gen_string(out, r->r.message);
		fputs(",\n\t\t  ", out);
		gen_string(out, r->r.source);
		fputs(",\n\t\t  ", out);
		ref(out, named(name, sizeof name, 'r', i, "covers"), r->r.ncovers);
		ref(out, named(name, sizeof name, 'r', i, "all"), r->r.nall);
		ref(out, named(name, sizeof name, 'r', i, "any"), r->r.nany);
		fprintf(out, "%d },\n\t\tr%zu_all_i, ", r->r.age_at_least, i);
		if (r->r.nany)
			fprintf(out, "r%zu_any_i\n\t},\n", i);
		else
			fputs("NULL\n\t},\n", out);
	}
	fprintf(out, "};\nconst size_t trp__screen_nrules = %zu;\n\n", set->nrules);
}

static void emit_factors(FILE *out, const struct trp__factor_set *set)
{
	char name[64];
	size_t i;

	for (i = 0; i < set->n; i++) {
		strings(out, named(name, sizeof name, 'f', i, "sources"), set->items[i].sources, set->items[i].nsources);
	}
	fputs("\nconst trp_body_factor trp__body_factors[] = {\n", out);
	for (i = 0; i < set->n; i++) {
		const trp_body_factor *f = &set->items[i];

		fputs("\t{ ", out);
		gen_string(out, f->code);
		fputs(", ", out);
		gen_string(out, f->name);
		fputs(",\n\t  ", out);
		gen_string(out, f->text);
		fputs(",\n\t  ", out);
		gen_string(out, f->ask);
		fprintf(out, ",\n\t  f%zu_sources, %zu },\n", i, f->nsources);
	}
	fprintf(out, "};\nconst size_t trp__body_nfactors = %zu;\n", set->n);
}

/* Reads a whole file (at most FILE_MAX bytes) into *text; prints why not. */
static int slurp(const char *path, char **text, size_t *len)
{
	FILE *in = fopen(path, "rb");
	int ok = 0;

	*text = malloc(FILE_MAX + 1);
	if (!in || !*text) {
		fprintf(stderr, "screengen: %s: %s\n", path, strerror(in ? ENOMEM : errno));
	} else {
		*len = fread(*text, 1, FILE_MAX + 1, in);
		if (ferror(in) || *len > FILE_MAX)
			fprintf(stderr, "screengen: %s: unreadable or larger than %d KiB\n", path,
				FILE_MAX / 1024);
		else
			ok = 1;
	}
	if (in)
		fclose(in);
	return ok;
}

int main(int argc, char **argv)
{
	struct trp__screen_set set = { NULL, 0, NULL, 0, NULL };
	struct trp__factor_set factors = { NULL, 0, NULL };
	char msg[1024], *text = NULL, *ftext = NULL;
	size_t len = 0, flen = 0;
	FILE *out = NULL;
	int code = 1;

	if (argc != 4) {
		fprintf(stderr, "usage: screengen SCREEN.json FACTORS.json OUT.c\n");
		return 2;
	}
	if (!slurp(argv[1], &text, &len) || !slurp(argv[2], &ftext, &flen))
		goto done;
	if (trp__screen_load(argv[1], text, len, &set, msg, sizeof msg) ||
	    trp__factors_load(argv[2], ftext, flen, &factors, msg, sizeof msg)) {
		fprintf(stderr, "screengen: %s\n", msg);
		goto done;
	}
	out = fopen(argv[3], "w");
	if (!out) {
		perror(argv[3]);
		goto done;
	}
	fprintf(out, "/* Generated by screengen from %s and %s. Do not edit: edit the JSON "
		"files. */\n#include \"screen_impl.h\"\n\n", argv[1], argv[2]);
	emit_questions(out, &set);
	emit_rules(out, &set);
	emit_factors(out, &factors);
	if (fclose(out) != 0) {
		out = NULL;
		perror(argv[3]);
		goto done;
	}
	out = NULL;
	code = 0;
done:
	if (out) {
		fclose(out);
		remove(argv[3]);
	}
	free(text);
	free(ftext);
	trp__screen_set_free(&set);
	trp__factor_set_free(&factors);
	return code;
}
