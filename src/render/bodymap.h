/*
 * bodymap.h: the geometry of the body figures (data/bodymap.json, docs/bodymap.md),
 * compiled into static tables by bodymapgen at build time, so the renderer never reads a
 * file. Coordinates are drawing units of one figure's box (x right, y down).
 * Nothing here is part of the API.
 */
#ifndef TRP_RENDER_BODYMAP_H
#define TRP_RENDER_BODYMAP_H

#include "trp/trp.h"

/* A closed polygon: n points, xy[2 i] and xy[2 i + 1]; the last joins the first. */
struct trp__bm_ring {
	const double *xy;
	int n;
};

/* The polygons of one region (or of the outline) on one view, and where its mark goes:
 * the centroid of its largest polygon, moved inside when that polygon is concave
 * (the same rule as web/figure.js). n is 0 when the region is not drawn on the view. */
struct trp__bm_shape {
	const struct trp__bm_ring *rings;
	int n;
	double cx, cy;
};

/* One view: the silhouette, the person's Left and Right label centres ([TRP_LEFT] and
 * [TRP_RIGHT]), and every located region by index region * 2 + side. */
struct trp__bm_view {
	struct trp__bm_shape outline;
	double label[2][2];
	struct trp__bm_shape regions[TRP_MAP_MAX];
};

/* [0] the front view, [1] the back view. */
extern const struct trp__bm_view trp__bodymap_views[2];

/* The box of one figure (360 x 840). */
extern const double trp__bodymap_width;
extern const double trp__bodymap_height;

#endif
