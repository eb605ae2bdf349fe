/*
 * figure.c: the body figures. The front and back views of data/bodymap.json (compiled
 * in by bodymapgen), regions shaded by pain, a muscle's referral zones (essential solid,
 * spillover hatched) and its trigger points as an X at the centre of their region, the
 * person's Left and Right, and a legend. The colours are the web page's (web/style.css).
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "bodymap.h"
#include "render_impl.h"

/* The layout of a figure picture; it never depends on what is drawn. */
#define FIG_SCALE 0.94            /* points a drawing unit */
#define FIG_TOP 100.0             /* where the views start */
#define FIG_GAP 28.0              /* between the views */
#define FIG_MARGIN 28.0
#define FIG_DATE "2000-01-01"     /* the fixed creation date of a figure's PDF */

#define ZONE 0x4c1d95             /* referral zones */
#define REGION 0xefe9e2
#define REGION_EDGE 0xfbf9f6
#define OUTLINE 0xd8cdc0
#define OUTLINE_EDGE 0x8b7d6e
#define INK 0x1f2328
#define MUTED 0x4a5058
#define WARN 0x8a4b00

unsigned pain_colour(int level)
{
	static const unsigned colours[11] = {
		0xcfe1f2, 0xfff0c2, 0xfee19b, 0xfdc879, 0xfcab5b, 0xf88b46,
		0xee6a39, 0xd94730, 0xbd2a2a, 0x991527, 0x6f0b21
	};

	return colours[level < 0 ? 0 : level > 10 ? 10 : level];
}

void marks_clear(struct marks *m)
{
	memset(m->level, -1, sizeof m->level);
	memset(m->zone, -1, sizeof m->zone);
	memset(m->points, 0, sizeof m->points);
}

trp_err marks_map(struct marks *m, const trp_located *map, size_t n, char *msg, size_t msgsize)
{
	size_t i;

	for (i = 0; i < n; i++) {
		const trp_located *l = &map[i];

		if (l->region < 0 || l->region >= trp_region_count() ||
		    (l->side != TRP_LEFT && l->side != TRP_RIGHT) || l->intensity < -1 || l->intensity > 10) {
			trp__msg(msg, msgsize, "map[%zu]: region, side or intensity out of range", i);
			return TRP_EINVAL;
		}
		m->level[l->region * 2 + l->side] = (signed char)(l->intensity < 0 ? 5 : l->intensity);
	}
	return TRP_OK;
}

void marks_muscle(struct marks *m, const trp_muscle *muscle, trp_side side)
{
	const trp_trigger_point *tps;
	const trp_zone *zones;
	size_t n = trp_muscle_referral(muscle, &zones), i;
	int s;

	for (i = 0; i < n; i++)
		for (s = TRP_LEFT; s <= TRP_RIGHT; s++) {
			int k = zones[i].region * 2 + s;

			if (zones[i].side == TRP_SAME_SIDE && s != (int)side)
				continue;
			if (zones[i].side == TRP_OPPOSITE_SIDE && s == (int)side)
				continue;
			if (m->zone[k] < 0 || zones[i].kind == TRP_ESSENTIAL)
				m->zone[k] = (signed char)zones[i].kind;
		}
	n = trp_muscle_trigger_points(muscle, &tps);
	for (i = 0; i < n; i++) {
		int k = tps[i].region * 2 + (int)side;

		if (m->points[k] < 255)
			m->points[k]++;
	}
}

/* The path of a shape's polygons. */
static void shape_path(cairo_t *cr, const struct trp__bm_shape *shape)
{
	int r, i;

	for (r = 0; r < shape->n; r++) {
		const struct trp__bm_ring *ring = &shape->rings[r];

		cairo_move_to(cr, ring->xy[0], ring->xy[1]);
		for (i = 1; i < ring->n; i++)
			cairo_line_to(cr, ring->xy[2 * i], ring->xy[2 * i + 1]);
		cairo_close_path(cr);
	}
}

