/*
 * format.c: the names and content types of the picture formats. Part of libtrp itself,
 * not of the renderer module: the binary and the server name formats without loading
 * cairo.
 */
#include <stddef.h>

#include "trp/render.h"

const char *trp_image_format_name(trp_image_format format)
{
	static const char *const names[] = { "png", "pdf", "svg" };

	return (unsigned)format < 3 ? names[format] : NULL;
}

const char *trp_image_format_type(trp_image_format format)
{
	static const char *const types[] = { "image/png", "application/pdf", "image/svg+xml" };

	return (unsigned)format < 3 ? types[format] : NULL;
}
