/*
 * canvas.c: one drawing path, three formats. A canvas is a cairo surface for PNG (an
 * image, encoded at the end), PDF or SVG (vector streams), all written into memory;
 * and the text helpers every picture uses. Font metrics are never hinted, so text
 * measures the same on every surface and a layout is the same in every format.
 */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cairo-pdf.h>
#include <cairo-svg.h>

#include "render_impl.h"

#define ELLIPSIS "\xe2\x80\xa6"
#define TEXT_MAX 2048               /* the longest text drawn on one line, in bytes */

/* cairo's write function: appends to the sink, growing it by doubling. */
static cairo_status_t sink_write(void *closure, const unsigned char *data, unsigned int length)
{
	struct sink *s = closure;

	if (s->failed)
		return CAIRO_STATUS_WRITE_ERROR;
	if (s->len + length > s->cap) {
		size_t cap = s->cap ? s->cap : 16384;
		unsigned char *grown;

		while (cap < s->len + length)
			cap *= 2;
		grown = realloc(s->data, cap);
		if (!grown) {
			s->failed = 1;
			return CAIRO_STATUS_WRITE_ERROR;
		}
		s->data = grown;
		s->cap = cap;
	}
	memcpy(s->data + s->len, data, length);
	s->len += length;
	return CAIRO_STATUS_SUCCESS;
}

void canvas_font_options(cairo_t *cr)
{
	cairo_font_options_t *fo = cairo_font_options_create();

	cairo_font_options_set_hint_metrics(fo, CAIRO_HINT_METRICS_OFF);
	cairo_font_options_set_hint_style(fo, CAIRO_HINT_STYLE_NONE);
	cairo_font_options_set_antialias(fo, CAIRO_ANTIALIAS_GRAY);
	cairo_set_font_options(cr, fo);
	cairo_font_options_destroy(fo);
}

cairo_t *canvas_measure(void)
{
	cairo_surface_t *s = cairo_image_surface_create(CAIRO_FORMAT_A8, 1, 1);
	cairo_t *cr = cairo_create(s);

	cairo_surface_destroy(s);   /* the context keeps its own reference */
	if (cairo_status(cr) != CAIRO_STATUS_SUCCESS) {
		cairo_destroy(cr);
		return NULL;
	}
	canvas_font_options(cr);
	return cr;
}

trp_err canvas_open(struct canvas *c, trp_image_format format, double width, double height,
		    int pages, double png_scale, const char *title, const char *date, char *msg,
		    size_t msgsize)
{
	cairo_status_t status;

	memset(c, 0, sizeof *c);
	c->format = format;
	c->width = width;
	c->height = height;
	c->pages = pages;
	if (format == TRP_IMAGE_PNG) {
		c->surface = cairo_image_surface_create(CAIRO_FORMAT_RGB24, (int)ceil(width * png_scale),
							(int)ceil(height * pages * png_scale));
	} else if (format == TRP_IMAGE_PDF) {
		char when[64];

		c->surface = cairo_pdf_surface_create_for_stream(sink_write, &c->sink, width, height);
		snprintf(when, sizeof when, "%.10sT00:00:00Z", date);
		cairo_pdf_surface_set_metadata(c->surface, CAIRO_PDF_METADATA_TITLE, title);
		cairo_pdf_surface_set_metadata(c->surface, CAIRO_PDF_METADATA_CREATOR, "trp " TRP_VERSION);
		cairo_pdf_surface_set_metadata(c->surface, CAIRO_PDF_METADATA_CREATE_DATE, when);
		cairo_pdf_surface_set_metadata(c->surface, CAIRO_PDF_METADATA_MOD_DATE, when);
	} else if (format == TRP_IMAGE_SVG) {
		c->surface = cairo_svg_surface_create_for_stream(sink_write, &c->sink, width, height * pages);
		cairo_svg_surface_set_document_unit(c->surface, CAIRO_SVG_UNIT_PT);
	} else {
		trp__msg(msg, msgsize, "unknown picture format %d (expected png, pdf or svg)", (int)format);
		return TRP_EINVAL;
	}
	c->cr = cairo_create(c->surface);
	status = cairo_status(c->cr);
	if (status != CAIRO_STATUS_SUCCESS) {
		cairo_destroy(c->cr);
		cairo_surface_destroy(c->surface);
		free(c->sink.data);
		memset(c, 0, sizeof *c);
		trp__msg(msg, msgsize, "cannot start the picture: %s", cairo_status_to_string(status));
		return status == CAIRO_STATUS_NO_MEMORY ? TRP_ENOMEM : TRP_EINVAL;
	}
	if (format == TRP_IMAGE_PNG)
		cairo_scale(c->cr, png_scale, png_scale);
	canvas_font_options(c->cr);
	cairo_set_source_rgb(c->cr, 1, 1, 1);
	cairo_paint(c->cr);
	return TRP_OK;
}