/* Diagonal lines `spacing` apart over the box (x1, y1)-(x2, y2), on a grid fixed to the
 * origin so that neighbouring hatched areas line up; the caller clips. */
static void hatch(cairo_t *cr, double x1, double y1, double x2, double y2, double spacing,
		  double width)
{
	double c;

	/* each line is x + y = c */
	cairo_set_line_width(cr, width);
	for (c = floor((x1 + y1) / spacing) * spacing; c <= x2 + y2; c += spacing) {
		cairo_move_to(cr, c - y2, y2);
		cairo_line_to(cr, c - y1, y1);
	}
	cairo_stroke(cr);
}

/* An X of half-size r at (x, y): a white halo under a dark cross, as on the web page. */
static void cross(cairo_t *cr, double x, double y, double r, double width)
{
	int pass;

	cairo_set_line_cap(cr, CAIRO_LINE_CAP_ROUND);
	for (pass = 0; pass < 2; pass++) {
		cairo_move_to(cr, x - r, y - r);
		cairo_line_to(cr, x + r, y + r);
		cairo_move_to(cr, x + r, y - r);
		cairo_line_to(cr, x - r, y + r);
		set_colour(cr, pass ? 0x111111 : 0xffffff, 1);
		cairo_set_line_width(cr, pass ? width : width * 2.1);
		cairo_stroke(cr);
	}
	cairo_set_line_cap(cr, CAIRO_LINE_CAP_BUTT);
}

/* A spillover zone over the current path: a faint tint, hatching, a dashed edge. */
static void spillover(cairo_t *cr, double line)
{
	static const double dash[] = { 4, 3 };
	double x1, y1, x2, y2;
	cairo_path_t *path = cairo_copy_path(cr);

	cairo_save(cr);
	cairo_fill_extents(cr, &x1, &y1, &x2, &y2);
	cairo_clip_preserve(cr);
	set_colour(cr, ZONE, 0.08);
	cairo_fill(cr);
	set_colour(cr, ZONE, 0.85);
	hatch(cr, x1, y1, x2, y2, 6, line * 0.8);
	cairo_restore(cr);
	cairo_new_path(cr);
	cairo_append_path(cr, path);
	cairo_path_destroy(path);
	set_colour(cr, ZONE, 1);
	cairo_set_line_width(cr, line);
	cairo_set_dash(cr, dash, 2, 0);
	cairo_stroke(cr);
	cairo_set_dash(cr, NULL, 0, 0);
}

void draw_view(cairo_t *cr, int view, double x, double y, double scale, const struct marks *m,
	       double label_size)
{
	const struct trp__bm_view *v = &trp__bodymap_views[view];
	int k, side;

	cairo_save(cr);
	cairo_translate(cr, x, y);
	cairo_scale(cr, scale, scale);
	cairo_set_line_join(cr, CAIRO_LINE_JOIN_ROUND);
	shape_path(cr, &v->outline);
	set_colour(cr, OUTLINE, 1);
	cairo_fill_preserve(cr);
	set_colour(cr, OUTLINE_EDGE, 1);
	cairo_set_line_width(cr, 1.6);
	cairo_stroke(cr);
	for (k = 0; k < TRP_MAP_MAX; k++) {
		if (!v->regions[k].n)
			continue;
		shape_path(cr, &v->regions[k]);
		set_colour(cr, m->level[k] >= 0 ? pain_colour(m->level[k]) : REGION, 1);
		cairo_fill_preserve(cr);
		set_colour(cr, REGION_EDGE, 1);
		cairo_set_line_width(cr, 0.9);
		cairo_stroke(cr);
	}
	/* spillover first, so that an essential edge is never under a dashed one */
	for (k = 0; k < TRP_MAP_MAX; k++)
		if (v->regions[k].n && m->zone[k] == TRP_SPILLOVER) {
			shape_path(cr, &v->regions[k]);
			spillover(cr, 1.6);
		}
	for (k = 0; k < TRP_MAP_MAX; k++)
		if (v->regions[k].n && m->zone[k] == TRP_ESSENTIAL) {
			/* lighter over a painted region, so that its pain still shows */
			shape_path(cr, &v->regions[k]);
			set_colour(cr, ZONE, m->level[k] > 0 ? 0.16 : 0.38);
			cairo_fill_preserve(cr);
			set_colour(cr, ZONE, 1);
			cairo_set_line_width(cr, 2.4);
			cairo_stroke(cr);
		}
	for (k = 0; k < TRP_MAP_MAX; k++) {
		int i, n = m->points[k];

		if (!v->regions[k].n || !n)
			continue;
		/* several points in one region sit side by side, as on the web page */
		for (i = 0; i < n; i++)
			cross(cr, v->regions[k].cx + (i - (n - 1) / 2.0) * 13, v->regions[k].cy, 7, 3.4);
	}
	text_font(cr, label_size, 1);
	set_colour(cr, 0x3a3f46, 1);
	for (side = TRP_LEFT; side <= TRP_RIGHT; side++)
		text_at(cr, v->label[side][0], v->label[side][1] + label_size * 0.36, ALIGN_CENTER, 0,
			side == TRP_LEFT ? "Left" : "Right");
	cairo_restore(cr);
}

