/*
 * render_lazy.c: the renderer's entry points as the binary (and the server module) call
 * them: each loads trp-render.so on first use (module.c) and calls its function of the
 * same name. The module binds its own symbols first (-Bsymbolic), so it never calls
 * back into these.
 */
#include <stdio.h>

#include "cli.h"
#include "trp/render.h"

#define RENDER_MODULE "trp-render.so"

typedef trp_err (*figure_fn)(const trp_figure *, trp_image_format, unsigned char **, size_t *,
			     char *, size_t);
typedef trp_err (*muscle_fn)(const trp_muscle *, trp_side, trp_image_format, unsigned char **,
			     size_t *, char *, size_t);
typedef trp_err (*find_fn)(const trp_find_result *, trp_image_format, unsigned char **, size_t *,
			   char *, size_t);
typedef trp_err (*point_fn)(int, trp_side, trp_view, double *, double *);
typedef trp_err (*report_fn)(const trp_report_picture *, trp_image_format, unsigned char **,
			     size_t *, int *, char *, size_t);

/* The module's function `name`, or NULL with the reason in msg. */
static void *entry(const char *name, char *msg, size_t msgsize)
{
	char why[512];
	void *fn = cli_module_symbol(RENDER_MODULE, name, why, sizeof why);

	if (!fn && msg && msgsize)
		snprintf(msg, msgsize, "%s", why);
	return fn;
}

trp_err trp_render_figure(const trp_figure *figure, trp_image_format format,
			  unsigned char **data, size_t *size, char *msg, size_t msgsize)
{
	figure_fn fn = (figure_fn)entry("trp_render_figure", msg, msgsize);

	return fn ? fn(figure, format, data, size, msg, msgsize) : TRP_EIO;
}

trp_err trp_render_muscle(const trp_muscle *muscle, trp_side side, trp_image_format format,
			  unsigned char **data, size_t *size, char *msg, size_t msgsize)
{
	muscle_fn fn = (muscle_fn)entry("trp_render_muscle", msg, msgsize);

	return fn ? fn(muscle, side, format, data, size, msg, msgsize) : TRP_EIO;
}

trp_err trp_render_find(const trp_find_result *result, trp_image_format format,
			unsigned char **data, size_t *size, char *msg, size_t msgsize)
{
	find_fn fn = (find_fn)entry("trp_render_find", msg, msgsize);

	return fn ? fn(result, format, data, size, msg, msgsize) : TRP_EIO;
}

trp_err trp_figure_point(int region, trp_side side, trp_view view, double *x, double *y)
{
	point_fn fn = (point_fn)entry("trp_figure_point", NULL, 0);

	return fn ? fn(region, side, view, x, y) : TRP_EIO;
}

trp_err trp_render_report(const trp_report_picture *picture, trp_image_format format,
			  unsigned char **data, size_t *size, int *pages, char *msg,
			  size_t msgsize)
{
	report_fn fn = (report_fn)entry("trp_render_report", msg, msgsize);

	return fn ? fn(picture, format, data, size, pages, msg, msgsize) : TRP_EIO;
}
