/*
 * text.c: is a text fit to store and to show a person? Well-formed UTF-8 (RFC 3629: no
 * overlong forms, no surrogates, nothing past U+10FFFF) without control characters
 * (C0, DEL, C1) other than tab and, where asked, line feed. And the repair of a text
 * that is not, for data that reached the diary before these checks or by another road.
 */
#include <string.h>

#include "trp/trp.h"

/* The length of the well-formed sequence at p (at most n bytes), or 0; its code point in
 * *cp. */
static size_t sequence(const unsigned char *p, size_t n, unsigned *cp)
{
	unsigned c = p[0];
	size_t len, i;

	if (c < 0x80) {
		*cp = c;
		return 1;
	}
	if (c >= 0xc2 && c <= 0xdf)
		len = 2, c &= 0x1f;
	else if (c >= 0xe0 && c <= 0xef)
		len = 3, c &= 0x0f;
	else if (c >= 0xf0 && c <= 0xf4)
		len = 4, c &= 0x07;
	else
		return 0;
	if (n < len)
		return 0;
	for (i = 1; i < len; i++) {
		if ((p[i] & 0xc0) != 0x80)
			return 0;
		c = (c << 6) | (p[i] & 0x3f);
	}
	/* overlong 3- and 4-byte forms, surrogates, and past the last code point */
	if ((len == 3 && c < 0x800) || (len == 4 && (c < 0x10000 || c > 0x10ffff)) ||
	    (c >= 0xd800 && c <= 0xdfff))
		return 0;
	*cp = c;
	return len;
}

/* Whether code point c may stand in a text: no control characters but tab and, when
 * lines are allowed, line feed. */
static int allowed(unsigned c, int lines)
{
	if (c == '\t' || (c == '\n' && lines))
		return 1;
	return !(c < 0x20 || (c >= 0x7f && c <= 0x9f));
}

size_t trp_text_check(const char *text, size_t len, int lines)
{
	const unsigned char *p = (const unsigned char *)text;
	size_t i = 0;

	while (i < len) {
		unsigned cp;
		size_t n;

		/* plain printable ASCII, the common case, a byte at a time */
		if (p[i] >= 0x20 && p[i] < 0x7f) {
			i++;
			continue;
		}
		n = sequence(p + i, len - i, &cp);
		if (n == 0 || !allowed(cp, lines))
			return i + 1;
		i += n;
	}
	return 0;
}

size_t trp_text_repair(const char *text, size_t len, int lines, char *out, size_t size,
		       size_t *replaced)
{
	static const char fffd[] = "\xef\xbf\xbd";
	const unsigned char *p = (const unsigned char *)text;
	size_t i = 0, used = 0, copied = 0, bad = 0;

	while (i < len) {
		unsigned cp = 0;
		size_t n = sequence(p + i, len - i, &cp);
		const char *piece = text + i;
		size_t plen = n;

		if (n == 0 || !allowed(cp, lines)) {
			/* one replacement for each bad byte or forbidden character */
			piece = fffd;
			plen = 3;
			n = n ? n : 1;
			bad++;
		}
		/* whole characters only: once one does not fit, nothing after it is copied */
		if (copied == used && used + plen < size) {
			memcpy(out + used, piece, plen);
			copied += plen;
		}
		used += plen;
		i += n;
	}
	if (size)
		out[copied] = '\0';
	if (replaced)
		*replaced = bad;
	return used;
}
