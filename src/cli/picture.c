/*
 * picture.c: --png, --pdf and --svg for the commands that draw (picture.h): which files
 * were asked for, and writing each safely.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "picture.h"

int picture_option(struct pictures *p, int c, const char *arg)
{
	if (c < O_PICTURE_PNG || c > O_PICTURE_SVG)
		return 0;
	/* the options are in the order of trp_image_format */
	p->path[c - O_PICTURE_PNG] = arg;
	return 1;
}

int pictures_wanted(const struct pictures *p)
{
	return p->path[TRP_IMAGE_PNG] || p->path[TRP_IMAGE_PDF] || p->path[TRP_IMAGE_SVG];
}

/* Writes the bytes to `path` (outfile.c), or to standard output for "-". */
static int write_file(const char *cmd, const char *path, const unsigned char *data, size_t size)
{
	if (strcmp(path, "-") == 0) {
		if (fwrite(data, 1, size, stdout) != size || fflush(stdout) != 0)
			return cli_error(EXIT_FAILED, "%s: cannot write the picture to standard output", cmd);
		return EXIT_DONE;
	}
	return outfile_write(cmd, path, data, size);
}

int pictures_write(const char *cmd, const struct pictures *p, picture_draw draw, void *arg)
{
	int f, code;

	for (f = TRP_IMAGE_PNG; f <= TRP_IMAGE_SVG; f++) {
		unsigned char *data;
		size_t size;
		char msg[512];
		trp_err err;

		if (!p->path[f])
			continue;
		err = draw(arg, (trp_image_format)f, &data, &size, msg, sizeof msg);
		if (err)
			return cli_error(err == TRP_EINVAL ? EXIT_USAGE : EXIT_FAILED, "%s: cannot draw the %s: %s",
					 cmd, trp_image_format_name((trp_image_format)f), msg);
		code = write_file(cmd, p->path[f], data, size);
		free(data);
		if (code)
			return code;
		if (strcmp(p->path[f], "-") != 0)
			printf("wrote %s\n", p->path[f]);
	}
	return EXIT_DONE;
}