double draw_pain_scale(cairo_t *cr, double x, double y, double w, double h, double font)
{
	int level;

	text_font(cr, font, 1);
	for (level = 0; level <= 10; level++) {
		char num[4];

		snprintf(num, sizeof num, "%d", level);
		cairo_rectangle(cr, x + level * w, y, w, h);
		set_colour(cr, pain_colour(level), 1);
		cairo_fill(cr);
		set_colour(cr, level >= 6 ? 0xffffff : INK, 1);
		text_at(cr, x + (level + 0.5) * w, y + h / 2 + font * 0.36, ALIGN_CENTER, 0, num);
	}
	cairo_rectangle(cr, x + 0.25, y + 0.25, 11 * w - 0.5, h - 0.5);
	set_colour(cr, 0x000000, 0.15);
	cairo_set_line_width(cr, 0.5);
	cairo_stroke(cr);
	return 11 * w;
}

void draw_key(cairo_t *cr, int kind, double x, double y, double w, double h)
{
	if (kind == 2) {
		cross(cr, x + w / 2, y + h / 2, h * 0.36, h * 0.2);
		return;
	}
	cairo_rectangle(cr, x, y, w, h);
	if (kind == TRP_SPILLOVER) {
		spillover(cr, 1.2);
		return;
	}
	set_colour(cr, ZONE, 0.5);
	cairo_fill_preserve(cr);
	set_colour(cr, ZONE, 1);
	cairo_set_line_width(cr, 1.6);
	cairo_stroke(cr);
}

/* ---------------------------------------------------------------- the figure picture */

static double view_left(int view)
{
	double w = trp__bodymap_width * FIG_SCALE;

	return (TRP_FIGURE_WIDTH - 2 * w - FIG_GAP) / 2 + view * (w + FIG_GAP);
}

trp_err trp_figure_point(int region, trp_side side, trp_view view, double *x, double *y)
{
	const struct trp__bm_shape *shape;
	int v = view == TRP_VIEW_FRONT ? 0 : 1;

	*x = *y = 0;
	if (region < 0 || region >= trp_region_count() || (side != TRP_LEFT && side != TRP_RIGHT) ||
	    (view != TRP_VIEW_FRONT && view != TRP_VIEW_BACK))
		return TRP_EINVAL;
	shape = &trp__bodymap_views[v].regions[region * 2 + side];
	if (!shape->n)
		return TRP_ENOTFOUND;
	*x = view_left(v) + shape->cx * FIG_SCALE;
	*y = FIG_TOP + shape->cy * FIG_SCALE;
	return TRP_OK;
}

