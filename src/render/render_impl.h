/*
 * render_impl.h: what the files of src/render share: the canvas (one cairo drawing
 * written as PNG, PDF or SVG into memory), text, colours, the body figures and the
 * charts. Nothing here is part of the API.
 */
#ifndef TRP_RENDER_IMPL_H
#define TRP_RENDER_IMPL_H

#include <stddef.h>

#include <cairo.h>

#include "internal.h"
#include "trp/render.h"

/* ---------------------------------------------------------------- canvas.c */

/* Bytes written by cairo, gathered in memory. */
struct sink {
	unsigned char *data;
	size_t len, cap;
	int failed;                /* out of memory */
};

/* One picture being drawn: `pages` pages of width x height points. PDF has real pages;
 * PNG and SVG stack them into one image. */
struct canvas {
	trp_image_format format;
	cairo_surface_t *surface;
	cairo_t *cr;
	struct sink sink;
	double width, height;
	int pages, page;
};

/* Opens a canvas and fills it white. `title` goes into the PDF's metadata, with `date`
 * ("2026-11-24") as its creation date, fixed so that the same input gives the same
 * bytes. PNG draws `png_scale` pixels a point. On failure everything is freed. */
trp_err canvas_open(struct canvas *c, trp_image_format format, double width, double height,
		    int pages, double png_scale, const char *title, const char *date, char *msg,
		    size_t msgsize);

/* Starts the next page: a new PDF page, or moves the origin down by one page height. */
void canvas_next_page(struct canvas *c);

/* Finishes the picture and hands its bytes to the caller (free() them); frees the
 * canvas whether or not it succeeds. TRP_ENOMEM, or TRP_EINVAL with cairo's message
 * when drawing failed. */
trp_err canvas_close(struct canvas *c, unsigned char **data, size_t *size, char *msg,
		     size_t msgsize);

/* A drawing context for measuring text only, with the canvas's font options; NULL when
 * out of memory. Free with cairo_destroy(). */
cairo_t *canvas_measure(void);

/* Sets the font options every context uses (no hinting of metrics, so that text
 * measures the same on every surface). */
void canvas_font_options(cairo_t *cr);

/* ---- colours and text */

/* Sets the source colour from 0xRRGGBB, with an alpha of 0..1. */
void set_colour(cairo_t *cr, unsigned rgb, double alpha);

enum { ALIGN_LEFT = 0, ALIGN_CENTER = 1, ALIGN_RIGHT = 2 };

/* Sets the sans-serif font at `size` points, bold or not. */
void text_font(cairo_t *cr, double size, int bold);

/* The advance width of s in the current font. */
double text_width(cairo_t *cr, const char *s);

/* Draws s with its baseline at y, aligned on x; cut with an ellipsis to `max_width`
 * (0: no limit). */
void text_at(cairo_t *cr, double x, double y, int align, double max_width, const char *s);

/* Appends printf-style text to buf (of `size` bytes, NUL-terminated), never past its end:
 * text that does not fit is cut. */
void text_append(char *buf, size_t size, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

/* Draws s wrapped to `width`, the first baseline at y, lines `leading` apart, at most
 * max_lines lines (the last cut with an ellipsis; 0: no limit); draws nothing when
 * draw is 0. Returns the number of lines. */
int text_wrap(cairo_t *cr, double x, double y, double width, double leading, int max_lines,
	      const char *s, int draw);

/* ---------------------------------------------------------------- figure.c */

/* Pain colours, by intensity 0..10 (0: marked painless), as the web page draws them. */
unsigned pain_colour(int level);

/* What the regions of the figures show, by located region (region * 2 + side). */
struct marks {
	signed char level[TRP_MAP_MAX];   /* -1 not in the map, else 0..10 */
	signed char zone[TRP_MAP_MAX];    /* -1 none, else TRP_ESSENTIAL or TRP_SPILLOVER */
	unsigned char points[TRP_MAP_MAX];/* trigger points there */
};

/* No pain, no zone, no trigger point. */
void marks_clear(struct marks *m);

/* Shades the regions of a pain map (-1 counts as 5). TRP_EINVAL with msg for a region,
 * side or intensity out of range. */
trp_err marks_map(struct marks *m, const trp_located *map, size_t n, char *msg, size_t msgsize);

/* Adds a muscle's zones (an essential zone wins over a spillover one) and its trigger
 * points on `side`. */
void marks_muscle(struct marks *m, const trp_muscle *muscle, trp_side side);

/* Draws one view (0 front, 1 back) with its top left corner at (x, y), `scale` points a
 * drawing unit, the Left and Right labels at `label_size` units. */
void draw_view(cairo_t *cr, int view, double x, double y, double scale, const struct marks *m,
	       double label_size);

/* Draws the pain scale (swatches 0..10, each w x h, labels at `font`) from (x, y), the
 * top left; returns its width. */
double draw_pain_scale(cairo_t *cr, double x, double y, double w, double h, double font);

/* Draws the key of an essential zone, a spillover zone or a trigger point (kind 0, 1,
 * 2) in a w x h box at (x, y). */
void draw_key(cairo_t *cr, int kind, double x, double y, double w, double h);

/* ---------------------------------------------------------------- chart.c */

/* A colour for each treatment, told apart also by those with colour-blindness. */
unsigned treatment_colour(int treatment);

/* Daily pain over time in the box (x, y, w, h): a point a day, the least-squares trend
 * (slope_per_week, NAN for none; the line goes through the means) and the sessions
 * marked under the days, coloured by treatment; a key of the treatments under it.
 * Returns the height used, which is h. */
double chart_trend(cairo_t *cr, double x, double y, double w, double h,
		   const trp_report_day *days, size_t n, double slope_per_week);

/* One row of the effect chart: the median change and its interval (NAN: none). */
struct effect_row {
	int treatment;
	int sessions;
	double median, low, high;
	double share;              /* meaningful drops, 0..1, or NAN */
	const char *verdict;       /* as the report's JSON names it */
};

/* The immediate effect per treatment: a table with the figures and, at the right, each
 * median with its interval on a common axis of pain change, a line at 0 and one at -2
 * (a meaningful drop). Draws from (x, y) in width w; returns the height used (measures
 * only when draw is 0). */
double chart_effects(cairo_t *cr, double x, double y, double w, const struct effect_row *rows,
		     size_t n, int draw);

/* Words for a verdict of the report ("instant relief"). */
const char *verdict_words(const char *verdict);

#endif
