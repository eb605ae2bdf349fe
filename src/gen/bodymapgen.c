/*
 * bodymapgen: validates data/bodymap.json (docs/bodymap.md) and compiles the geometry of
 * the body figures into static C tables for the renderer (src/render/bodymap.h), with
 * the point where each region's mark goes. Build-time tool; its output says it is
 * generated.
 *
 * usage: bodymapgen BODYMAP.json OUT.c
 * Fails (and so fails the build) on the first problem, naming the field.
 */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "trp/trp.h"

static const char *const view_names[2] = { "front", "back" };
static const trp_view view_bits[2] = { TRP_VIEW_FRONT, TRP_VIEW_BACK };

static char problem[512];

static int fail(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

static int fail(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(problem, sizeof problem, fmt, ap);
	va_end(ap);
	return -1;
}

/* Checks that `polys` is a list of polygons of at least 3 points inside the box. */
static int check_polygons(json_t *polys, const char *where, double w, double h)
{
	json_t *ring, *pt;
	size_t i, j;

	if (!json_is_array(polys) || json_array_size(polys) == 0)
		return fail("%s: expected a list of polygons", where);
	json_array_foreach(polys, i, ring) {
		if (!json_is_array(ring) || json_array_size(ring) < 3)
			return fail("%s: a polygon needs at least 3 points", where);
		json_array_foreach(ring, j, pt) {
			double x, y;

			if (!json_is_array(pt) || json_array_size(pt) != 2 ||
			    !json_is_number(json_array_get(pt, 0)) || !json_is_number(json_array_get(pt, 1)))
				return fail("%s: a point must be [x, y]", where);
			x = json_number_value(json_array_get(pt, 0));
			y = json_number_value(json_array_get(pt, 1));
			if (x < 0 || x > w || y < 0 || y > h)
				return fail("%s: a point lies outside the box", where);
		}
	}
	return 0;
}

static double px(json_t *ring, size_t i)
{
	return json_number_value(json_array_get(json_array_get(ring, i), 0));
}

static double py(json_t *ring, size_t i)
{
	return json_number_value(json_array_get(json_array_get(ring, i), 1));
}

static double ring_area(json_t *ring)
{
	size_t n = json_array_size(ring), i, j;
	double a = 0;

	for (i = 0, j = n - 1; i < n; j = i++)
		a += px(ring, j) * py(ring, i) - px(ring, i) * py(ring, j);
	return a / 2;
}

static int inside(json_t *ring, double x, double y)
{
	size_t n = json_array_size(ring), i, j;
	int hit = 0;

	for (i = 0, j = n - 1; i < n; j = i++) {
		double xi = px(ring, i), yi = py(ring, i), xj = px(ring, j), yj = py(ring, j);

		if ((yi > y) != (yj > y) && x < (xj - xi) * (y - yi) / (yj - yi) + xi)
			hit = !hit;
	}
	return hit;
}

static int by_value(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

/* Where a region's mark goes: the centroid of its largest polygon or, when that falls
 * outside a concave ring, the middle of the widest run across the ring at that height
 * (web/figure.js does the same). */
static void centroid(json_t *polys, double *cx, double *cy)
{
	json_t *ring = json_array_get(polys, 0), *p;
	double area, xs[256], best_lo = 0, best_hi = -1;
	size_t i, j, n, nx = 0;

	json_array_foreach(polys, i, p)
		if (fabs(ring_area(p)) > fabs(ring_area(ring)))
			ring = p;
	n = json_array_size(ring);
	area = ring_area(ring);
	*cx = *cy = 0;
	if (fabs(area) < 1e-9) {
		for (i = 0; i < n; i++) {
			*cx += px(ring, i) / (double)n;
			*cy += py(ring, i) / (double)n;
		}
		return;
	}
	for (i = 0, j = n - 1; i < n; j = i++) {
		double f = px(ring, j) * py(ring, i) - px(ring, i) * py(ring, j);

		*cx += (px(ring, j) + px(ring, i)) * f;
		*cy += (py(ring, j) + py(ring, i)) * f;
	}
	*cx /= 6 * area;
	*cy /= 6 * area;
	if (inside(ring, *cx, *cy))
		return;
	for (i = 0, j = n - 1; i < n && nx < sizeof xs / sizeof xs[0]; j = i++) {
		double xi = px(ring, i), yi = py(ring, i), xj = px(ring, j), yj = py(ring, j);

		if ((yi > *cy) != (yj > *cy))
			xs[nx++] = (xj - xi) * (*cy - yi) / (yj - yi) + xi;
	}
	qsort(xs, nx, sizeof xs[0], by_value);
	for (i = 0; i + 1 < nx; i += 2)
		if (xs[i + 1] - xs[i] > best_hi - best_lo) {
			best_lo = xs[i];
			best_hi = xs[i + 1];
		}
	if (best_hi >= best_lo)
		*cx = (best_lo + best_hi) / 2;
}

/* Writes the points and rings of a list of polygons; *ring_no counts rings. */
static void emit_points(FILE *out, json_t *polys, size_t *ring_no)
{
	json_t *ring;
	size_t i, j;

	json_array_foreach(polys, i, ring) {
		fprintf(out, "static const double p%zu[] = {", *ring_no);
		for (j = 0; j < json_array_size(ring); j++)
			fprintf(out, "%s%.1f,%.1f,", j % 8 ? " " : "\n\t", px(ring, j), py(ring, j));
		fputs("\n};\n", out);
		(*ring_no)++;
	}
}

static void emit_rings(FILE *out, json_t *polys, size_t *ring_no)
{
	json_t *ring;
	size_t i;

	json_array_foreach(polys, i, ring) {
		fprintf(out, "\t{ p%zu, %zu },\n", *ring_no, json_array_size(ring));
		(*ring_no)++;
	}
}

/* Checks the whole file; on failure `problem` says what is wrong. */
static int check(json_t *doc, double *w, double *h)
{
	json_t *views, *labels, *v;
	const char *key;
	int k, r, s;

	json_object_foreach(doc, key, v)
		if (strcmp(key, "version") && strcmp(key, "width") && strcmp(key, "height") &&
		    strcmp(key, "views") && strcmp(key, "labels"))
			return fail("%s: unknown field", key);
	if (json_integer_value(json_object_get(doc, "version")) != 1)
		return fail("version: expected 1");
	if (!json_is_number(json_object_get(doc, "width")) || !json_is_number(json_object_get(doc, "height")))
		return fail("width, height: expected numbers");
	*w = json_number_value(json_object_get(doc, "width"));
	*h = json_number_value(json_object_get(doc, "height"));
	views = json_object_get(doc, "views");
	labels = json_object_get(doc, "labels");
	if (!json_is_object(views) || json_object_size(views) != 2 || !json_is_object(labels) ||
	    json_object_size(labels) != 2)
		return fail("views, labels: expected objects with front and back");
	for (k = 0; k < 2; k++) {
		json_t *view = json_object_get(views, view_names[k]), *regions, *lab;
		char where[160];

		lab = json_object_get(labels, view_names[k]);
		if (!json_is_object(view) || !json_is_object(lab))
			return fail("views.%s, labels.%s: missing", view_names[k], view_names[k]);
		for (s = 0; s < 2; s++) {
			json_t *pt = json_object_get(lab, s ? "r" : "l");

			if (!json_is_array(pt) || json_array_size(pt) != 2 || !json_is_number(json_array_get(pt, 0)) ||
			    !json_is_number(json_array_get(pt, 1)))
				return fail("labels.%s.%s: expected [x, y]", view_names[k], s ? "r" : "l");
		}
		snprintf(where, sizeof where, "views.%s.outline", view_names[k]);
		if (check_polygons(json_object_get(view, "outline"), where, *w, *h))
			return -1;
		regions = json_object_get(view, "regions");
		if (!json_is_object(regions))
			return fail("views.%s.regions: expected an object", view_names[k]);
		/* the keys are exactly the located regions drawn on this view */
		json_object_foreach(regions, key, v) {
			trp_located loc;

			snprintf(where, sizeof where, "views.%s.regions.%s", view_names[k], key);
			if (trp_located_parse(key, &loc, NULL, 0) || strchr(key, '=') ||
			    !(trp_region_view(loc.region) & view_bits[k]))
				return fail("%s: not a located region of this view", where);
			if (check_polygons(v, where, *w, *h))
				return -1;
		}
		for (r = 0; r < trp_region_count(); r++)
			for (s = 0; s < 2; s++) {
				char name[96];

				snprintf(name, sizeof name, "%s.%s", trp_region_name(r), s ? "r" : "l");
				if ((trp_region_view(r) & view_bits[k]) && !json_object_get(regions, name))
					return fail("views.%s.regions: %s is missing", view_names[k], name);
			}
	}
	return 0;
}

/* Calls emit for the outline of each view, then for each located region drawn on it, in
 * the order the tables are written: the point table and the ring table must agree. */
static void each_ring_list(FILE *out, json_t *views,
			   void (*emit)(FILE *out, json_t *polys, size_t *ring_no))
{
	size_t ring_no = 0;
	int k, r, s;

	for (k = 0; k < 2; k++) {
		json_t *view = json_object_get(views, view_names[k]);

		emit(out, json_object_get(view, "outline"), &ring_no);
		for (r = 0; r < trp_region_count(); r++)
			for (s = 0; s < 2; s++) {
				char name[96];
				json_t *polys;

				snprintf(name, sizeof name, "%s.%s", trp_region_name(r), s ? "r" : "l");
				polys = json_object_get(json_object_get(view, "regions"), name);
				if (polys)
					emit(out, polys, &ring_no);
			}
	}
}

static void emit(FILE *out, json_t *doc, double w, double h)
{
	json_t *views = json_object_get(doc, "views"), *labels = json_object_get(doc, "labels");
	size_t ring_no;
	int k, r, s;

	/* the points of every ring, then the rings, in one order: outline, then regions */
	each_ring_list(out, views, emit_points);
	fputs("\nstatic const struct trp__bm_ring rings[] = {\n", out);
	each_ring_list(out, views, emit_rings);
	fputs("};\n\nconst struct trp__bm_view trp__bodymap_views[2] = {\n", out);
	ring_no = 0;
	for (k = 0; k < 2; k++) {
		json_t *view = json_object_get(views, view_names[k]), *outline = json_object_get(view, "outline");
		json_t *lab = json_object_get(labels, view_names[k]);
		double cx, cy;

		centroid(outline, &cx, &cy);
		fprintf(out, "\t{ /* %s */\n\t\t{ rings + %zu, %zu, %.2f, %.2f },\n", view_names[k], ring_no,
			json_array_size(outline), cx, cy);
		ring_no += json_array_size(outline);
		fprintf(out, "\t\t{ { %.1f, %.1f }, { %.1f, %.1f } },\n\t\t{\n",
			json_number_value(json_array_get(json_object_get(lab, "l"), 0)),
			json_number_value(json_array_get(json_object_get(lab, "l"), 1)),
			json_number_value(json_array_get(json_object_get(lab, "r"), 0)),
			json_number_value(json_array_get(json_object_get(lab, "r"), 1)));
		for (r = 0; r < trp_region_count(); r++)
			for (s = 0; s < 2; s++) {
				char name[96];
				json_t *polys;

				snprintf(name, sizeof name, "%s.%s", trp_region_name(r), s ? "r" : "l");
				polys = json_object_get(json_object_get(view, "regions"), name);
				if (!polys) {
					fprintf(out, "\t\t\t{ NULL, 0, 0, 0 }, /* %s */\n", name);
					continue;
				}
				centroid(polys, &cx, &cy);
				fprintf(out, "\t\t\t{ rings + %zu, %zu, %.2f, %.2f }, /* %s */\n", ring_no,
					json_array_size(polys), cx, cy, name);
				ring_no += json_array_size(polys);
			}
		fputs("\t\t}\n\t},\n", out);
	}
	fprintf(out, "};\n\nconst double trp__bodymap_width = %.1f;\nconst double trp__bodymap_height = %.1f;\n",
		w, h);
}

int main(int argc, char **argv)
{
	json_error_t jerr;
	json_t *doc = NULL;
	FILE *out = NULL;
	double w = 0, h = 0;
	int code = 1;

	if (argc != 3) {
		fprintf(stderr, "usage: bodymapgen BODYMAP.json OUT.c\n");
		return 2;
	}
	if (trp_region_count() * 2 != TRP_MAP_MAX) {
		fprintf(stderr, "bodymapgen: the vocabulary has %d regions, TRP_MAP_MAX wants %d\n",
			trp_region_count(), TRP_MAP_MAX / 2);
		return 1;
	}
	doc = json_load_file(argv[1], JSON_REJECT_DUPLICATES, &jerr);
	if (!doc || !json_is_object(doc)) {
		fprintf(stderr, "bodymapgen: %s:%d:%d: %s\n", argv[1], jerr.line, jerr.column,
			doc ? "expected an object" : jerr.text);
		goto done;
	}
	if (check(doc, &w, &h)) {
		fprintf(stderr, "bodymapgen: %s: %s\n", argv[1], problem);
		goto done;
	}
	out = fopen(argv[2], "w");
	if (!out) {
		perror(argv[2]);
		goto done;
	}
	fputs("/* Generated by bodymapgen from data/bodymap.json. Do not edit: edit the JSON file. */\n"
	      "#include <stddef.h>\n\n#include \"bodymap.h\"\n\n", out);
	emit(out, doc, w, h);
	if (fclose(out) != 0) {
		out = NULL;
		perror(argv[2]);
		goto done;
	}
	out = NULL;
	code = 0;
done:
	if (out) {
		fclose(out);
		remove(argv[2]);
	}
	json_decref(doc);
	return code;
}