/* One row of the legend: a key and its words, centred as a whole. */
struct legend_item {
	int kind;                  /* -1 the pain scale, 0 essential, 1 spillover, 2 an X */
	const char *words;
};

static void legend_row(cairo_t *cr, double y, const struct legend_item *items, size_t n)
{
	double widths[4], total = 0, x;
	size_t i;

	text_font(cr, 12, 0);
	for (i = 0; i < n; i++) {
		widths[i] = (items[i].kind < 0 ? 11 * 24 + 8 : 30) + text_width(cr, items[i].words);
		total += widths[i] + (i ? 28 : 0);
	}
	x = (TRP_FIGURE_WIDTH - total) / 2;
	for (i = 0; i < n; i++) {
		double key = items[i].kind < 0 ? 11 * 24 + 8 : 30;

		if (items[i].kind < 0)
			draw_pain_scale(cr, x, y, 24, 16, 10);
		else
			draw_key(cr, items[i].kind, x, y, 22, 16);
		text_font(cr, 12, 0);
		set_colour(cr, INK, 1);
		text_at(cr, x + key, y + 12.5, ALIGN_LEFT, 0, items[i].words);
		x += widths[i] + 28;
	}
}

static void draw_figure(cairo_t *cr, const trp_figure *fig, const struct marks *m)
{
	double w = trp__bodymap_width * FIG_SCALE, bottom = FIG_TOP + trp__bodymap_height * FIG_SCALE;
	double width = TRP_FIGURE_WIDTH - 2 * FIG_MARGIN, y = bottom + 32;
	int v;

	set_colour(cr, INK, 1);
	text_font(cr, 22, 1);
	text_at(cr, FIG_MARGIN, 42, ALIGN_LEFT, width, fig->title ? fig->title : "Body map");
	if (fig->subtitle) {
		set_colour(cr, MUTED, 1);
		text_font(cr, 12.5, 0);
		text_wrap(cr, FIG_MARGIN, 64, width, 16, 2, fig->subtitle, 1);
	}
	for (v = 0; v < 2; v++) {
		draw_view(cr, v, view_left(v), FIG_TOP, FIG_SCALE, m, 24);
		set_colour(cr, INK, 1);
		text_font(cr, 13, 1);
		text_at(cr, view_left(v) + w / 2, bottom + 18, ALIGN_CENTER, 0,
			v ? "Back (seen from behind)" : "Front (facing you)");
	}
	if (fig->nmap) {
		static const struct legend_item pain[] = {
			{ -1, "pain 0-10 (0: marked not painful)" },
		};

		legend_row(cr, y, pain, 1);
		y += 26;
	}
	if (fig->nmuscles) {
		static const struct legend_item zones[] = {
			{ TRP_ESSENTIAL, "essential zone" }, { TRP_SPILLOVER, "spillover zone" },
			{ 2, "trigger point" },
		};

		legend_row(cr, y, zones, 3);
	}
	if (fig->note) {
		set_colour(cr, WARN, 1);
		text_font(cr, 12, 1);
		text_wrap(cr, FIG_MARGIN, 989, width, 15, 3, fig->note, 1);
	}
	set_colour(cr, MUTED, 1);
	text_font(cr, 11, 0);
	text_at(cr, TRP_FIGURE_WIDTH / 2.0, TRP_FIGURE_HEIGHT - 14, ALIGN_CENTER, width,
		"Left and Right are the person's own. trp informs; it does not diagnose.");
}

