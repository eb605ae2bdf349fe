/* assets.h: the files the server carries (web/ and the body map), from embedgen. */
#ifndef TRP_ASSETS_H
#define TRP_ASSETS_H

#include <stddef.h>

struct trp_asset {
	const char *path;          /* the URL path: "/index.html", "/api/bodymap" */
	const char *type;          /* the Content-Type */
	const unsigned char *data;
	size_t len;
};

/* Ends with an entry whose path is NULL. */
extern const struct trp_asset trp_assets[];

#endif
