/* test_render.c: pictures. Every format decodes (the PNG header and size, a PDF's
 * pages, an SVG's shape); PDF output is the same bytes twice; the pixels are where the
 * body map puts them (a painted region is painted, a far one is not, an X marks a
 * trigger point, a zone is tinted on the muscle's side only); bad input is refused;
 * and the report's figures for charts (daily pain, the median's interval). */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cairo.h>
#include <cmocka.h>

#include "trp/render.h"

#define DAY0 20400   /* a day number to start the constructed diaries on */

static trp_atlas *atlas;

static int setup(void **state)
{
	(void)state;
	return trp_atlas_open_builtin(&atlas) ? -1 : 0;
}

static int teardown(void **state)
{
	(void)state;
	trp_atlas_free(atlas);
	cairo_debug_reset_static_data();
	return 0;
}

/* ---------------------------------------------------------------- decoding */

static uint32_t be32(const unsigned char *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

/* Checks the PNG signature and the IHDR chunk; returns the width and height. */
static void png_size(const unsigned char *data, size_t size, uint32_t *w, uint32_t *h)
{
	static const unsigned char signature[8] = { 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n' };

	assert_true(size > 33);
	assert_memory_equal(data, signature, 8);
	assert_int_equal(be32(data + 8), 13);              /* IHDR is the first chunk */
	assert_memory_equal(data + 12, "IHDR", 4);
	*w = be32(data + 16);
	*h = be32(data + 20);
}

struct reader {
	const unsigned char *data;
	size_t size, at;
};

static cairo_status_t read_png(void *closure, unsigned char *out, unsigned int length)
{
	struct reader *r = closure;

	if (r->size - r->at < length)
		return CAIRO_STATUS_READ_ERROR;
	memcpy(out, r->data + r->at, length);
	r->at += length;
	return CAIRO_STATUS_SUCCESS;
}

/* Decodes a PNG with cairo; the caller destroys the surface. */
static cairo_surface_t *decode(const unsigned char *data, size_t size)
{
	struct reader r = { data, size, 0 };
	cairo_surface_t *s = cairo_image_surface_create_from_png_stream(read_png, &r);

	assert_int_equal(cairo_surface_status(s), CAIRO_STATUS_SUCCESS);
	return s;
}

/* The colour 0xRRGGBB of a pixel. */
static unsigned pixel(cairo_surface_t *s, double x, double y)
{
	const unsigned char *row;
	int ix = (int)x, iy = (int)y;

	cairo_surface_flush(s);
	assert_true(ix >= 0 && iy >= 0 && ix < cairo_image_surface_get_width(s) &&
		    iy < cairo_image_surface_get_height(s));
	row = cairo_image_surface_get_data(s) + (size_t)iy * (size_t)cairo_image_surface_get_stride(s);
	return ((const uint32_t *)(const void *)row)[ix] & 0xffffff;
}

/* Whether two colours are within `tol` in each channel. */
static int near(unsigned a, unsigned b, int tol)
{
	int i;

	for (i = 0; i < 24; i += 8) {
		int d = (int)((a >> i) & 0xff) - (int)((b >> i) & 0xff);

		if (d < -tol || d > tol)
			return 0;
	}
	return 1;
}

/* The darkest pixel (by its brightest channel) in a box of 2r+1 pixels around (x, y). */
static int darkest(cairo_surface_t *s, double x, double y, int r)
{
	int dx, dy, best = 255;

	for (dy = -r; dy <= r; dy++)
		for (dx = -r; dx <= r; dx++) {
			unsigned p = pixel(s, x + dx, y + dy);
			int m = (int)(p >> 16 & 0xff);

			if ((int)(p >> 8 & 0xff) > m)
				m = (int)(p >> 8 & 0xff);
			if ((int)(p & 0xff) > m)
				m = (int)(p & 0xff);
			if (m < best)
				best = m;
		}
	return best;
}

static size_t count(const unsigned char *data, size_t size, const char *what)
{
	size_t n = 0, len = strlen(what), i;

	for (i = 0; i + len <= size; i++)
		if (memcmp(data + i, what, len) == 0)
			n++;
	return n;
}

/* ---------------------------------------------------------------- figures */

static void test_formats(void **state)
{
	(void)state;
	assert_string_equal(trp_image_format_name(TRP_IMAGE_PNG), "png");
	assert_string_equal(trp_image_format_name(TRP_IMAGE_PDF), "pdf");
	assert_string_equal(trp_image_format_name(TRP_IMAGE_SVG), "svg");
	assert_null(trp_image_format_name((trp_image_format)3));
	assert_string_equal(trp_image_format_type(TRP_IMAGE_PNG), "image/png");
	assert_string_equal(trp_image_format_type(TRP_IMAGE_PDF), "application/pdf");
	assert_string_equal(trp_image_format_type(TRP_IMAGE_SVG), "image/svg+xml");
	assert_null(trp_image_format_type((trp_image_format)-1));
}

/* The muscle picture in every format: each decodes. */
static void test_muscle_every_format(void **state)
{
	const trp_muscle *m = trp_atlas_find(atlas, "soleus");
	unsigned char *data;
	size_t size;
	uint32_t w, h;
	char msg[256];

	(void)state;
	assert_non_null(m);
	assert_int_equal(trp_render_muscle(m, TRP_RIGHT, TRP_IMAGE_PNG, &data, &size, msg, sizeof msg), TRP_OK);
	png_size(data, size, &w, &h);
	assert_int_equal(w, TRP_FIGURE_WIDTH);
	assert_int_equal(h, TRP_FIGURE_HEIGHT);
	cairo_surface_destroy(decode(data, size));
	free(data);

	assert_int_equal(trp_render_muscle(m, TRP_RIGHT, TRP_IMAGE_PDF, &data, &size, msg, sizeof msg), TRP_OK);
	assert_true(size > 1000);
	assert_memory_equal(data, "%PDF-", 5);
	assert_int_equal(count(data, size, "/Type /Page %"), 1);   /* cairo's page objects */
	assert_true(count(data, size, "%%EOF") >= 1);
	free(data);

	assert_int_equal(trp_render_muscle(m, TRP_RIGHT, TRP_IMAGE_SVG, &data, &size, msg, sizeof msg), TRP_OK);
	assert_memory_equal(data, "<?xml", 5);
	assert_int_equal(count(data, size, "<svg"), 1);
	assert_int_equal(count(data, size, "</svg>"), 1);
	assert_true(count(data, size, "width=\"760pt\"") == 1);
	free(data);
}

/* A map with one painted region: its pixels are painted, a far region's are not. */
static void test_painted_pixels(void **state)
{
	trp_located map[1];
	trp_figure fig;
	unsigned char *data;
	size_t size;
	cairo_surface_t *s;
	double x, y;
	char msg[256];
	int temple = trp_region_find("temple"), heel = trp_region_find("heel");

	(void)state;
	assert_true(temple >= 0 && heel >= 0);
	map[0].region = temple;
	map[0].side = TRP_LEFT;
	map[0].intensity = 8;
	memset(&fig, 0, sizeof fig);
	fig.title = "one region";
	fig.map = map;
	fig.nmap = 1;
	assert_int_equal(trp_render_figure(&fig, TRP_IMAGE_PNG, &data, &size, msg, sizeof msg), TRP_OK);
	s = decode(data, size);
	free(data);

	/* the painted region, at its centre: pain 8 is #bd2a2a */
	assert_int_equal(trp_figure_point(temple, TRP_LEFT, TRP_VIEW_FRONT, &x, &y), TRP_OK);
	assert_true(near(pixel(s, x, y), 0xbd2a2a, 8));
	/* the person's left is on the viewer's right of the front view */
	assert_true(x > TRP_FIGURE_WIDTH / 4.0);
	/* the same region on the other side, and a far region, are not painted */
	assert_int_equal(trp_figure_point(temple, TRP_RIGHT, TRP_VIEW_FRONT, &x, &y), TRP_OK);
	assert_true(near(pixel(s, x, y), 0xefe9e2, 8));
	assert_int_equal(trp_figure_point(heel, TRP_LEFT, TRP_VIEW_BACK, &x, &y), TRP_OK);
	assert_true(near(pixel(s, x, y), 0xefe9e2, 8));
	/* the white page outside the figures */
	assert_int_equal(pixel(s, 3, 3), 0xffffff);
	cairo_surface_destroy(s);

	/* intensity 0 is drawn as marked painless, -1 as 5 */
	map[0].intensity = 0;
	assert_int_equal(trp_render_figure(&fig, TRP_IMAGE_PNG, &data, &size, msg, sizeof msg), TRP_OK);
	s = decode(data, size);
	free(data);
	assert_int_equal(trp_figure_point(temple, TRP_LEFT, TRP_VIEW_FRONT, &x, &y), TRP_OK);
	assert_true(near(pixel(s, x, y), 0xcfe1f2, 8));
	cairo_surface_destroy(s);
	map[0].intensity = -1;
	assert_int_equal(trp_render_figure(&fig, TRP_IMAGE_PNG, &data, &size, msg, sizeof msg), TRP_OK);
	s = decode(data, size);
	free(data);
	assert_true(near(pixel(s, x, y), 0xf88b46, 8));
	cairo_surface_destroy(s);
}

/* A muscle's trigger points are marked X on its side, and its zones tinted. */
static void test_muscle_marks(void **state)
{
	const trp_muscle *m = trp_atlas_find(atlas, "trapezius_upper");
	const trp_trigger_point *tps;
	const trp_zone *zones;
	unsigned char *data;
	size_t size, i, n;
	cairo_surface_t *s;
	double x, y;
	char msg[256];
	int checked = 0;

	(void)state;
	assert_non_null(m);
	assert_int_equal(trp_render_muscle(m, TRP_LEFT, TRP_IMAGE_PNG, &data, &size, msg, sizeof msg), TRP_OK);
	s = decode(data, size);
	free(data);
	n = trp_muscle_trigger_points(m, &tps);
	assert_true(n > 0);
	for (i = 0; i < n; i++) {
		trp_view v = trp_region_view(tps[i].region) & TRP_VIEW_BACK ? TRP_VIEW_BACK : TRP_VIEW_FRONT;

		assert_int_equal(trp_figure_point(tps[i].region, TRP_LEFT, v, &x, &y), TRP_OK);
		assert_true(darkest(s, x, y, 14) < 0x30);      /* an X's black cross */
		assert_int_equal(trp_figure_point(tps[i].region, TRP_RIGHT, v, &x, &y), TRP_OK);
		assert_true(darkest(s, x, y, 5) > 0x60);       /* none on the other side */
	}
	/* an essential zone of the same side rule is tinted on the left only */
	n = trp_muscle_referral(m, &zones);
	for (i = 0; i < n && !checked; i++) {
		trp_view v;

		if (zones[i].kind != TRP_ESSENTIAL || zones[i].side != TRP_SAME_SIDE)
			continue;
		v = trp_region_view(zones[i].region) & TRP_VIEW_FRONT ? TRP_VIEW_FRONT : TRP_VIEW_BACK;
		assert_int_equal(trp_figure_point(zones[i].region, TRP_LEFT, v, &x, &y), TRP_OK);
		if (darkest(s, x, y, 14) < 0x30)
			continue;   /* a trigger point's X sits there */
		assert_false(near(pixel(s, x, y), 0xefe9e2, 24));
		assert_int_equal(trp_figure_point(zones[i].region, TRP_RIGHT, v, &x, &y), TRP_OK);
		assert_true(near(pixel(s, x, y), 0xefe9e2, 8));
		checked = 1;
	}
	assert_true(checked);
	cairo_surface_destroy(s);
}

/* The find picture: the map painted under the explanation's zones. */
static void test_find_picture(void **state)
{
	const char *texts[] = { "temple.r=7", "heel.l=6" };
	trp_located map[TRP_MAP_MAX];
	trp_finder *finder;
	trp_find_result *result;
	unsigned char *data;
	size_t size, n;
	uint32_t w, h;
	cairo_surface_t *s;
	double x, y;
	char msg[256];

	(void)state;
	assert_int_equal(trp_map_parse(texts, 2, map, &n, msg, sizeof msg), TRP_OK);
	assert_int_equal(trp_finder_new(atlas, &finder), TRP_OK);
	assert_int_equal(trp_find_result_new(finder, &result), TRP_OK);
	assert_int_equal(trp_find(finder, map, n, 5, result), TRP_OK);
	assert_int_equal(trp_render_find(result, TRP_IMAGE_PNG, &data, &size, msg, sizeof msg), TRP_OK);
	png_size(data, size, &w, &h);
	assert_int_equal(h, TRP_FIGURE_HEIGHT);
	s = decode(data, size);
	free(data);
	/* the heel is painted (pain 6, perhaps under a zone's tint) and not the other heel */
	assert_int_equal(trp_figure_point(map[1].region, TRP_RIGHT, TRP_VIEW_BACK, &x, &y), TRP_OK);
	assert_true(near(pixel(s, x, y), 0xefe9e2, 8));
	assert_int_equal(trp_figure_point(trp_region_find("heel"), TRP_LEFT, TRP_VIEW_BACK, &x, &y), TRP_OK);
	assert_false(near(pixel(s, x, y), 0xefe9e2, 24));
	cairo_surface_destroy(s);
	trp_find_result_free(result);
	trp_finder_free(finder);
}

/* The same input gives the same bytes: PDF (no clock in it), PNG and SVG. */
static void test_reproducible(void **state)
{
	const trp_muscle *m = trp_atlas_find(atlas, "gluteus_minimus");
	unsigned char *a, *b;
	size_t na, nb;
	int f;

	(void)state;
	for (f = TRP_IMAGE_PNG; f <= TRP_IMAGE_PDF; f++) {
		assert_int_equal(trp_render_muscle(m, TRP_LEFT, (trp_image_format)f, &a, &na, NULL, 0), TRP_OK);
		assert_int_equal(trp_render_muscle(m, TRP_LEFT, (trp_image_format)f, &b, &nb, NULL, 0), TRP_OK);
		assert_int_equal(na, nb);
		assert_memory_equal(a, b, na);
		free(a);
		free(b);
	}
}

static void test_bad_input(void **state)
{
	trp_located map[1] = { { 9999, TRP_LEFT, 5 } };
	trp_figure_muscle fm = { NULL, TRP_LEFT };
	trp_figure fig;
	unsigned char *data = (unsigned char *)"x";
	size_t size = 7;
	double x = 1, y = 1;
	char msg[256];

	(void)state;
	memset(&fig, 0, sizeof fig);
	assert_int_equal(trp_render_figure(&fig, (trp_image_format)7, &data, &size, msg, sizeof msg), TRP_EINVAL);
	assert_null(data);
	assert_int_equal(size, 0);
	assert_non_null(strstr(msg, "png, pdf or svg"));
	fig.map = map;
	fig.nmap = 1;
	assert_int_equal(trp_render_figure(&fig, TRP_IMAGE_PNG, &data, &size, msg, sizeof msg), TRP_EINVAL);
	assert_non_null(strstr(msg, "map[0]"));
	map[0].region = 0;
	map[0].intensity = 11;
	assert_int_equal(trp_render_figure(&fig, TRP_IMAGE_PNG, &data, &size, msg, sizeof msg), TRP_EINVAL);
	fig.nmap = 0;
	fig.muscles = &fm;
	fig.nmuscles = 1;
	assert_int_equal(trp_render_figure(&fig, TRP_IMAGE_PNG, &data, &size, msg, sizeof msg), TRP_EINVAL);
	assert_non_null(strstr(msg, "muscles[0]"));
	assert_int_equal(trp_render_figure(NULL, TRP_IMAGE_PNG, &data, &size, NULL, 0), TRP_EINVAL);
	assert_int_equal(trp_render_muscle(NULL, TRP_LEFT, TRP_IMAGE_PNG, &data, &size, NULL, 0), TRP_EINVAL);
	assert_int_equal(trp_render_find(NULL, TRP_IMAGE_PNG, &data, &size, NULL, 0), TRP_EINVAL);
	assert_int_equal(trp_render_report(NULL, TRP_IMAGE_PDF, &data, &size, NULL, NULL, 0), TRP_EINVAL);
	/* a region the front view does not show */
	assert_int_equal(trp_figure_point(trp_region_find("heel"), TRP_LEFT, TRP_VIEW_FRONT, &x, &y),
			 TRP_ENOTFOUND);
	assert_int_equal(trp_figure_point(-1, TRP_LEFT, TRP_VIEW_FRONT, &x, &y), TRP_EINVAL);
	assert_int_equal(trp_figure_point(0, TRP_LEFT, TRP_VIEW_BOTH, &x, &y), TRP_EINVAL);
}

/* Every located region has a point inside the picture on each view that shows it. */
static void test_every_region_placed(void **state)
{
	int r, s, placed = 0;
	double x, y;

	(void)state;
	for (r = 0; r < trp_region_count(); r++)
		for (s = TRP_LEFT; s <= TRP_RIGHT; s++) {
			if (trp_region_view(r) & TRP_VIEW_FRONT) {
				assert_int_equal(trp_figure_point(r, (trp_side)s, TRP_VIEW_FRONT, &x, &y), TRP_OK);
				assert_true(x > 0 && x < TRP_FIGURE_WIDTH / 2.0 && y > 0 && y < TRP_FIGURE_HEIGHT);
				placed++;
			}
			if (trp_region_view(r) & TRP_VIEW_BACK) {
				assert_int_equal(trp_figure_point(r, (trp_side)s, TRP_VIEW_BACK, &x, &y), TRP_OK);
				assert_true(x > TRP_FIGURE_WIDTH / 2.0 && x < TRP_FIGURE_WIDTH && y > 0 &&
					    y < TRP_FIGURE_HEIGHT);
				placed++;
			}
		}
	assert_int_equal(placed, 98 + 100);
}

/* ---------------------------------------------------------------- the report */

static void add_session(trp_report *r, trp_entry *keep, int64_t day, trp_treatment t, int before,
			int after)
{
	trp_entry e;

	trp_entry_init(&e, TRP_SESSION_ENTRY);
	e.at = day * 86400 + 12 * 3600;
	e.treatment = t;
	e.before = before;
	e.after = after;
	snprintf(e.muscle, sizeof e.muscle, "trapezius_upper");
	e.side = TRP_LEFT;
	e.minutes = 5;
	assert_int_equal(trp_report_add(r, &e), TRP_OK);
	if (keep)
		*keep = e;
}

static void add_pain(trp_report *r, trp_entry *keep, int64_t day, const char *map)
{
	trp_entry e;

	trp_entry_init(&e, TRP_PAIN_ENTRY);
	e.at = day * 86400 + 9 * 3600;
	assert_int_equal(trp_pain_map_parse(map, &e, NULL, 0), TRP_OK);
	assert_int_equal(trp_report_add(r, &e), TRP_OK);
	if (keep)
		*keep = e;
}

static void test_report_figures(void **state)
{
	const trp_report_day *days;
	trp_report *r;
	size_t n;
	double median, low, high;
	int sessions;

	(void)state;
	assert_int_equal(trp_report_new(&r), TRP_OK);
	assert_int_equal(trp_report_days(r, &days, &n), TRP_OK);
	assert_int_equal(n, 0);
	/* five stretch sessions: no interval yet; a sixth gives the range */
	add_session(r, NULL, DAY0, TRP_T_STRETCH, 6, 5);
	add_session(r, NULL, DAY0, TRP_T_PRESSURE, 6, 2);
	add_session(r, NULL, DAY0 + 1, TRP_T_STRETCH, 5, 5);
	add_session(r, NULL, DAY0 + 2, TRP_T_STRETCH, 5, 3);
	add_session(r, NULL, DAY0 + 3, TRP_T_STRETCH, 4, 4);
	add_session(r, NULL, DAY0 + 4, TRP_T_STRETCH, 4, 1);
	add_pain(r, NULL, DAY0 + 1, "temple.l=7 neck_side.l=3");
	assert_int_equal(trp_report_median_change(r, TRP_T_STRETCH, &sessions, &median, &low, &high), TRP_OK);
	assert_int_equal(sessions, 5);
	assert_true(median == -1);
	assert_true(isnan(low) && isnan(high));
	add_session(r, NULL, DAY0 + 5, TRP_T_STRETCH, 4, 2);
	assert_int_equal(trp_report_median_change(r, TRP_T_STRETCH, &sessions, &median, &low, &high), TRP_OK);
	assert_int_equal(sessions, 6);
	assert_true(median == -1.5);
	assert_true(low == -3 && high == 0);
	assert_int_equal(trp_report_median_change(r, TRP_T_HEAT, &sessions, &median, &low, &high), TRP_OK);
	assert_int_equal(sessions, 0);
	assert_true(isnan(median));
	assert_int_equal(trp_report_median_change(r, TRP_TREATMENT_COUNT, &sessions, &median, &low, &high),
			 TRP_EINVAL);
	/* the days: in order, each day's mean, and the treatments of its sessions */
	assert_int_equal(trp_report_days(r, &days, &n), TRP_OK);
	assert_int_equal(n, 6);
	assert_true(days[0].day == DAY0 && days[0].pain == 6);
	assert_int_equal(days[0].treatments, (1u << TRP_T_STRETCH) | (1u << TRP_T_PRESSURE));
	assert_true(days[1].day == DAY0 + 1 && days[1].pain == 6);    /* (5 + 7) / 2 */
	assert_int_equal(days[1].treatments, 1u << TRP_T_STRETCH);
	assert_true(days[5].day == DAY0 + 5);
	trp_report_free(r);
}

/* Builds a diary of `ndays` days into r, keeping the first and latest pain entries and
 * the sessions in `sessions` (room for ndays). */
static void build_diary(trp_report *r, int ndays, trp_entry *first, trp_entry *last,
			trp_entry *sessions, size_t *nsessions)
{
	int i;

	*nsessions = 0;
	for (i = 0; i < ndays; i++) {
		char map[128];
		int pain = 7 - i / 6;

		snprintf(map, sizeof map, "temple.l=%d:aching neck_side.l=%d%s", pain, pain > 2 ? pain - 2 : 1,
			 i == ndays - 1 ? " heel.r=3" : "");
		add_pain(r, i == 0 ? first : last, DAY0 + i, map);
		if (i % 2 == 0)
			add_session(r, &sessions[(*nsessions)++], DAY0 + i, TRP_T_PRESSURE, pain, pain - 3);
		if (i % 3 == 0)
			add_session(r, &sessions[(*nsessions)++], DAY0 + i, TRP_T_STRETCH, pain, pain - (i % 2));
	}
}

static void test_report_picture(void **state)
{
	trp_entry *first = malloc(sizeof *first), *last = malloc(sizeof *last);
	trp_entry *sessions = malloc(40 * sizeof *sessions);
	trp_report_picture pic;
	trp_answers answers;
	trp_report *r;
	unsigned char *a, *b;
	size_t na, nb, nsessions;
	uint32_t w, h;
	int pages, again;

	(void)state;
	assert_true(first && last && sessions);
	assert_int_equal(trp_report_new(&r), TRP_OK);
	build_diary(r, 30, first, last, sessions, &nsessions);
	trp_answers_clear(&answers);
	answers.yes[trp_screen_find("blood_thinners")] = 1;
	memset(&pic, 0, sizeof pic);
	pic.report = r;
	pic.today = DAY0 + 30;
	pic.first_pain = first;
	pic.last_pain = last;
	pic.sessions = sessions;
	pic.nsessions = nsessions;
	pic.answers = &answers;
	pic.atlas = atlas;

	/* PDF: one or two A4 pages, the same bytes twice, a fixed date */
	assert_int_equal(trp_render_report(&pic, TRP_IMAGE_PDF, &a, &na, &pages, NULL, 0), TRP_OK);
	assert_true(pages == 1 || pages == 2);
	assert_memory_equal(a, "%PDF-", 5);
	assert_int_equal(count(a, na, "/Type /Page %"), (size_t)pages);
	assert_int_equal(count(a, na, "/MediaBox [ 0 0 595.276 841.89 ]"), (size_t)pages);
	assert_int_equal(count(a, na, "/CreationDate (20251208000000Z)"), 1);   /* the report's day */
	assert_int_equal(trp_render_report(&pic, TRP_IMAGE_PDF, &b, &nb, &again, NULL, 0), TRP_OK);
	assert_int_equal(na, nb);
	assert_memory_equal(a, b, na);
	free(a);
	free(b);

	/* PNG: the pages stacked, two pixels a point */
	assert_int_equal(trp_render_report(&pic, TRP_IMAGE_PNG, &a, &na, &again, NULL, 0), TRP_OK);
	assert_int_equal(again, pages);
	png_size(a, na, &w, &h);
	assert_int_equal(w, 1191);
	assert_int_equal(h, (uint32_t)ceil(841.89 * TRP_REPORT_PNG_SCALE * pages));
	free(a);

	/* SVG */
	assert_int_equal(trp_render_report(&pic, TRP_IMAGE_SVG, &a, &na, NULL, NULL, 0), TRP_OK);
	assert_memory_equal(a, "<?xml", 5);
	assert_int_equal(count(a, na, "</svg>"), 1);
	free(a);

	/* an empty diary, not screened: one page */
	trp_report_free(r);
	assert_int_equal(trp_report_new(&r), TRP_OK);
	memset(&pic, 0, sizeof pic);
	pic.report = r;
	pic.today = DAY0;
	assert_int_equal(trp_render_report(&pic, TRP_IMAGE_PDF, &a, &na, &pages, NULL, 0), TRP_OK);
	assert_int_equal(pages, 1);
	free(a);
	trp_report_free(r);
	free(first);
	free(last);
	free(sessions);
}

/* The most a report can hold: every treatment, every comparison, a full table of
 * sessions, a map of every region, every screening answer yes: still two pages. */
static void test_report_at_most_two_pages(void **state)
{
	trp_entry *sessions = malloc(TRP_REPORT_SESSIONS_SHOWN * sizeof *sessions);
	trp_entry *pain = malloc(sizeof *pain);
	trp_report_picture pic;
	trp_answers answers;
	trp_report *r;
	unsigned char *data;
	size_t size, i;
	int t, day, pages;

	(void)state;
	assert_true(sessions && pain);
	assert_int_equal(trp_report_new(&r), TRP_OK);
	for (day = 0; day < 60; day++)
		for (t = 0; t < TRP_TREATMENT_COUNT; t++)
			add_session(r, &sessions[(size_t)(day * TRP_TREATMENT_COUNT + t) % TRP_REPORT_SESSIONS_SHOWN],
				    DAY0 + day, (trp_treatment)t, 3 + (day + t) % 7, (day * t) % 5);
	trp_entry_init(pain, TRP_PAIN_ENTRY);
	pain->at = (int64_t)DAY0 * 86400;
	for (i = 0; i < TRP_MAP_MAX; i++) {
		pain->regions[i].region = (int)i / 2;
		pain->regions[i].side = (trp_side)(i % 2);
		pain->regions[i].intensity = (int)i % 11;
		pain->regions[i].quality = TRP_BURNING;
	}
	pain->nregions = TRP_MAP_MAX;
	assert_int_equal(trp_report_add(r, pain), TRP_OK);
	trp_answers_clear(&answers);
	for (i = 0; i < trp_screen_count(); i++)
		answers.yes[i] = 1;
	memset(&pic, 0, sizeof pic);
	pic.report = r;
	pic.today = DAY0 + 60;
	pic.first_pain = pain;
	pic.last_pain = pain;
	pic.sessions = sessions;
	pic.nsessions = TRP_REPORT_SESSIONS_SHOWN;
	pic.answers = &answers;
	pic.atlas = atlas;
	assert_int_equal(trp_render_report(&pic, TRP_IMAGE_PDF, &data, &size, &pages, NULL, 0), TRP_OK);
	assert_int_equal(pages, 2);
	free(data);
	trp_report_free(r);
	free(sessions);
	free(pain);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_formats),
		cmocka_unit_test(test_muscle_every_format),
		cmocka_unit_test(test_painted_pixels),
		cmocka_unit_test(test_muscle_marks),
		cmocka_unit_test(test_find_picture),
		cmocka_unit_test(test_reproducible),
		cmocka_unit_test(test_bad_input),
		cmocka_unit_test(test_every_region_placed),
		cmocka_unit_test(test_report_figures),
		cmocka_unit_test(test_report_picture),
		cmocka_unit_test(test_report_at_most_two_pages),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