trp_err trp_render_figure(const trp_figure *fig, trp_image_format format, unsigned char **data,
			  size_t *size, char *msg, size_t msgsize)
{
	struct marks m;
	struct canvas c;
	trp_err err;
	size_t i;

	*data = NULL;
	*size = 0;
	if (!fig || (fig->nmap && !fig->map) || (fig->nmuscles && !fig->muscles)) {
		trp__msg(msg, msgsize, "no figure to draw");
		return TRP_EINVAL;
	}
	marks_clear(&m);
	err = marks_map(&m, fig->map, fig->nmap, msg, msgsize);
	if (err)
		return err;
	for (i = 0; i < fig->nmuscles; i++) {
		if (!fig->muscles[i].muscle ||
		    (fig->muscles[i].side != TRP_LEFT && fig->muscles[i].side != TRP_RIGHT)) {
			trp__msg(msg, msgsize, "muscles[%zu]: no muscle, or a side out of range", i);
			return TRP_EINVAL;
		}
		marks_muscle(&m, fig->muscles[i].muscle, fig->muscles[i].side);
	}
	err = canvas_open(&c, format, TRP_FIGURE_WIDTH, TRP_FIGURE_HEIGHT, 1, 1,
			  fig->title ? fig->title : "Body map", FIG_DATE, msg, msgsize);
	if (err)
		return err;
	draw_figure(c.cr, fig, &m);
	return canvas_close(&c, data, size, msg, msgsize);
}

trp_err trp_render_muscle(const trp_muscle *muscle, trp_side side, trp_image_format format,
			  unsigned char **data, size_t *size, char *msg, size_t msgsize)
{
	trp_figure_muscle fm;
	trp_figure fig;
	char title[256];

	*data = NULL;
	*size = 0;
	if (!muscle) {
		trp__msg(msg, msgsize, "no muscle to draw");
		return TRP_EINVAL;
	}
	fm.muscle = muscle;
	fm.side = side;
	memset(&fig, 0, sizeof fig);
	snprintf(title, sizeof title, "%s, %s side", trp_muscle_name(muscle),
		 side == TRP_RIGHT ? "right" : "left");
	fig.title = title;
	fig.subtitle = "Trigger points (X) and where they refer pain: essential zones solid, "
		       "spillover zones hatched";
	fig.muscles = &fm;
	fig.nmuscles = 1;
	return trp_render_figure(&fig, format, data, size, msg, msgsize);
}

trp_err trp_render_find(const trp_find_result *result, trp_image_format format,
			unsigned char **data, size_t *size, char *msg, size_t msgsize)
{
	trp_figure_muscle members[TRP_MAP_MAX];
	const trp_candidate *expl;
	const trp_caution_note *notes;
	const trp_located *map;
	trp_figure fig;
	char title[1024] = "Pain map:", subtitle[1024] = "", note[2048] = "";
	size_t n, nm, nn, i;

	*data = NULL;
	*size = 0;
	if (!result) {
		trp__msg(msg, msgsize, "no find result to draw");
		return TRP_EINVAL;
	}
	n = trp_find_map(result, &map);
	nm = trp_find_explanation(result, &expl);
	nn = trp_find_cautions(result, &notes);
	if (nm > TRP_MAP_MAX)
		nm = TRP_MAP_MAX;
	for (i = 0; i < n; i++) {
		char loc[64];

		trp_located_format(&map[i], loc, sizeof loc);
		text_append(title, sizeof title, " %s", loc);
	}
	for (i = 0; i < nm; i++) {
		members[i].muscle = expl[i].muscle;
		members[i].side = expl[i].side;
		text_append(subtitle, sizeof subtitle, "%s%s (%s)",
		       i ? ", " : "The fewest muscles that explain it: ", trp_muscle_name(expl[i].muscle),
		       expl[i].side == TRP_RIGHT ? "right" : "left");
	}
	if (nm == 0)
		text_append(subtitle, sizeof subtitle, "No muscle of the atlas refers pain to these regions");
	for (i = 0; i < nn; i++)
		text_append(note, sizeof note, "%sCaution (%s): %s", i ? " " : "", notes[i].code, notes[i].message);
	memset(&fig, 0, sizeof fig);
	fig.title = title;
	fig.subtitle = subtitle;
	fig.map = map;
	fig.nmap = n;
	fig.muscles = members;
	fig.nmuscles = nm;
	fig.note = nn ? note : NULL;
	return trp_render_figure(&fig, format, data, size, msg, msgsize);
}
