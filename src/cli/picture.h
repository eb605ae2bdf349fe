/*
 * picture.h: the picture options that `trp muscle`, `trp find` and `trp report` share:
 * --png FILE, --pdf FILE and --svg FILE (docs/render.md). With one of them a command
 * writes the picture instead of its text, and says where.
 */
#ifndef TRP_CLI_PICTURE_H
#define TRP_CLI_PICTURE_H

#include <getopt.h>

#include "cli.h"
#include "trp/render.h"

enum { O_PICTURE_PNG = 1900, O_PICTURE_PDF, O_PICTURE_SVG };

/* The rows of a getopt_long table for the three options. */
#define PICTURE_OPTIONS \
	{ "png", required_argument, NULL, O_PICTURE_PNG }, \
	{ "pdf", required_argument, NULL, O_PICTURE_PDF }, \
	{ "svg", required_argument, NULL, O_PICTURE_SVG }

/* Their lines in a command's help. */
#define PICTURE_HELP \
	"  --png FILE      draw the picture as PNG into FILE instead of the text ('-': stdout)\n" \
	"  --pdf FILE      ... as PDF\n" \
	"  --svg FILE      ... as SVG\n"

/* The files asked for, by trp_image_format; NULL where none was. */
struct pictures {
	const char *path[3];
};

/* Records option c with its argument: 1 when c is a picture option, else 0. */
int picture_option(struct pictures *p, int c, const char *arg);

/* Whether any picture was asked for. */
int pictures_wanted(const struct pictures *p);

/* Draws one picture in `format`: sets *data (the caller frees it) and *size, or fails
 * with a message, as the trp_render_* calls do. */
typedef trp_err (*picture_draw)(void *arg, trp_image_format format, unsigned char **data,
				size_t *size, char *msg, size_t msgsize);

/* Draws each picture asked for and writes it through a temporary file and a rename (so
 * a failure leaves no half file), or to standard output for '-'; prints "wrote FILE"
 * for each file. Returns an exit code, after printing "trp: CMD: ..." on failure. */
int pictures_write(const char *cmd, const struct pictures *p, picture_draw draw, void *arg);

#endif
