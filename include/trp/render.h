/*
 * render.h: pictures (docs/render.md): the front and back body figures with a pain map,
 * referral zones and trigger points, and the diary's report for a clinician with its
 * charts, each drawn once with cairo and written as PNG, PDF or SVG.
 *
 * The conventions of trp.h hold here too: every call that can fail returns a trp_err,
 * out-parameters are cleared on entry and filled only on success, and a failure that
 * needs more than the code writes one line into `msg` (NULL/0: no message wanted).
 * A picture comes back in memory: the caller owns the bytes and frees them with free().
 * Nothing here reads or writes files, prints or exits; the body geometry
 * (data/bodymap.json) is compiled in at build time. PNG and PDF: the same input gives
 * the same bytes (a PDF carries a fixed creation date and no other time). SVG: the same
 * bytes from each new process, as cairo numbers SVG element ids across a process.
 */
#ifndef TRP_RENDER_H
#define TRP_RENDER_H

#include <stddef.h>
#include <stdint.h>

#include "trp/diary.h"
#include "trp/release.h"
#include "trp/trp.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef enum trp_image_format {
	TRP_IMAGE_PNG = 0,
	TRP_IMAGE_PDF = 1,
	TRP_IMAGE_SVG = 2
} trp_image_format;

/* "png", "pdf", "svg"; NULL for an out-of-range value. */
const char *trp_image_format_name(trp_image_format format);

/* The media type: "image/png", "application/pdf", "image/svg+xml"; NULL out of range. */
const char *trp_image_format_type(trp_image_format format);

/* ---------------------------------------------------------------- figures */

/* The size of a figure picture: pixels for PNG, points (1/72 inch) for PDF and SVG. The
 * layout does not depend on what is drawn, so a region is always at the same place
 * (trp_figure_point). */
#define TRP_FIGURE_WIDTH 760
#define TRP_FIGURE_HEIGHT 1060

/* A muscle to draw on the figures: its referral zones (each on the side its side rule
 * gives) and its trigger points, on the muscle's side. */
typedef struct trp_figure_muscle {
	const trp_muscle *muscle;
	trp_side side;
} trp_figure_muscle;

/* What a figure shows; parts not wanted are NULL and 0. */
typedef struct trp_figure {
	const char *title;                    /* one line at the top (cut to fit) */
	const char *subtitle;                 /* under it (two lines at most), or NULL */
	const trp_located *map;               /* regions shaded by intensity: -1 counts as 5,
					       * 0 is drawn as marked painless */
	size_t nmap;
	const trp_figure_muscle *muscles;     /* zones (essential solid, spillover hatched)
					       * and trigger points (X) */
	size_t nmuscles;
	const char *note;                     /* a caution under the legend (three lines
					       * at most), or NULL */
} trp_figure;

/* Draws the front and back figures with the person's Left and Right, what `figure`
 * asks for, and a legend of what is shown. TRP_EINVAL for a bad format, a region or
 * intensity out of range or a NULL muscle (msg says which); TRP_ENOMEM. */
trp_err trp_render_figure(const trp_figure *figure, trp_image_format format,
			  unsigned char **data, size_t *size, char *msg, size_t msgsize);

/* One muscle's referral pattern and trigger points, on its `side`, titled with its
 * name: the picture of `trp muscle ID --png` and GET /api/muscles/{id}/image.png. */
trp_err trp_render_muscle(const trp_muscle *muscle, trp_side side, trp_image_format format,
			  unsigned char **data, size_t *size, char *msg, size_t msgsize);

/* The pain map of a find result painted, with the patterns and trigger points of the
 * muscles that explain it (trp_find_explanation): the picture of `trp find --png` and
 * POST /api/find/image.png. */
trp_err trp_render_find(const trp_find_result *result, trp_image_format format,
			unsigned char **data, size_t *size, char *msg, size_t msgsize);

/* Where the mark of a located region is drawn in a figure picture (the centre of an X
 * for a trigger point there), in picture units from the top left, on `view`
 * (TRP_VIEW_FRONT or TRP_VIEW_BACK). TRP_ENOTFOUND when the region is not drawn on that
 * view, TRP_EINVAL for a region, side or view out of range. */
trp_err trp_figure_point(int region, trp_side side, trp_view view, double *x, double *y);

/* ---------------------------------------------------------------- the report */

/* A report page is A4 portrait: 595 x 842 points. PNG and SVG stack the pages into one
 * image; PNG draws TRP_REPORT_PNG_SCALE pixels a point. */
#define TRP_REPORT_PNG_SCALE 2
/* The most sessions the table of recent sessions lists. */
#define TRP_REPORT_SESSIONS_SHOWN 10

/* What the report draws. */
typedef struct trp_report_picture {
	trp_report *report;             /* fed with the entries it covers (trp_report_add) */
	int64_t today;                  /* the local day it is made on */
	const trp_entry *first_pain;    /* the first pain entry it covers, or NULL */
	const trp_entry *last_pain;     /* the latest, or NULL (may be the first) */
	const trp_entry *sessions;      /* the latest sessions, oldest first: the last
					 * TRP_REPORT_SESSIONS_SHOWN of them are listed */
	size_t nsessions;
	const trp_answers *answers;     /* the safety screening, or NULL when not given */
	const trp_atlas *atlas;         /* names the sessions' muscles; NULL: identifiers */
} trp_report_picture;

/* The report for a clinician, on one or two A4 pages: the pain map at the start and now,
 * daily pain over time with the sessions marked and its trend, each treatment's
 * immediate effect (median change with its 95% interval), the recent sessions, and the
 * screening outcome. *pages (when pages is not NULL) gets the number of pages.
 * TRP_EINVAL for a bad format or a NULL report; TRP_ENOMEM. */
trp_err trp_render_report(const trp_report_picture *picture, trp_image_format format,
			  unsigned char **data, size_t *size, int *pages, char *msg,
			  size_t msgsize);

#ifdef __cplusplus
}
#endif

#endif /* TRP_RENDER_H */
