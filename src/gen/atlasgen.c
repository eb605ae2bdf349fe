/*
 * atlasgen: validates data/atlas/ with libtrp's own loader and compiles it into static C
 * tables, so the trp binary carries its atlas and starts without parsing anything.
 * Build-time tool; its output says it is generated.
 *
 * usage: atlasgen [--allow-missing] ATLAS_DIR OUT.c
 * Fails (and so fails the build) on the first problem in any file, and when a muscle of
 * data/muscles.tsv has no file or a symptom of data/symptoms.tsv is coded for no muscle
 * (unless --allow-missing, for work on a partial atlas).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "atlas_impl.h"
#include "genout.h"

static const char *const kind_names[] = { "TRP_ESSENTIAL", "TRP_SPILLOVER" };
static const char *const rule_names[] = { "TRP_SAME_SIDE", "TRP_OPPOSITE_SIDE", "TRP_BOTH_SIDES" };

static void texts(FILE *out, size_t mi, int which, const char *const *items, size_t n)
{
	size_t i;

	if (!n)
		return;
	fprintf(out, "static const char *const m%zu_t%d[] = {\n", mi, which);
	for (i = 0; i < n; i++) {
		fputc('\t', out);
		gen_string(out, items[i]);
		fputs(",\n", out);
	}
	fputs("};\n", out);
}

static void emit_muscle(FILE *out, const struct trp_muscle *m)
{
	size_t i, mi = m->index;
	int t;

	for (t = 0; t < TRP__TEXT_LISTS; t++)
		texts(out, mi, t, m->texts[t], m->ntexts[t]);
	fprintf(out, "static const trp_trigger_point m%zu_tps[] = {\n", mi);
	for (i = 0; i < m->ntps; i++) {
		fputs("\t{ ", out);
		gen_string(out, m->tps[i].name);
		fprintf(out, ", %d, ", m->tps[i].region);
		gen_string(out, m->tps[i].location);
		fputs(", ", out);
		gen_string(out, m->tps[i].palpation);
		fputs(" },\n", out);
	}
	fprintf(out, "};\nstatic const trp_zone m%zu_zones[] = {\n", mi);
	for (i = 0; i < m->nzones; i++)
		fprintf(out, "\t{ %d, %s, %s }, /* %s */\n", m->zones[i].region,
			kind_names[m->zones[i].kind], rule_names[m->zones[i].side],
			trp_region_name(m->zones[i].region));
	fprintf(out, "};\nstatic const trp_self_care m%zu_care[] = {\n", mi);
	for (i = 0; i < m->ncare; i++) {
		fprintf(out, "\t{ (trp_technique)%d, ", m->care[i].technique);
		gen_string(out, m->care[i].how);
		fputs(" },\n", out);
	}
	fputs("};\n", out);
	if (m->ncautions) {
		fprintf(out, "static const trp_caution m%zu_cautions[] = {\n", mi);
		for (i = 0; i < m->ncautions; i++) {
			fputs("\t{ ", out);
			gen_string(out, m->cautions[i].text);
			fprintf(out, ", %uu },\n", m->cautions[i].techniques);
		}
		fputs("};\n", out);
	}
	if (m->ncoded) {
		fprintf(out, "static const trp_coded_symptom m%zu_coded[] = {\n", mi);
		for (i = 0; i < m->ncoded; i++) {
			fprintf(out, "\t{ %d, %s, ", m->coded[i].symptom, rule_names[m->coded[i].side]);
			gen_string(out, m->coded[i].source);
			fprintf(out, " }, /* %s */\n", trp_symptom_name(m->coded[i].symptom));
		}
		fputs("};\n", out);
	}
	if (m->npro) {
		fprintf(out, "static const trp_professional m%zu_pro[] = {\n", mi);
		for (i = 0; i < m->npro; i++) {
			fprintf(out, "\t{ (trp_professional_option)%d, ", m->pro[i].option);
			gen_string(out, m->pro[i].note);
			fputs(" },\n", out);
		}
		fputs("};\n", out);
	}
	fputc('\n', out);
}

