/* genout.h: writing C source from the build-time generators. */
#ifndef TRP_GENOUT_H
#define TRP_GENOUT_H

#include <stdio.h>

/* Writes s as a C string literal; bytes outside printable ASCII as three-digit octal
 * escapes, so the output is plain ASCII whatever the input. NULL is written as NULL. */
static inline void gen_string(FILE *out, const char *s)
{
	if (!s) {
		fputs("NULL", out);
		return;
	}
	fputc('"', out);
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;

		if (c == '"' || c == '\\')
			fprintf(out, "\\%c", c);
		else if (c < 0x20 || c >= 0x7f || c == '?')
			fprintf(out, "\\%03o", c);   /* '?' too: no trigraphs */
		else
			fputc(c, out);
	}
	fputc('"', out);
}

#endif