void canvas_next_page(struct canvas *c)
{
	c->page++;
	if (c->format == TRP_IMAGE_PDF) {
		cairo_show_page(c->cr);
		cairo_set_source_rgb(c->cr, 1, 1, 1);
		cairo_paint(c->cr);
		return;
	}
	/* stacked: the next page lies below, under a thin rule */
	cairo_translate(c->cr, 0, c->height);
	set_colour(c->cr, 0xb8b2a8, 1);
	cairo_rectangle(c->cr, 0, -0.5, c->width, 1);
	cairo_fill(c->cr);
}

trp_err canvas_close(struct canvas *c, unsigned char **data, size_t *size, char *msg,
		     size_t msgsize)
{
	cairo_status_t status = cairo_status(c->cr);
	trp_err err = TRP_OK;

	*data = NULL;
	*size = 0;
	cairo_destroy(c->cr);
	if (status == CAIRO_STATUS_SUCCESS) {
		if (c->format == TRP_IMAGE_PNG) {
			status = cairo_surface_write_to_png_stream(c->surface, sink_write, &c->sink);
		} else {
			cairo_surface_finish(c->surface);
			status = cairo_surface_status(c->surface);
		}
	}
	cairo_surface_destroy(c->surface);
	if (c->sink.failed || status == CAIRO_STATUS_NO_MEMORY) {
		trp__msg(msg, msgsize, "out of memory");
		err = TRP_ENOMEM;
	} else if (status != CAIRO_STATUS_SUCCESS) {
		trp__msg(msg, msgsize, "cannot draw the picture: %s", cairo_status_to_string(status));
		err = TRP_EINVAL;
	}
	if (err)
		free(c->sink.data);
	else {
		*data = c->sink.data;
		*size = c->sink.len;
	}
	memset(c, 0, sizeof *c);
	return err;
}

/* ---------------------------------------------------------------- colours and text */

void set_colour(cairo_t *cr, unsigned rgb, double alpha)
{
	cairo_set_source_rgba(cr, ((rgb >> 16) & 0xff) / 255.0, ((rgb >> 8) & 0xff) / 255.0,
			      (rgb & 0xff) / 255.0, alpha);
}

void text_font(cairo_t *cr, double size, int bold)
{
	cairo_select_font_face(cr, "sans-serif", CAIRO_FONT_SLANT_NORMAL,
			       bold ? CAIRO_FONT_WEIGHT_BOLD : CAIRO_FONT_WEIGHT_NORMAL);
	cairo_set_font_size(cr, size);
}

double text_width(cairo_t *cr, const char *s)
{
	cairo_text_extents_t e;

	cairo_text_extents(cr, s, &e);
	return e.x_advance;
}

void text_append(char *buf, size_t size, const char *fmt, ...)
{
	size_t used = strlen(buf);
	va_list ap;

	if (used + 1 >= size)
		return;
	va_start(ap, fmt);
	vsnprintf(buf + used, size - used, fmt, ap);
	va_end(ap);
}