static void emit_record(FILE *out, const struct trp_muscle *m)
{
	size_t mi = m->index;
	int t;

	fputs("\t{\n\t\t.id = ", out);
	gen_string(out, m->id);
	fputs(", .name = ", out);
	gen_string(out, m->name);
	fputs(", .family = ", out);
	gen_string(out, m->family);
	fputs(", .group = ", out);
	gen_string(out, m->group);
	fprintf(out, ", .index = %zu,\n\t\t.texts = {", mi);
	for (t = 0; t < TRP__TEXT_LISTS; t++) {
		if (m->ntexts[t])
			fprintf(out, " m%zu_t%d,", mi, t);
		else
			fputs(" NULL,", out);
	}
	fputs(" },\n\t\t.ntexts = {", out);
	for (t = 0; t < TRP__TEXT_LISTS; t++)
		fprintf(out, " %zu,", m->ntexts[t]);
	fprintf(out, " },\n\t\t.tps = m%zu_tps, .ntps = %zu, .zones = m%zu_zones, .nzones = %zu,\n"
		"\t\t.care = m%zu_care, .ncare = %zu,\n", mi, m->ntps, mi, m->nzones, mi, m->ncare);
	if (m->ncautions)
		fprintf(out, "\t\t.cautions = m%zu_cautions, .ncautions = %zu,\n", mi, m->ncautions);
	if (m->npro)
		fprintf(out, "\t\t.pro = m%zu_pro, .npro = %zu,\n", mi, m->npro);
	if (m->ncoded)
		fprintf(out, "\t\t.coded = m%zu_coded, .ncoded = %zu,\n", mi, m->ncoded);
	fprintf(out, "\t\t.prior = { %.17g, ", m->prior.share);
	gen_string(out, m->prior.among);
	fputs(", ", out);
	gen_string(out, m->prior.source);
	fputs(" },\n\t},\n", out);
}

int main(int argc, char **argv)
{
	char msg[1024];
	trp_atlas *atlas = NULL;
	size_t i, missing = 0;
	FILE *out;
	int allow_missing = argc == 4 && strcmp(argv[1], "--allow-missing") == 0;
	trp_err err;

	argv += allow_missing;
	argc -= allow_missing;
	if (argc != 3) {
		fprintf(stderr, "usage: atlasgen [--allow-missing] ATLAS_DIR OUT.c\n");
		return 2;
	}
	err = trp_atlas_open_dir(argv[1], &atlas, msg, sizeof msg);
	if (err) {
		fprintf(stderr, "atlasgen: %s\n", msg);
		return 1;
	}
	for (i = 0; i < trp__vocab_muscle_n; i++)
		if (!trp_atlas_find(atlas, trp__vocab_muscles[i].id)) {
			fprintf(stderr, "atlasgen: %s/%s.json: missing (every muscle of data/muscles.tsv needs a file)\n",
				argv[1], trp__vocab_muscles[i].id);
			missing++;
		}
	if (missing && !allow_missing) {
		trp_atlas_free(atlas);
		return 1;
	}
	/* every symptom of the vocabulary is given by some muscle, or find could never
	 * explain it */
	for (i = 0; i < (size_t)trp_symptom_count(); i++)
		if (!trp_atlas_symptom_muscles(atlas, (int)i, NULL, 0)) {
			fprintf(stderr, "atlasgen: %s: no muscle codes the symptom '%s' (docs/atlas.md)\n",
				argv[1], trp_symptom_name((int)i));
			missing++;
		}
	if (missing && !allow_missing) {
		trp_atlas_free(atlas);
		return 1;
	}
	out = fopen(argv[2], "w");
	if (!out) {
		perror(argv[2]);
		trp_atlas_free(atlas);
		return 1;
	}
	fprintf(out, "/* Generated by atlasgen from %s. Do not edit: edit the JSON files. */\n"
		"#include \"atlas_impl.h\"\n\n", argv[1]);
	for (i = 0; i < trp_atlas_count(atlas); i++)
		emit_muscle(out, trp_atlas_muscle(atlas, i));
	fputs("const struct trp_muscle trp__builtin_muscles[] = {\n", out);
	for (i = 0; i < trp_atlas_count(atlas); i++)
		emit_record(out, trp_atlas_muscle(atlas, i));
	fprintf(out, "};\nconst size_t trp__builtin_n = %zu;\n", trp_atlas_count(atlas));
	trp_atlas_free(atlas);
	if (fclose(out) != 0) {
		perror(argv[2]);
		return 1;
	}
	return 0;
}