/* The start of the UTF-8 character that byte i is in. */
static size_t char_start(const char *s, size_t i)
{
	while (i > 0 && ((unsigned char)s[i] & 0xc0) == 0x80)
		i--;
	return i;
}

/* Copies s into buf (of TEXT_MAX + sizeof ELLIPSIS bytes), cut on a character boundary
 * with an ellipsis so that it is at most max_width wide (0: no limit). */
static void fit(cairo_t *cr, const char *s, double max_width, char *buf)
{
	unsigned short bounds[TEXT_MAX + 1];
	size_t n = strlen(s), nb = 0, lo, hi, i, cut;

	if (n >= TEXT_MAX)
		n = char_start(s, TEXT_MAX - 1);
	memcpy(buf, s, n);
	buf[n] = '\0';
	if (max_width <= 0 || text_width(cr, buf) <= max_width)
		return;
	/* the longest prefix, ending on a character boundary, that fits with the ellipsis:
	 * bounds[lo] fits (the empty prefix always counts as fitting), bounds[hi] does not */
	for (i = 0; i <= n; i++)
		if (i == n || ((unsigned char)s[i] & 0xc0) != 0x80)
			bounds[nb++] = (unsigned short)i;
	lo = 0;
	hi = nb - 1;
	while (hi - lo > 1) {
		size_t mid = (lo + hi) / 2;

		memcpy(buf, s, bounds[mid]);
		memcpy(buf + bounds[mid], ELLIPSIS, sizeof ELLIPSIS);
		if (text_width(cr, buf) <= max_width)
			lo = mid;
		else
			hi = mid;
	}
	cut = bounds[lo];
	while (cut > 0 && s[cut - 1] == ' ')
		cut--;
	memcpy(buf, s, cut);
	memcpy(buf + cut, ELLIPSIS, sizeof ELLIPSIS);
}

void text_at(cairo_t *cr, double x, double y, int align, double max_width, const char *s)
{
	char buf[TEXT_MAX + sizeof ELLIPSIS];
	double w;

	fit(cr, s, max_width, buf);
	w = align == ALIGN_LEFT ? 0 : text_width(cr, buf);
	cairo_move_to(cr, align == ALIGN_CENTER ? x - w / 2 : align == ALIGN_RIGHT ? x - w : x, y);
	cairo_show_text(cr, buf);
}

int text_wrap(cairo_t *cr, double x, double y, double width, double leading, int max_lines,
	      const char *s, int draw)
{
	char line[TEXT_MAX];
	const char *p = s;
	size_t used = 0;
	int lines = 0;

	for (;;) {
		size_t word;

		p += strspn(p, " \n");
		word = strcspn(p, " \n");
		if (word && used && used + 1 + word < sizeof line) {
			/* does the word fit on this line? */
			line[used] = ' ';
			memcpy(line + used + 1, p, word);
			line[used + 1 + word] = '\0';
			if (text_width(cr, line) <= width) {
				used += 1 + word;
				p += word;
				continue;
			}
		}
		if (used) {
			/* the line is full (or the text is over) */
			line[used] = '\0';
			if (*p && max_lines && lines + 1 == max_lines && used + 2 < sizeof line) {
				/* the last line allowed: the rest of the text, cut to fit */
				size_t rest = strlen(p);

				if (used + 1 + rest >= sizeof line)
					rest = char_start(p, sizeof line - used - 2);
				line[used] = ' ';
				memcpy(line + used + 1, p, rest);
				line[used + 1 + rest] = '\0';
			}
			if (draw)
				text_at(cr, x, y + lines * leading, ALIGN_LEFT, width, line);
			lines++;
			used = 0;
			if (max_lines && lines == max_lines)
				break;
		}
		if (!word)
			break;
		if (word >= sizeof line)
			word = char_start(p, sizeof line - 1);
		memcpy(line, p, word);
		used = word;
		p += word;
		p += strcspn(p, " \n");   /* the part of an overlong word that was cut */
	}
	return lines;
}
